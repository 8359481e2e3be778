from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.excel import XLSX_ACCEPT
from appraisal.models import EvaluationItem
from appraisal.uploads import KIND_EXTENSIONS
from units.forms import phone_validator
from units.models import SubUnit, Unit

from .models import DUE_DATE_REQUIRED, Complaint, Problem
from .services.complaints import DEFAULT_DAYS, DEFAULT_DISPOSITION, default_due_on
from .services.problems import EVIDENCE_KINDS
from .services.workbook import TEXT_LIMIT

DATE_INPUT = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_LIMIT})


class ProblemForm(forms.ModelForm):
    """A problem of the register; the choices are the unit's own evaluation items and sub-units."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Problem
        fields = [
            "source",
            "found_on",
            "item",
            "subunit",
            "description",
            "cause",
            "measure",
            "disposition",
            "due_on",
            "responsible",
            "note",
        ]
        widgets = {
            "found_on": forms.DateInput(**DATE_INPUT),
            "due_on": forms.DateInput(**DATE_INPUT),
            "description": _textarea(4),
            "cause": _textarea(),
            "measure": _textarea(),
            "note": _textarea(2),
        }
        help_texts = {"due_on": _("Required when the problem is solved by a deadline or put in the plan.")}

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = EvaluationItem.objects.filter(kind=unit.kind).order_by("position")
        self.fields["subunit"].queryset = unit.subunits.order_by("name")
        for name in ("description", "cause", "measure", "note"):
            self.fields[name].max_length = TEXT_LIMIT
        if self.instance.pk:
            self.initial["expected_version"] = self.instance.version
        else:
            self.initial.setdefault("found_on", timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("source", css_class="col-md-4"), Column("found_on", css_class="col-md-4")),
            Row(Column("item", css_class="col-md-4"), Column("subunit", css_class="col-md-8")),
            "description",
            "cause",
            "measure",
            Row(
                Column("disposition", css_class="col-md-4"),
                Column("due_on", css_class="col-md-4"),
                Column("responsible", css_class="col-md-4"),
            ),
            "note",
            "expected_version",
        )

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _accept(kinds):
    return ",".join(KIND_EXTENSIONS[kind] for kind in kinds)


class LaidOutForm(forms.Form):
    """Laid out by crispy inside the page's own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class RectifyForm(LaidOutForm):
    note = forms.CharField(label=_("What was done"), widget=_textarea(4), max_length=TEXT_LIMIT)
    evidence = forms.FileField(
        label=_("Evidence (optional)"),
        required=False,
        help_text=_("A document or a photo that shows the rectification: PDF, Word, Excel, OFD, JPG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": _accept(EVIDENCE_KINDS)}),
    )


class ExplainForm(LaidOutForm):
    note = forms.CharField(
        label=_("Why the problem cannot be solved"),
        widget=_textarea(4),
        max_length=TEXT_LIMIT,
        help_text=_("This closes the problem with the disposition “explain why it cannot be solved”."),
    )


class RegisterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register workbook (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT})
    )


class ProblemFilterForm(forms.Form):
    """The register's filters. Every field is optional; a bad value is ignored rather than refused."""

    q = forms.CharField(label=_("Text"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    item = forms.ModelChoiceField(
        label=_("Evaluation item"), queryset=EvaluationItem.objects.none(), required=False, empty_label=_("All")
    )
    subunit = forms.ModelChoiceField(label=_("Sub-unit or window"), queryset=None, required=False, empty_label=_("All"))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All"))
    incomplete = forms.BooleanField(label=_("Incomplete only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["status"].choices = every + Problem.Status.choices
        self.fields["source"].choices = every + Problem.Source.choices
        items = EvaluationItem.objects.order_by("kind", "position")
        if unit is not None:
            items = items.filter(kind=unit.kind)
            self.fields["subunit"].queryset = unit.subunits.order_by("name")
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = Unit.objects.order_by("kind", "name")
            del self.fields["subunit"]
            self.fields["item"].label_from_instance = lambda item: f"{item.name}（{item.get_kind_display()}）"
        self.fields["item"].queryset = items
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")
        self.fields["q"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["q"].widget.attrs["placeholder"] = _("Search problems, causes, measures…")
        self.fields["incomplete"].widget.attrs["class"] = "form-check-input"
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"

    def filters(self) -> dict:
        self.is_valid()  # the fields that are valid are in cleaned_data; the others are left out
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "", False)}


class ComplaintForm(forms.ModelForm):
    """The public form. The hidden key makes a double submit store one complaint."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    class Meta:
        model = Complaint
        fields = ["unit", "what", "occurred_on", "place", "name", "phone"]
        widgets = {
            "what": forms.Textarea(attrs={"rows": 5}),
            "occurred_on": forms.DateInput(attrs={"type": "date"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }
        help_texts = {
            "what": _("Which window or office, what happened, what you expected."),
            "name": _("Optional. Only the district appraisal office sees your name and phone."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("kind", "name")
        self.fields["phone"].validators.append(phone_validator)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


# At triage the office decides how the unit is to solve the complaint; explaining why not is the unit's to say.
TRIAGE_DISPOSITIONS = (Problem.Disposition.IMMEDIATE, Problem.Disposition.DEADLINE, Problem.Disposition.PLAN)


class ComplaintAcceptForm(LaidOutForm):
    """What the unit's register gets with the complaint: the evaluation item (the office chooses it), and the
    disposition and deadline, pre-set to the default the office may change."""

    item = forms.ModelChoiceField(
        label=_("Evaluation item"), queryset=EvaluationItem.objects.none(), empty_label=_("Choose the item…")
    )
    subunit = forms.ModelChoiceField(label=_("Sub-unit or window"), queryset=SubUnit.objects.none(), required=False)
    disposition = forms.ChoiceField(
        label=_("Disposition"),
        choices=[(d.value, d.label) for d in TRIAGE_DISPOSITIONS],
        initial=DEFAULT_DISPOSITION,
    )
    due_on = forms.DateField(
        label=_("Rectification deadline"),
        required=False,
        widget=forms.DateInput(**DATE_INPUT),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = EvaluationItem.objects.filter(kind=unit.kind).order_by("position")
        self.fields["subunit"].queryset = unit.subunits.filter(is_active=True).order_by("name")
        self.initial.setdefault("due_on", default_due_on())
        self.fields["due_on"].help_text = _(
            "Proposed: solved by a deadline %(days)s days from today. Change both if the case needs it."
        ) % {"days": DEFAULT_DAYS}

    def clean(self):
        data = super().clean()
        if data.get("disposition") in (Problem.Disposition.DEADLINE, Problem.Disposition.PLAN) and not data.get(
            "due_on"
        ):
            self.add_error("due_on", DUE_DATE_REQUIRED)
        return data


class ComplaintRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The citizen reads it with the tracking code."),
    )


class ReasonForm(LaidOutForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_LIMIT)


class ComplaintLookupForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20)
