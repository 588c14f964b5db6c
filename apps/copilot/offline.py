"""The offline copilot: what a question asks for, read by rules in English, French and Simplified
Chinese, as the tools to run (and the action to propose) with their arguments. No model, no
network: the same question gives the same answer, made of the tools' own summaries.

A question names a subject ("revenue", "commandes bloquées", "失败的设计"…) and maybe a period
("last week", "ce mois-ci", "上个月"…; the last 30 days otherwise). A vague question ("what's
wrong here?") is answered for the page it was asked from. Only the person's own words are read:
what the data says (a customer's name, an e-mail) never chooses a tool or an action.
"""

import re
from dataclasses import dataclass, field

from apps.core.hygiene import one_line
from apps.crm.models.scores import Segment

EMAIL = re.compile(r"[^\s@<>()\"']+@[^\s@<>()\"']+\.[^\s@<>()\"'.,;:!?]+")


@dataclass(frozen=True)
class Step:
    name: str
    arguments: dict = field(default_factory=dict)
    action: bool = False  # an action to propose, not a tool to run


QUOTED = r"[\"“«「『]\s*([^\"”»」』\n]{1,80}?)\s*[\"”»」』]"
CORRECTIONS = [  # (pattern, group of the wrong text, group of the right text)
    (
        re.compile(
            QUOTED + r"\s*(?:instead of|rather than|and not|not|au lieu de|et non|pas)\s*" + QUOTED, re.I
        ),
        2,
        1,
    ),
    (
        re.compile(r"(?:should|must)\s+(?:say|read|be)\s*" + QUOTED + r"[^\"“«「『\n]{0,40}?" + QUOTED, re.I),
        2,
        1,
    ),
    (
        re.compile(
            QUOTED + r"\s*(?:->|→|=>|should be|devrait être|doit être|应该是|应为|改为)\s*" + QUOTED, re.I
        ),
        1,
        2,
    ),
    (re.compile(r"应该是\s*" + QUOTED + r"\s*而不是\s*" + QUOTED), 2, 1),
]

