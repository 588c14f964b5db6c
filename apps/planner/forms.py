"""Forms of the planner's pages. The parts' forms only render fields: what they send is checked
by the services (apps/planner/checks.py), whose problems the chat answers with."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.campaigns.models import Audience
from apps.core.errors import ApplicationError
from apps.crm.models.scores import Segment

from .models import Resource, Scenario

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def service_errors(form: forms.Form, error: ApplicationError) -> None:
    """A service's refusal on its form: each problem under the field it names (the planner's
    `ValidationFailed` details are keyed by field), the rest and the message above the form."""
    named = False
    for field, problems in error.details.items():
        if isinstance(problems, list | tuple) and field in form.fields:
            form.add_error(field, [str(problem) for problem in problems])
            named = True
        elif isinstance(problems, list | tuple):
            form.add_error(None, [str(problem) for problem in problems])
    if not named:
        form.add_error(None, error.message)


class ScenarioFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=120)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Active")), *Scenario.Status.choices]
    )


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    theme = forms.CharField(
        label=_("Theme"), max_length=300, required=False, help_text=_("E.g. the launch of a new cuvée.")
    )
    period_start = forms.DateField(label=_("Start"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("End"), required=False, widget=DATE)


class StartForm(forms.Form):
    text = forms.CharField(
        label=_("Describe it in a sentence"),
        max_length=300,
        help_text=_("E.g. “create a scenario: Cuvée launch in March”."),
    )


class ChatForm(forms.Form):
    text = forms.CharField(label=_("Your message"), max_length=2000)


class ObjectiveForm(forms.Form):
    label = forms.CharField(label=_("Objective"), max_length=200)
    metric = forms.CharField(label=_("Metric"), max_length=100, help_text=_("E.g. orders, revenue."))
    target_value = forms.CharField(label=_("Target value"), max_length=20)
    deadline = forms.CharField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TargetForm(forms.Form):
    label = forms.CharField(label=_("Who"), max_length=200)
    segment = forms.ChoiceField(
        label=_("Customer segment"), required=False, choices=[("", _("None (free text)")), *Segment.choices]
    )
    audience = forms.ChoiceField(label=_("Or an audience"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        audiences = Audience.objects.order_by("name").values_list("pk", "name")
        self.fields["audience"].choices = [("", _("None")), *((str(pk), name) for pk, name in audiences)]


class ResourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Resource.Kind.choices)
    label = forms.CharField(label=_("Resource"), max_length=200)
    amount = forms.CharField(label=_("Amount"), required=False, max_length=20)
    unit = forms.CharField(
        label=_("Unit"), required=False, max_length=20, help_text=_("E.g. EUR, people, days.")
    )


# The forms the action buttons carry, by `chat.Action.form`.
PART_FORMS = {"objective": ObjectiveForm, "target": TargetForm, "resource": ResourceForm}


def part_payload(data, form_name: str) -> dict:
    """What a part's form sent, as the chat's payload (values as typed; the services check them)."""
    return {name: data.get(f"{form_name}-{name}", "") for name in PART_FORMS[form_name].base_fields}


class PlannerSettingsForm(forms.Form):
    chat_ttl_days = forms.IntegerField(
        label=_("Keep chat messages for (days)"),
        min_value=1,
        max_value=365,
        help_text=_("Older messages are deleted every hour; scenarios and plans stay."),
    )
