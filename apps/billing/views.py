"""The Billing page (Settings → Billing): plan, usage bars, Stripe Checkout and Portal, invoices."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from djstripe.models import WebhookEndpoint
from djstripe.models.webhooks import get_remote_ip

from apps.core.errors import ApplicationError
from apps.tenants.decorators import admin_required, role_required
from apps.tenants.models import Role
from apps.tenants.services import tenant_url

from . import selectors, stripe_billing
from .forms import CheckoutForm
from .models import Feature, Plan, Subscription
from .services import billing_mode

owner_required = role_required(Role.OWNER)


def _plan_action(plan: Plan, subscription: Subscription, mode: str) -> str | None:
    """What a plan's card offers: "checkout" (Stripe), "sales" (contact us) or nothing."""
    current = plan == subscription.plan and subscription.status != Subscription.Status.TRIALING
    if current:
        return None
    if plan.self_serve and plan.monthly_price_eur:
        return "checkout" if mode == "stripe" else "sales"
    return None if plan.self_serve else "sales"


@admin_required
def billing_page(request):
    tenant = request.tenant
    subscription = selectors.subscription_get(tenant)
    mode = billing_mode()
    plans = [
        {
            "plan": plan,
            "features": [Feature(feature).label for feature in plan.features],
            "action": _plan_action(plan, subscription, mode),
        }
        for plan in selectors.plan_list()
    ]
    context = {
        "subscription": subscription,
        "usage": selectors.usage_list(tenant),
        "plans": plans,
        "invoices": selectors.invoice_list(tenant),
        "mode": mode,
        "sales_email": settings.SALES_EMAIL,
        "is_owner": request.membership.role == Role.OWNER,
        "checkout_state": request.GET.get("checkout"),
    }
    return render(request, "billing/page.html", context)


def _page_url(request, **query) -> str:
    suffix = "".join(f"&{key}={value}" for key, value in query.items()).replace("&", "?", 1)
    return tenant_url(request.tenant, reverse("dashboard:billing:page") + suffix)


@owner_required
@require_POST
def billing_checkout(request):
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
        return redirect("dashboard:billing:page")
    try:
        url = stripe_billing.checkout_start(
            tenant=request.tenant,
            email=request.user.email,
            success_url=_page_url(request, checkout="success"),
            cancel_url=_page_url(request, checkout="canceled"),
            **form.cleaned_data,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dashboard:billing:page")
    return redirect(url)


@csrf_exempt
@require_POST
def stripe_webhook(request, uuid):
    """Stripe's events, on the public host: 400 without a valid signature, 200 once applied."""
    if "stripe-signature" not in request.headers:
        return HttpResponseBadRequest()
    endpoint = get_object_or_404(WebhookEndpoint, djstripe_uuid=uuid)
    valid = stripe_billing.webhook_receive(
        endpoint=endpoint, body=request.body, headers=dict(request.headers), remote_ip=get_remote_ip(request)
    )
    return HttpResponse("ok") if valid else HttpResponseBadRequest()


@owner_required
@require_POST
def billing_portal(request):
    try:
        url = stripe_billing.portal_start(tenant=request.tenant, return_url=_page_url(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dashboard:billing:page")
    return redirect(url)
