from django import forms
from django.utils.translation import gettext_lazy as _

from .labels import object_type_label
from .models import AuditEntry


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, max_length=100)
    object_type = forms.ChoiceField(label=_("What"), required=False)
    action = forms.ChoiceField(
        label=_("Action"), required=False, choices=[("", _("Any")), *AuditEntry.Action.choices]
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, object_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        named = sorted(((name, object_type_label(name)) for name in object_types), key=lambda pair: pair[1])
        self.fields["object_type"].choices = [("", _("Anything")), *named]
