from django import forms
from django.utils.translation import gettext_lazy as _

from appraisal.excel import XLSX_ACCEPT
from appraisal.models import AppraisalYear
from supervisors.models import Supervisor
from units.models import SubUnit

from .models import Hearing, WindowNomination
from .services import eligible_supervisors


class HearingForm(forms.ModelForm):
    class Meta:
        model = Hearing
        fields = ["unit", "year", "held_on", "venue"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}


class DrawForm(forms.Form):
    count = forms.IntegerField(label=_("How many to draw"), min_value=1, max_value=1000)
    seed = forms.IntegerField(
        label=_("Seed"), min_value=0, required=False, help_text=_("Leave empty for a fresh random seed.")
    )


class RepresentativeForm(forms.Form):
    service_object = forms.ModelChoiceField(label=_("Service object"), queryset=None)

    def __init__(self, *args, hearing, **kwargs):
        super().__init__(*args, **kwargs)
        listed = hearing.attendees.exclude(service_object=None).values("service_object")
        self.fields["service_object"].queryset = hearing.unit.service_objects.filter(year=hearing.year).exclude(
            pk__in=listed
        )


class SupervisorForm(forms.Form):
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=None)

    def __init__(self, *args, hearing, **kwargs):
        super().__init__(*args, **kwargs)
        listed = hearing.attendees.exclude(supervisor=None).values("supervisor")
        eligible = eligible_supervisors(hearing).values("supervisor")
        self.fields["supervisor"].queryset = Supervisor.objects.filter(pk__in=eligible).exclude(pk__in=listed)


class SurveyUploadForm(forms.Form):
    year = forms.ModelChoiceField(label=_("Survey year"), queryset=AppraisalYear.objects.order_by("-year"))
    file = forms.FileField(
        label=_("Survey workbook (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT})
    )


class NominationForm(forms.ModelForm):
    class Meta:
        model = WindowNomination
        fields = ["subunit", "award", "reasons", "commitments", "satisfaction_evidence"]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields[2:]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subunit"].queryset = SubUnit.objects.filter(is_active=True).select_related("unit")


class DecisionForm(forms.Form):
    selected = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Selected")), ("0", _("Not selected"))],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label=_("Decision note"), required=False, max_length=1000)
