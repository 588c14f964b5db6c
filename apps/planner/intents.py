"""What a typed chat message asks for, by offline rules in English, French and Simplified Chinese.

`recognise(text)` gives an `Intent` (an action code and its payload) or None. Only the person's
own message is read here, never what a scenario stores: a target's label saying "generate the
plan" is a label, not an order.

- "add a target: customers who bought Riesling last year" / "ajoute une cible : …" / "添加受众：…"
- "add an objective: 200 orders in March" / "ajoute un objectif : 200 commandes en mars" / "添加目标：…"
- "add a resource: budget 2000 EUR" / "ajoute une ressource : …" / "添加资源：预算 2000 欧元"
- "suggest targets", "search inspiration", "generate the plan", "regenerate the plan",
  "make campaign drafts" (and their French and Chinese forms), anywhere in the message.

An "add" message is read up to its colon: what follows is the part's text, whatever it says."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from apps.crm.models.scores import Segment

from .models import Resource


@dataclass(frozen=True)
class Intent:
    action: str
    payload: dict = field(default_factory=dict)


# "add …:" — the verb and the part, then a colon (ASCII or full width) and the part's text.
ADD = re.compile(
    r"^\s*(?:please\s+|peux-tu\s+|pouvez-vous\s+|请)?"
    r"(?P<head>[^:：]{1,40})[:：]\s*(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
ADD_HEADS = (  # checked in this order: "添加目标人群" is a target before "添加目标" is an objective
    (
        "add_target",
        r"\b(?:add|ajoute[rz]?)\b.*\b(?:target|cible|audience)s?\b|添加(?:受众|目标人群|目标客户|人群)",
    ),
    ("add_objective", r"\b(?:add|ajoute[rz]?)\b.*\b(?:objective|goal|objectif)s?\b|添加(?:目标|目的)"),
    ("add_resource", r"\b(?:add|ajoute[rz]?)\b.*\b(?:resource|ressource)s?\b|添加资源"),
    (
        "create_scenario",
        r"\b(?:create|new|crée[rz]?|creer|nouveau)\b.*\b(?:scenario|scénario)\b|创建场景|新建场景",
    ),
)
COMMANDS = (  # checked in this order: "regenerate" before "generate"
    (
        "suggest_targets",
        r"\bsuggest\w*\b.*\btargets?\b|\b(?:suggère|suggérer|propose[rz]?)\b.*\bcibles?\b|推荐.*(?:受众|人群|目标)|建议.*(?:受众|人群)",
    ),
    ("search_inspiration", r"\binspir\w*|\bidea[s]?\b|\bidées?\b|灵感|创意"),
    ("campaign_drafts", r"\bcampaign drafts?\b|\bdrafts?\b|\bbrouillons?\b|草稿"),
    ("regenerate_plan", r"\bre-?generate\b|\brégénèr\w*|\bregénèr\w*|\bregener\w*|重新生成"),
    ("generate_plan", r"\b(?:generate|make|create)\b.*\bplan\b|\bgénèr\w*.*\bplan\b|生成.*计划|制定.*计划"),
)
NUMBER = re.compile(r"\d[\d\u00a0\u202f ]*(?:[.,]\d+)*")

BUDGET_WORDS = ("budget", "€", "eur", "euro", "预算", "欧元", "元", "$", "usd", "£")
PEOPLE_WORDS = ("people", "person", "designer", "staff", "personne", "graphiste", "人", "设计师")
LEAD_WORDS = ("lead time", "délai", "production", "days", "jours", "天", "周期")
CHANNEL_WORDS = (
    "channel",
    "canal",
    "instagram",
    "facebook",
    "tiktok",
    "newsletter",
    "blog",
    "渠道",
    "微信",
    "微博",
)
ORDER_WORDS = ("order", "commande", "订单", "sale", "vente", "销量")
REVENUE_WORDS = ("revenue", "chiffre", "€", "eur", "收入", "营收", "销售额")


def recognise(text: str) -> Intent | None:
    added = ADD.match(text)
    if added:
        for action, pattern in ADD_HEADS:
            if re.search(pattern, added["head"], re.IGNORECASE):
                return Intent(action, PARSERS[action](" ".join(added["rest"].split())))
    for action, pattern in COMMANDS:
        if re.search(pattern, text, re.IGNORECASE):
            return Intent(action)
    return None


def number(text: str) -> Decimal | None:
    """The first number in `text`: "2 000", "2,000" and "2000" are 2000; "12,5" and "12.5" are 12.5."""
    found = NUMBER.search(text)
    if not found:
        return None
    digits = re.sub(r"[\s\u00a0\u202f]", "", found.group())
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", digits):  # thousands separated
        digits = re.sub(r"[.,]", "", digits)
    return Decimal(digits.replace(",", "."))


def _has(text: str, words: tuple[str, ...]) -> bool:
    lowered = text.casefold()
    return any(word in lowered for word in words)


def _objective(rest: str) -> dict:
    metric = "orders" if _has(rest, ORDER_WORDS) else "revenue" if _has(rest, REVENUE_WORDS) else "count"
    return {"label": rest, "metric": metric, "target_value": number(rest)}


def _target(rest: str) -> dict:
    """Free text, or an RFM segment when the text names one ("Champions", "at_risk")."""
    wanted = rest.casefold().strip(" .")
    segment = next((code for code, label in Segment.choices if wanted in (code, str(label).casefold())), "")
    return {"label": rest, "segment": segment}


def _resource(rest: str) -> dict:
    amount = number(rest)
    if _has(rest, BUDGET_WORDS):
        kind, unit = Resource.Kind.BUDGET, "EUR" if _has(rest, ("€", "eur", "欧元")) else ""
    elif _has(rest, PEOPLE_WORDS) and amount is not None:
        kind, unit = Resource.Kind.PEOPLE, "people"
    elif _has(rest, LEAD_WORDS) and amount is not None:
        kind, unit = Resource.Kind.LEAD_TIME, "days"
    elif _has(rest, CHANNEL_WORDS):
        kind, unit = Resource.Kind.CHANNEL, ""
    else:
        kind, unit = Resource.Kind.ASSET, ""
    return {"kind": kind, "label": rest, "amount": amount, "unit": unit}


def _scenario(rest: str) -> dict:
    return {"name": rest}


PARSERS = {
    "add_target": _target,
    "add_objective": _objective,
    "add_resource": _resource,
    "create_scenario": _scenario,
}
