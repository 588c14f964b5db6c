"""Writes for e-mail templates: create, update, duplicate, delete, and the checks on their content."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import Conflict

from .blocks import FORBIDDEN, blocks_clean, merge_fields_problem
from .models import Template
from .rendering import LANGUAGES

NAME_MAX = 120
SUBJECT_MAX = 200
PREHEADER_MAX = 200


class TemplateInUse(Conflict):
    code = "template_in_use"
    message = gettext_lazy(
        "A campaign uses this template: it cannot be deleted. Duplicate it to make a new one."
    )


def _line(value, *, label: str, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or FORBIDDEN.search(value):
        raise ValidationError(_("%(field)s is not valid text.") % {"field": label})
    value = " ".join(value.split())
    if len(value) > max_length:
        raise ValidationError(
            _("%(field)s is too long: at most %(max)d characters.") % {"field": label, "max": max_length}
        )
    if required and not value:
        raise ValidationError(_("%(field)s is required.") % {"field": label})
    problem = merge_fields_problem(value)
    if problem:
        raise ValidationError(f"{label}: {problem}")
    return value


def version_clean(version) -> dict:
    """One language's version: {"subject", "preheader", "blocks"}, checked and normalised."""
    if not isinstance(version, dict):
        raise ValidationError(_("A language version must be an object."))
    return {
        "subject": _line(
            version.get("subject"), label=_("The subject"), max_length=SUBJECT_MAX, required=True
        ),
        "preheader": _line(version.get("preheader"), label=_("The preheader"), max_length=PREHEADER_MAX),
        "blocks": blocks_clean(version.get("blocks", [])),
    }


def content_clean(content, *, default_language: str) -> dict:
    """The whole content: only known languages, each version checked; the default language's
    version must exist."""
    if not isinstance(content, dict):
        raise ValidationError(_("The content must be an object."))
    unknown = set(content) - set(LANGUAGES)
    if unknown:
        raise ValidationError(
            _("Unknown language: %(codes)s.") % {"codes": ", ".join(sorted(map(str, unknown)))}
        )
    if default_language not in LANGUAGES:
        raise ValidationError(_("Choose the default language among English, French and Chinese."))
    if not content.get(default_language):
        raise ValidationError(_("Write the version in the default language first."))
    return {code: version_clean(content[code]) for code in LANGUAGES if content.get(code)}


def template_create(*, name: str, subject: str = "", default_language: str = "en", content=None) -> Template:
    """A template named `name`; without `content`, one empty version in `default_language`."""
    name = _line(name, label=_("The name"), max_length=NAME_MAX, required=True)
    if content is None:
        content = {default_language: {"subject": subject or name, "preheader": "", "blocks": []}}
    content = content_clean(content, default_language=default_language)
    return Template.objects.create(name=name, content=content, default_language=default_language)


def template_update(
    *, template: Template, name: str | None = None, default_language: str | None = None, content=None
) -> Template:
    """Change what is given; the result is checked as a whole (nothing changes when it fails)."""
    name = (
        template.name
        if name is None
        else _line(name, label=_("The name"), max_length=NAME_MAX, required=True)
    )
    default_language = default_language or template.default_language
    content = content_clean(
        template.content if content is None else content, default_language=default_language
    )
    template.name, template.default_language, template.content = name, default_language, content
    template.save()
    return template


def template_version_delete(*, template: Template, language: str) -> Template:
    """Remove a language's version (not the default language's)."""
    if language == template.default_language:
        raise ValidationError(_("The default language's version cannot be removed."))
    content = {code: version for code, version in (template.content or {}).items() if code != language}
    return template_update(template=template, content=content)


def template_duplicate(*, template: Template) -> Template:
    name = (_("Copy of %(name)s") % {"name": template.name})[:NAME_MAX]
    return Template.objects.create(
        name=name, content=template.content, default_language=template.default_language
    )


def template_delete(*, template: Template) -> None:
    """Delete the template, or TemplateInUse when a campaign uses it."""
    try:
        with transaction.atomic():
            template.delete()
    except ProtectedError as error:
        raise TemplateInUse() from error
