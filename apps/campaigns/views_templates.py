"""Dashboard pages for e-mail templates: the list, create, the block editor with its preview and
test send, duplicate and delete. Any member reads; editors and up write."""

import secrets
from dataclasses import replace

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.tenants.decorators import member_required, role_required
from apps.tenants.models import Role

from . import delivery
from .blocks import BLOCKS
from .forms_templates import (
    LANGUAGE_CHOICES,
    TemplateCreateForm,
    TemplateEditForm,
    TemplateSearchForm,
    block_rows,
    blocks_act,
)
from .models import Template
from .rendering import LANGUAGES, PREVIEW_LINKS, message_render
from .templates_selectors import (
    preview_customer,
    preview_customers,
    product_choices,
    template_get,
    template_in_use,
    template_list,
)
from .templates_services import (
    TemplateInUse,
    template_create,
    template_delete,
    template_duplicate,
    template_update,
    template_version_delete,
)

PAGE_SIZE = 25
DRAFT_SECONDS = 3600  # an unsaved version shown in the preview
editor_required = role_required(Role.EDITOR)


def _template(pk: int):
    template = template_get(pk=pk)
    if template is None:
        raise Http404
    return template


def _language(request, template) -> str:
    language = request.POST.get("lang") or request.GET.get("lang")
    return language if language in LANGUAGES else template.default_language


def _edit_url(template, language: str, customer=None) -> str:
    url = f"{reverse('dashboard:campaigns:template-edit', args=[template.pk])}?lang={language}"
    return f"{url}&customer={customer.pk}" if customer is not None else url


