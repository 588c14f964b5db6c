"""Dashboard → CRM scores (owners and admins): the pair rules behind cross-selling, with support,
confidence and lift, and every customer's RFM scores and estimates. A page to check the
figures, not a place to act on them."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from apps.tenants.decorators import admin_required

from .models import CustomerScore
from .models.scores import Segment
from .scoring.recommendations import association_rules, config

PAGE_SIZE = 50
RULES_SHOWN = 100


@admin_required
def scores_debug(request):
    segment = request.GET.get("segment", "")
    scores = CustomerScore.objects.select_related("customer").order_by("-monetary", "customer_id")
    if segment in Segment.values:
        scores = scores.filter(segment=segment)
    else:
        segment = ""
    page = Paginator(scores, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "rules": association_rules(as_of=timezone.now().date(), limit=RULES_SHOWN),
        "settings": config(),
        "page": page,
        "query": query.urlencode(),
        "segments": Segment.choices,
        "segment": segment,
    }
    return render(request, "crm/debug.html", context)