PERIODS = (  # checked in this order
    ("last_month", r"last month|previous month|mois dernier|mois précédent|上个月|上月"),
    ("this_month", r"this month|ce mois|本月|这个月"),
    ("7d", r"last week|this week|past week|7 days|semaine|7 jours|上周|本周|这周|7\s*天"),
    ("90d", r"quarter|90 days|3 months|trimestre|90 jours|3 mois|季度|90\s*天|三个月"),
)
BEST_SELLING = r"best.?sell|sold best|sells? best|selling best|meilleures? ventes?|畅销|卖得最好|热销"
INBOX_LABELS = (
    ("complaint", r"complain|réclamation|plainte|投诉"),
    ("supplier", r"supplier|fournisseur|供应商"),
    ("order_question", r"order question|question.*(?:order|commande)|订单问题"),
)
TOOLS = (  # (tool, pattern) checked in this order; several may match one question
    ("customer_360", None),  # an e-mail address in the question
    (
        "failed_designs",
        r"fail|reject|error|why .*designs?|échou|rejet|erreur|失败|拒绝|出错",
    ),
    (
        "design_funnel",
        r"funnel|give up|gave up|abandon|drop.?off|where .*shoppers|trend|styles?\b|fonts?\b"
        r"|entonnoir|abandonn|tendance|police|漏斗|放弃|流失.*设计|风格|流行|趋势|字体",
    ),
    (
        "orders_by_status",
        r"block|stuck|unpaid|waiting|pack|orders? by status|bloqu|en attente|impay|卡住|未付|待付款|订单状态",
    ),
    (
        "at_risk_customers",
        r"slipping|at.?risk|churn|losing|lapsed|leaving|à risque|perdre|partir|风险|流失|沉睡",
    ),
    ("segments", r"segment|rfm|分群|细分|客户群"),
    (
        "inbox_threads",
        r"inbox|mailbox|my (?:e-?)?mails?|customer e-?mails?|complaints?|boîte de réception|courriels?"
        r"|réclamations?|plaintes?|收件箱|邮箱|邮件|投诉",
    ),
    (  # what sold best on the shop, from Shopify's own figures: not a question about channels
        "shop_best_sellers",
        rf"^(?=.*(?:shopify|\bshop\b|\bstore\b|boutique|店铺|网店))(?=.*(?:{BEST_SELLING}))"
        r"(?!.*(?:woocommerce|channel|canal|canaux|渠道))",
    ),
    ("shop_sales", r"shopify|woocommerce|\bshop\b|channel|boutique|canal|canaux|店铺|网店|渠道"),
    (
        "top_products",
        rf"{BEST_SELLING}|top products?",
    ),
    (
        "campaign_stats",
        r"campaign|open rate|click rate|newsletter|campagne|taux d.ouverture|营销活动|邮件活动|打开率",
    ),
    (
        "data_health",
        r"data health|import|data quality|santé des données|qualité des données|数据质量|数据健康|导入",
    ),
    (
        "plan_usage",
        r"\bplan\b|quota|usage|limit|billing|forfait|abonnement|facturation|套餐|用量|配额|额度|账单",
    ),
    ("revenue_series", r"per day|daily|each day|timeline|par jour|chaque jour|每天|每日"),
    (
        "kpis",
        r"how did we do|how are we doing|how is business|revenue|sales|kpi|key figures|performance|"
        r"comment ça va|chiffre d.affaires|ventes|résultats|bilan|业绩|收入|销售|营收|表现|怎么样",
    ),
)
ACTIONS = (  # (action, pattern, argument reader) checked in this order; at most one is proposed
    ("reprint_corrected_design", r"reprint|réimpr|重印|重新印刷"),
    (
        "create_campaign_draft",
        r"(?:draft|create|prepare|write|make).*campaign"
        r"|(?:prépare|rédige|crée|créer).*campagne|(?:起草|创建|准备).*(?:营销活动|活动)",
    ),
    (
        "create_scenario",
        r"(?:create|new|start).*(?:scenario|marketing plan)"
        r"|(?:crée|créer|nouveau).*(?:scénario|plan marketing)|(?:创建|新建).*(?:场景|营销计划)",
    ),
    ("retry_failed_designs", r"retry|relaunch|restart .*designs?|relance|réessa|重试|重新生成.*设计"),
    ("export_report", r"export|download|report|exporte|télécharg|rapport|导出|下载|报告"),
    (
        "build_production_pack",
        r"(?:build|make|rebuild).*pack|(?:construi|génère|refai).*pack|生成.*(?:生产包|包)",
    ),
)
SUPERSEDES = {  # a tool that answers the question in full: the broader tools it matched alongside are dropped
    "shop_best_sellers": {"shop_sales", "top_products", "kpis"},  # "meilleures ventes" names sales too
}
PAGE_TOOLS = (  # a vague question, by the page it was asked from (longest prefix first)
    ("/copilot/inbox", "inbox_threads"),
    ("/orders", "orders_by_status"),
    ("/designs", "failed_designs"),
    ("/customers", "segments"),
    ("/crm", "data_health"),
    ("/campaigns", "campaign_stats"),
    ("/billing", "plan_usage"),
    ("/", "kpis"),
)
TOPIC = re.compile(r"(?:about|on|sur|à propos de|concernant|关于)\s+(?P<topic>.+)$", re.IGNORECASE)
NAMED = re.compile(r"[:：]\s*(?P<name>.+)$")
QUOTES = re.compile(QUOTED)  # quoted text is the correction's, not the order number
ORDER = re.compile(r"(?:LU-?)?\b(\d{1,9})\b", re.IGNORECASE)
SEGMENT_WORDS = {
    **{str(label).casefold(): code for code, label in Segment.choices},
    **{code.replace("_", " "): code for code in Segment.values},
    "champion": "champions",
    "fidèles": "loyal",
    "à risque": "at_risk",
    "nouveaux": "new",
    "冠军": "champions",
    "忠诚": "loyal",
    "风险": "at_risk",
}


