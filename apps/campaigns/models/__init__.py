from .audiences import Audience
from .campaigns import Campaign, Recipient, TrackingEvent
from .compliance import Suppression
from .sending import SendingSettings
from .templates import Template

__all__ = ["Audience", "Campaign", "Recipient", "SendingSettings", "Suppression", "Template", "TrackingEvent"]