@require_GET
@member_required
def template_list_page(request):
    form = TemplateSearchForm(request.GET)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(template_list(search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "search": search,
        "has_templates": bool(search) or bool(page.object_list) or template_list().exists(),
        "can_edit": request.membership.has_role(Role.EDITOR),
    }
    return render(request, "campaigns/template_list.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def template_create_page(request):
    form = TemplateCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = template_create(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The template is created: add its blocks."))
            return redirect(_edit_url(template, template.default_language))
    return render(request, "campaigns/template_create.html", {"form": form})


def _preview_url(template, language: str, customer=None, draft: str = "") -> str:
    url = f"{reverse('dashboard:campaigns:template-preview', args=[template.pk])}?lang={language}"
    if customer is not None:
        url += f"&customer={customer.pk}"
    return f"{url}&draft={draft}" if draft else url


def _draft_key(request, template, token: str) -> str:
    """Unsaved versions are kept per workspace, template and person: a token is no use to others."""
    return f"campaigns:template-draft:{request.tenant.schema_name}:{template.pk}:{request.user.pk}:{token}"


def _draft_keep(request, template, language: str, form: TemplateEditForm) -> str:
    token = secrets.token_urlsafe(12)
    draft = {"language": language, "version": form.version()}
    cache.set(_draft_key(request, template, token), draft, DRAFT_SECONDS)
    return token


def _draft_template(request, template, token: str):
    """The template with the person's unsaved version in place of the saved one (None: expired)."""
    draft = cache.get(_draft_key(request, template, token)) if token else None
    if draft is None:
        return None, None
    content = {**(template.content or {}), draft["language"]: draft["version"]}
    copy = Template(
        pk=template.pk, name=template.name, default_language=template.default_language, content=content
    )
    return copy, draft["language"]


def _editor_context(
    request, template, language: str, form: TemplateEditForm, customer, draft: str = ""
) -> dict:
    version = (template.content or {}).get(language)
    search = request.GET.get("q", "").strip()[:254]
    # The whole catalogue is read only when a block needs its choices.
    chooses = any(block.get("kind") in ("products", "rebuy_design") for block in form.blocks)
    choices = product_choices() if chooses else []
    return {
        "template": template,
        "language": language,
        "languages": [
            (code, label, bool((template.content or {}).get(code))) for code, label in LANGUAGE_CHOICES
        ],
        "has_version": version is not None,
        "form": form,
        "blocks": block_rows(form.blocks, product_choices=choices),
        "block_count": len(form.blocks),
        "kinds": [(kind.name, kind.label) for kind in BLOCKS.values()],
        "preview_url": _preview_url(template, language, customer, draft),
        "draft": draft,
        "customer": customer,
        "search": search,
        "matches": preview_customers(search=search),
        "can_edit": request.membership.has_role(Role.EDITOR),
        "in_use": template_in_use(template),
    }


def _initial(template, language: str) -> tuple[dict, list]:
    """The form's values for `language`; a version not written yet starts as a copy of the
    default language's, to translate."""
    content = template.content or {}
    version = content.get(language) or content.get(template.default_language) or {}
    initial = {
        "name": template.name,
        "default_language": template.default_language,
        "subject": version.get("subject", ""),
        "preheader": version.get("preheader", ""),
    }
    return initial, list(version.get("blocks", []))


@require_http_methods(["GET", "POST"])
@member_required
def template_edit(request, pk: int):
    """The editor of one language's version (`?lang=`), the preview beside it. Buttons add, move
    and delete blocks on the posted form (nothing is saved until "Save")."""
    template = _template(pk)
    language = _language(request, template)
    customer = preview_customer(pk=request.GET.get("customer")) if request.GET.get("customer") else None
    if request.method == "GET":
        initial, blocks = _initial(template, language)
        form = TemplateEditForm(initial=initial, blocks=blocks)
        return render(
            request,
            "campaigns/template_edit.html",
            _editor_context(request, template, language, form, customer),
        )
    if not request.membership.has_role(Role.EDITOR):
        return render(request, "403.html", {"required_role": Role.EDITOR.label}, status=403)
    action = request.POST.get("action", "save")
    if action == "remove-version":
        try:
            template_version_delete(template=template, language=language)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("This language's version is removed: its recipients get the default one.")
            )
        return redirect(_edit_url(template, template.default_language, customer))
    form = TemplateEditForm(request.POST)
    if action == "preview":
        if not form.is_valid():
            context = _editor_context(request, template, language, form, customer)
            return render(request, "campaigns/template_edit.html", context, status=400)
        draft = _draft_keep(request, template, language, form)
        messages.info(request, _("The preview shows your unsaved changes. Save to keep them."))
        context = _editor_context(request, template, language, form, customer, draft)
        return render(request, "campaigns/template_edit.html", context)
    if action != "save":
        initial = {name: request.POST.get(name, "") for name in form.fields}
        form = TemplateEditForm(initial=initial, blocks=blocks_act(form.blocks, action))
        messages.info(request, _("Save to keep your changes."))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            template_update(
                template=template,
                name=data["name"],
                default_language=data["default_language"],
                content={**(template.content or {}), language: form.version()},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The template is saved."))
            return redirect(_edit_url(template, language, customer))
    context = _editor_context(request, template, language, form, customer)
    status = 400 if action == "save" else 200
    return render(request, "campaigns/template_edit.html", context, status=status)


# The preview is the e-mail itself, framed by the editor: our own pages may frame it, it runs no
# script, and its images come from anywhere an e-mail's may (https, the workspace's own links).
PREVIEW_CSP = {
    "default-src": ["'none'"],
    "img-src": ["'self'", "https:", "http:", "data:"],
    "style-src": ["'unsafe-inline'"],
    "font-src": ["https:"],
    "script-src": ["'none'"],
    "form-action": ["'none'"],
    "frame-ancestors": ["'self'"],
}


@require_GET
@member_required
@xframe_options_sameorigin
@csp_replace(PREVIEW_CSP)
def template_preview(request, pk: int):
    """The rendered HTML for the editor's `<iframe sandbox>`: sample data, or `?customer=`'s."""
    template = _template(pk)
    language = _language(request, template)
    customer = preview_customer(pk=request.GET.get("customer")) if request.GET.get("customer") else None
    draft, draft_language = _draft_template(request, template, request.GET.get("draft", ""))
    if draft is not None:
        template, language = draft, draft_language
    rendered = message_render(template, customer=customer, links=PREVIEW_LINKS, language=language)
    return HttpResponse(rendered.html)


@require_POST
@editor_required
def template_draft(request, pk: int):
    """htmx: the preview frame for the editor's unsaved form (as it is typed); the errors instead
    when the form is not valid yet."""
    template = _template(pk)
    language = _language(request, template)
    customer = preview_customer(pk=request.POST.get("customer")) if request.POST.get("customer") else None
    form = TemplateEditForm(request.POST)
    if not form.is_valid():
        context = {"errors": [error for errors in form.errors.values() for error in errors]}
        context["preview_url"] = _preview_url(template, language, customer)
        return render(request, "campaigns/template_preview_frame.html", context)
    draft = _draft_keep(request, template, language, form)
    context = {"preview_url": _preview_url(template, language, customer, draft), "draft": draft}
    return render(request, "campaigns/template_preview_frame.html", context)


@require_POST
@editor_required
def template_test_send(request, pk: int):
    """Send the message to the member's own address, "[Test] " before its subject."""
    template = _template(pk)
    language = _language(request, template)
    customer = preview_customer(pk=request.POST.get("customer")) if request.POST.get("customer") else None
    if not request.user.email:
        messages.error(request, _("Your account has no e-mail address to send the test to."))
        return redirect(_edit_url(template, language, customer))
    rendered = message_render(template, customer=customer, links=PREVIEW_LINKS, language=language)
    rendered = replace(rendered, subject=_("[Test] %(subject)s") % {"subject": rendered.subject})
    delivery.message_build(rendered, to=request.user.email, connection=delivery.mail_connection()).send()
    messages.success(request, _("A test is on its way to %(email)s.") % {"email": request.user.email})
    return redirect(_edit_url(template, language, customer))


@require_POST
@editor_required
def template_duplicate_page(request, pk: int):
    copy = template_duplicate(template=_template(pk))
    messages.success(request, _("The template is duplicated: you are editing the copy."))
    return redirect(_edit_url(copy, copy.default_language))


@require_http_methods(["GET", "POST"])
@editor_required
def template_delete_page(request, pk: int):
    template = _template(pk)
    if request.method == "POST":
        try:
            template_delete(template=template)
        except TemplateInUse as error:
            messages.error(request, error.message)
            return redirect(_edit_url(template, template.default_language))
        messages.success(request, _("The template is deleted."))
        return redirect("dashboard:campaigns:templates")
    return render(
        request, "campaigns/template_delete.html", {"template": template, "in_use": template_in_use(template)}
    )
