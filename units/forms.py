from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from appraisal.excel import PHONE_RE, XLSX_ACCEPT

from .models import Contact, DisclosureItem, ServiceObject, SubUnit
from .services.disclosures import disclosure_missing_fields

phone_validator = RegexValidator(
    PHONE_RE, _("Use digits, spaces, “-” and “转” only, for example 025-84567890 转 8001.")
)


class UnitPartForm(forms.ModelForm):
    """Sub-units and contacts: laid out by crispy, phones checked the same way as in the import."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("phone", "fax"):
            if name in self.fields:
                self.fields[name].validators.append(phone_validator)
        self.helper = FormHelper()
        self.helper.form_tag = False


class SubUnitForm(UnitPartForm):
    class Meta:
        model = SubUnit
        fields = ["kind", "name", "address", "head", "liaison", "phone", "is_active"]


class ContactForm(UnitPartForm):
    class Meta:
        model = Contact
        fields = ["role", "name", "title", "phone", "fax", "address", "email"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "fax": forms.TextInput(attrs={"inputmode": "tel"}),
        }


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Roster workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )


class DeliverableFileForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word (.docx/.doc), WPS, OFD or Excel; at most %(size)s MB.")
        % {"size": settings.DOCUMENT_MAX_UPLOAD_BYTES // (1024 * 1024)},
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for correction"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment to the unit"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DisclosureItemForm(UnitPartForm):
    class Meta:
        model = DisclosureItem
        fields = [
            "kind",
            "title",
            "content",
            "legal_basis",
            "statutory_days",
            "promised_days",
            "fee_standard",
            "fee_relief",
            "contact",
            "feedback",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        for field, message in disclosure_missing_fields(data):
            self.add_error(field, message)
        return data


class ServiceObjectForm(UnitPartForm):
    class Meta:
        model = ServiceObject
        fields = ["name", "occupation", "address", "phone", "fax", "email"]
        widgets = {
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "fax": forms.TextInput(attrs={"inputmode": "tel"}),
        }


class SubmitForUnitForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the office submits for the unit"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded on the deliverable and sent to the unit."),
    )


class ReopenForm(forms.Form):
    RETURN_TO_UNIT, REVIEW_AGAIN = "return", "review"

    reason = forms.CharField(
        label=_("Why the decision is reopened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    then = forms.ChoiceField(
        label=_("Then"),
        choices=[
            (RETURN_TO_UNIT, _("Return it to the unit to correct and submit again")),
            (REVIEW_AGAIN, _("Review it again (the unit has nothing to submit)")),
        ],
        initial=RETURN_TO_UNIT,
        widget=forms.RadioSelect,
    )
