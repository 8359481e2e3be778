from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.excel import XLSX_ACCEPT
from units.forms import phone_validator
from units.models import Unit

from .models import Supervisor, Training

DATE_INPUT = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
DISTRICT = "district"


class LaidOutForm:
    def _lay_out(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class SupervisorForm(LaidOutForm, forms.ModelForm):
    class Meta:
        model = Supervisor
        fields = ["name", "sector", "employer", "employer_unit", "phone", "email"]
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].validators.append(phone_validator)
        self.fields["employer_unit"].queryset = Unit.objects.filter(is_active=True).order_by("kind", "name")
        self._lay_out()


class TeamMemberForm(SupervisorForm):
    """A person to put on a team: an existing supervisor of this name and phone is reused, not changed."""

    starts_on = forms.DateField(
        label=_("term starts"),
        required=False,
        widget=forms.DateInput(**DATE_INPUT),
        help_text=_("Today when empty; the term lasts one year."),
    )

    def validate_unique(self):
        """Same name and phone means the same person: the service reuses the record."""


def team_choices():
    return [(DISTRICT, _("District supervisor team"))] + [
        (str(pk), name)
        for pk, name in Unit.objects.filter(is_active=True).order_by("kind", "name").values_list("pk", "name")
    ]


class AppointForm(LaidOutForm, forms.Form):
    team = forms.ChoiceField(label=_("team"))
    starts_on = forms.DateField(label=_("term starts"), widget=forms.DateInput(**DATE_INPUT))
    ends_on = forms.DateField(
        label=_("term ends"),
        required=False,
        widget=forms.DateInput(**DATE_INPUT),
        help_text=_("One year after the start when empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = team_choices()
        self.fields["starts_on"].initial = timezone.localdate()
        self._lay_out()

    def clean_team(self):
        value = self.cleaned_data["team"]
        return None if value == DISTRICT else Unit.objects.get(pk=value)


class EndForm(LaidOutForm, forms.Form):
    ended_on = forms.DateField(
        label=_("ends on"),
        widget=forms.DateInput(**DATE_INPUT),
        help_text=_("From this day the supervisor no longer serves on the team."),
    )
    reason = forms.CharField(label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()
        self._lay_out()


class TrainingForm(LaidOutForm, forms.ModelForm):
    class Meta:
        model = Training
        fields = ["held_on", "topic", "place", "attendees"]
        widgets = {"held_on": forms.DateInput(**DATE_INPUT), "attendees": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Supervisor.objects.order_by("name", "id")
        self._lay_out()


class SupervisorFilterForm(forms.Form):
    TEAMS = [
        ("", _("Any team")),
        ("district", _("District team")),
        ("unit", _("A unit's team")),
        ("none", _("No appointment this year")),
    ]
    q = forms.CharField(label=_("Search"), required=False)
    sector = forms.ChoiceField(label=_("sector"), required=False)
    team = forms.ChoiceField(label=_("team"), required=False, choices=TEAMS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("Any sector")), *Supervisor.Sector.choices]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
        self.fields["q"].widget.attrs["class"] = "form-control form-control-sm"

    def filters(self):
        if not self.is_valid():
            return {}
        return {key: self.cleaned_data[key] for key in ("q", "sector", "team")}


class SupervisorUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Supervisor workbook (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT})
    )


class EndRequestForm(LaidOutForm, forms.Form):
    reason = forms.CharField(
        label=_("Why should the appointment end?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The office reads it to decide, and it is kept as the reason for the end if the office agrees."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._lay_out()


class DeclineForm(forms.Form):
    note = forms.CharField(
        label=_("Why the appointment stays"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReinstateForm(forms.Form):
    reason = forms.CharField(label=_("Why the end is undone"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