def understand(text: str, page: str = "") -> list[Step]:
    """The tools (and at most one action) the question asks for; empty when none is recognised."""
    words = " ".join(text.split())
    steps = _action(words)
    for name, pattern in TOOLS:
        if name == "customer_360":
            found = EMAIL.search(words)
            if found:
                steps.append(Step(name, {"customer": found.group()}))
        elif re.search(pattern, words, re.IGNORECASE):
            steps.append(Step(name, _tool_arguments(name, words)))
    dropped = set().union(*(SUPERSEDES.get(step.name, ()) for step in steps))
    steps = [step for step in steps if step.name not in dropped]
    if (
        not steps
        and page
        and re.search(r"here|this page|ici|cette page|这里|这个页面|本页", words, re.IGNORECASE)
    ):
        name = next(tool for prefix, tool in PAGE_TOOLS if page.startswith(prefix))
        steps.append(Step(name, _tool_arguments(name, words)))
    return steps


def period(words: str) -> str:
    return next((key for key, pattern in PERIODS if re.search(pattern, words, re.IGNORECASE)), "30d")


def _tool_arguments(name: str, words: str) -> dict:
    if name in ("kpis", "revenue_series", "top_products", "failed_designs", "shop_best_sellers"):
        return {"period": period(words), "start": None, "end": None}
    if name == "design_funnel":
        by = "product" if re.search(r"product|produit|产品", words, re.IGNORECASE) else None
        return {"period": period(words), "start": None, "end": None, "by": by}
    if name == "shop_sales":
        shop = next((shop for shop in ("shopify", "woocommerce") if shop in words.casefold()), None)
        return {"period": period(words), "start": None, "end": None, "shop": shop}
    if name == "inbox_threads":
        label = next(
            (code for code, pattern in INBOX_LABELS if re.search(pattern, words, re.IGNORECASE)), None
        )
        return {"label": label}
    if name == "at_risk_customers":
        return {"segment": None}
    return {}


def _action(words: str) -> list[Step]:
    for name, pattern in ACTIONS:
        if re.search(pattern, words, re.IGNORECASE):
            arguments = READERS[name](words)
            return [] if arguments is None else [Step(name, arguments, action=True)]
    return []


def _campaign(words: str) -> dict | None:
    lowered = words.casefold()
    segment = next((code for word, code in SEGMENT_WORDS.items() if word in lowered), None)
    topic = TOPIC.search(words)
    if segment is None or topic is None:
        return None  # the person says whom and what about, or the copilot asks (help)
    return {"segment": segment, "topic": topic["topic"].strip(" .!?")}


def _scenario(words: str) -> dict | None:
    named = NAMED.search(words)
    return {"name": named["name"].strip(" .!?"), "theme": None} if named else None


def _report(words: str) -> dict:
    kind = "orders" if re.search(r"orders?|commandes?|订单", words, re.IGNORECASE) else "kpis"
    if re.search(r"pdf|summary|synthèse|résumé|摘要|总结", words, re.IGNORECASE):
        kind = "report"
    key = period(words)
    return {"kind": kind, "period": key if key in ("7d", "30d", "90d") else "30d"}


def _pack(words: str) -> dict | None:
    found = ORDER.search(words)
    return {"order": found.group(1)} if found else None


def _reprint(words: str) -> dict | None:
    """ "Reprint order LU-000123: “Jon” instead of “John”" (the order, then the quoted fix)."""
    order, correction = ORDER.search(QUOTES.sub("", words)), correction_find(words)
    if order is None or correction is None:
        return None
    return {"order": order.group(1), **correction}


READERS = {
    "reprint_corrected_design": _reprint,
    "create_campaign_draft": _campaign,
    "create_scenario": _scenario,
    "retry_failed_designs": lambda words: {},
    "export_report": _report,
    "build_production_pack": _pack,
}


def correction_clean(correction) -> dict | None:
    """{"wrong", "right"} on one line each, at most 80 characters, when both are there and differ."""
    correction = correction if isinstance(correction, dict) else {}
    wrong, right = (one_line(str(correction.get(key) or ""))[:80] for key in ("wrong", "right"))
    return {"wrong": wrong, "right": right} if wrong and right and wrong != right else None


def correction_find(text: str) -> dict | None:
    """A text fix the sender asks for, quoted: “Jon” instead of “John”, « Jon » au lieu de « John »,
    应该是“Jon”而不是“John”."""
    for pattern, wrong, right in CORRECTIONS:
        found = pattern.search(text)
        if found:
            return correction_clean({"wrong": found.group(wrong), "right": found.group(right)})
    return None
