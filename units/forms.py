from crispy_forms.helper import FormHelper
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from appraisal.excel import PHONE_RE

from .models import Contact, SubUnit

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
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )
