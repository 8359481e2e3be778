from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from appraisal.models import AppraisalYear
from units.models import Unit

from .models import Report

NEEDS_YEAR = _("Choose the year of the summary. The office creates years in the admin site.")


class SummaryRequestForm(forms.Form):
    """What the office asks a summary for: the year, optionally one unit, and the period of the inspection
    register. One form per summary kind on the page, told apart by their prefix."""

    kind = forms.ChoiceField(choices=Report.Kind.choices, widget=forms.HiddenInput)
    year = forms.ModelChoiceField(
        label=_("Year"),
        queryset=AppraisalYear.objects.order_by("-year"),
        error_messages={"required": NEEDS_YEAR, "invalid_choice": NEEDS_YEAR},
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.order_by("kind", "name"),
        required=False,
        empty_label=_("All units"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, prefix=kind, initial={"kind": kind} | kwargs.pop("initial", {}), **kwargs)
        self.kind = kind
        if kind != Report.Kind.INSPECTIONS:
            del self.fields["date_from"], self.fields["date_to"]

    def clean_kind(self):
        if self.cleaned_data["kind"] != self.kind:
            raise ValidationError(_("Unknown summary."))
        return self.kind
