from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appraisal.models import EvaluationItem
from units.models import DisclosureItem

from .models import Finding, Inspection
from .services import REOPEN_REASON_REQUIRED

DATETIME_INPUT = {"attrs": {"type": "datetime-local"}, "format": "%Y-%m-%dT%H:%M"}


def _helper(*fields):
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*fields)
    return helper


class InspectionFields(forms.Form):
    """What is known when a supervisor starts the entry: when, how."""

    occurred_at = forms.DateTimeField(
        label=_("Date and time of the inspection"), widget=forms.DateTimeInput(**DATETIME_INPUT)
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=Inspection.Mode.choices, widget=forms.RadioSelect)
    methods = forms.MultipleChoiceField(
        label=_("Methods"), choices=Inspection.Method.choices, widget=forms.CheckboxSelectMultiple
    )
    other_method = forms.CharField(
        label=_("Other method"), max_length=100, required=False, help_text=_("Only when you ticked “Other”.")
    )


class InspectionCreateForm(InspectionFields):
    unit = forms.ModelChoiceField(label=_("Unit inspected"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        self.order_fields(["unit", "occurred_at", "mode", "methods", "other_method"])
        self.helper = _helper("unit", "occurred_at", "mode", "methods", "other_method")


class InspectionForm(InspectionFields):
    """The whole entry of a draft; the choices are the unit's sub-units, items and published commitments."""

    subunit = forms.ModelChoiceField(label=_("Sub-unit or window"), queryset=None, required=False)
    items = forms.ModelMultipleChoiceField(
        label=_("Evaluation items checked"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    commitments = forms.ModelMultipleChoiceField(
        label=_("Published commitments checked"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    summary = forms.CharField(
        label=pgettext_lazy("inspection", "Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Needed to submit. If you found nothing wrong, say so."),
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        unit = inspection.unit
        self.fields["subunit"].queryset = unit.subunits.filter(is_active=True).order_by("name")
        self.fields["items"].queryset = EvaluationItem.objects.filter(kind=unit.kind).order_by("position")
        self.fields["commitments"].queryset = DisclosureItem.objects.filter(unit=unit, year=inspection.year_id)
        if not self.is_bound:
            self.initial.update(
                {name: getattr(inspection, name) for name in ("mode", "methods", "other_method", "summary")}
                | {
                    "occurred_at": timezone.localtime(inspection.occurred_at),
                    "subunit": inspection.subunit_id,
                    "items": [item.pk for item in inspection.items.all()],
                    "commitments": [item.pk for item in inspection.commitments.all()],
                }
            )
        layout = ["occurred_at", "mode", "subunit", "methods", "other_method", "items", "commitments", "summary"]
        if not self.fields["commitments"].queryset.exists():  # the unit has published none for the year
            del self.fields["commitments"]
            layout.remove("commitments")
        self.helper = _helper(*layout)


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["item", "observed", "place", "livelihood"]
        widgets = {"observed": forms.Textarea(attrs={"rows": 3})}
        labels = {"livelihood": _("This is a livelihood (民生) issue")}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = EvaluationItem.objects.filter(kind=unit.kind).order_by("position")
        self.helper = _helper("item", "observed", "place", "livelihood")


class EvidenceForm(forms.Form):
    """A file from the phone: the camera, the recorder or the gallery."""

    upload = forms.FileField(
        label=_("Photo, recording or document"),
        widget=forms.FileInput(attrs={"accept": "image/*,audio/*,video/*,.pdf,.doc,.docx"}),
        help_text=_("JPG or PNG photos, MP4, MOV, 3GP, M4A, MP3, AMR or WAV recordings, PDF or Word documents."),
    )
    finding = forms.ModelChoiceField(
        label=_("Which finding it shows"), queryset=None, required=False, empty_label=_("The inspection as a whole")
    )

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].queryset = inspection.findings.select_related("item")
        self.helper = _helper("upload", "finding")


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What should the supervisor change?"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("comment")  # the template writes the <form>: crispy's own would nest inside it


class ReopenForm(forms.Form):
    """The office undoes its acceptance: why, and where the inspection goes."""

    TO_SUPERVISOR, TO_REVIEW = "supervisor", "review"

    reason = forms.CharField(
        label=_("Why is the acceptance undone?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": REOPEN_REASON_REQUIRED},
        help_text=_("The supervisor reads it, and the unit reads it with each problem taken back from its register."),
    )
    back_to = forms.ChoiceField(
        label=_("The inspection goes"),
        choices=[
            (TO_SUPERVISOR, _("back to the supervisor, to correct and submit again")),
            (TO_REVIEW, _("back to the office's review queue")),
        ],
        initial=TO_SUPERVISOR,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("reason", "back_to")

    def clean(self):
        cleaned = super().clean()
        if "back_to" in cleaned:
            cleaned["back_to_supervisor"] = cleaned.pop("back_to") == self.TO_SUPERVISOR
        return cleaned
