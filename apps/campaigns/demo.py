"""The demo workspace's campaigns: an audience of its best customers, a template in three
languages with their recommendations, a draft campaign, and the design-abandonment automation
turned on with a template showing the customer's design, so the pages can be tried at once.
Its customers are made-up people: two in three are marked as having given consent (source
"demo data") so the audience has someone to write to."""

from django.db import transaction

from apps.crm.models import Customer
from apps.crm.services import customer_update

from .automations import automation_save
from .models import Campaign
from .services import audience_save, campaign_create
from .templates_services import template_create

AUDIENCE = "Champions and loyal customers"
RULES = {"segments": ["champions", "loyal", "potential_loyalist"]}
CONTENT = {
    "en": (
        'Something new for you, {{ first_name | "friend" }}',
        "Hello {{ first_name }},",
        "Our new designs are in. Here is what we picked for you.",
        "See the new collection",
    ),
    "fr": (
        'Du nouveau pour vous, {{ first_name | "cher client" }}',
        "Bonjour {{ first_name }},",
        "Nos nouvelles créations sont arrivées. Voici notre sélection pour vous.",
        "Voir la collection",
    ),
    "zh-hans": (
        '{{ first_name | "您好" }}，为您准备的新品',
        "{{ first_name }}，您好！",
        "我们的新设计上线了。这是为您挑选的商品。",
        "查看新品",
    ),
}

WAITING = {
    "en": ('{{ first_name | "Hello" }}, your design is waiting', "Your design", "Order it"),
    "fr": ('{{ first_name | "Bonjour" }}, votre création vous attend', "Votre création", "La commander"),
    "zh-hans": ('{{ first_name | "您好" }}，您的设计还在等您', "您的设计", "立即下单"),
}


def _waiting(subject: str, title: str, button: str) -> dict:
    block = {"kind": "rebuy_design", "title": title, "text": "", "count": 1, "product": ""}
    return {
        "subject": subject,
        "preheader": "",
        "blocks": [{**block, "label": button, "url": "https://shop.example.com/"}],
    }


def _version(subject: str, heading: str, text: str, button: str) -> dict:
    return {
        "subject": subject,
        "preheader": "",
        "blocks": [
            {"kind": "heading", "text": heading},
            {"kind": "text", "text": text},
            {"kind": "recommendations", "title": "", "count": 3, "url": "https://shop.example.com/"},
            {"kind": "button", "label": button, "url": "https://shop.example.com/new"},
        ],
    }


@transaction.atomic
def campaigns_seed_demo() -> Campaign:
    """Idempotent: does nothing once the demo campaign exists. Runs in one transaction."""
    existing = Campaign.objects.filter(audience__name=AUDIENCE).first()
    if existing is not None:
        return existing
    for n, customer in enumerate(Customer.objects.exclude(email="").order_by("pk")):
        if n % 3 and customer.marketing_consent is None:
            customer_update(customer=customer, marketing_consent=True, consent_source="demo data")
    audience = audience_save(name=AUDIENCE, rules=RULES, user_id=None)
    content = {language: _version(*texts) for language, texts in CONTENT.items()}
    template = template_create(name="New collection", content=content)
    waiting = template_create(
        name="Your design is waiting", content={code: _waiting(*texts) for code, texts in WAITING.items()}
    )
    automation_save(
        kind=Campaign.Automation.DESIGN_ABANDONED, template=waiting, delay=24, enabled=True, user_id=None
    )
    return campaign_create(
        name="New collection for our best customers", audience=audience, template=template, user_id=None
    )
