from .audiences import Audience
from .campaigns import Campaign, Recipient, TrackingEvent
from .compliance import Suppression
from .templates import Template

__all__ = ["Audience", "Campaign", "Recipient", "Suppression", "Template", "TrackingEvent"]
