from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db import models
from django.shortcuts import redirect
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import REMINDER_VARIABLES, AppraisalYear, Deadline, EvaluationItem, PersonalDataExport, ReminderSettings
from .roles import group_label
from .services import (
    calendar_errors,
    deadline_error,
    deadlines_create_defaults,
    default_focus,
    default_phases,
    next_free_year,
    same_focus_error,
)

admin.site.site_header = _("Democratic evaluation of government and industry conduct")
admin.site.site_title = _("Appraisal office")
admin.site.index_title = _("Office administration")


class HistoryLinkMixin:
    """The admin's “History” button opens the record's audit trail (appraisal.history) rather than Django's own
    log, which misses every change made outside the admin."""

    def history_view(self, request, object_id, extra_context=None):
        return redirect("history", self.opts.app_label, self.opts.model_name, unquote(object_id))


class DeadlineFormSet(forms.BaseInlineFormSet):
    """Each deadline falls within its year (the year typed in the same form)."""

    def clean(self):
        super().clean()
        year = self.instance.year
        if not year:
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE"):
                continue
            error = deadline_error(year=year, due_date=data.get("due_date"), title=data.get("title") or "")
            if error:
                form.add_error("due_date", error)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the application writes and nobody edits: timelines, notifications, logs."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DeadlineInline(admin.TabularInline):
    model = Deadline
    formset = DeadlineFormSet
    extra = 0
    fields = ["due_date", "title", "description", "owner", "recipient", "code"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}}


HEARING_SETTINGS = [
    "hearing_quorum_representatives",
    "hearing_quorum_supervisors",
    "hearing_rate_formula",
    "hearing_weight_satisfied",
    "hearing_weight_fairly",
    "hearing_weight_dissatisfied",
]


class AppraisalYearForm(forms.ModelForm):
    """The year's settings and calendar. The phases stay within the year and follow one another, each error on
    its field; a focus equal to last year's needs the box ticked that appears with the error. The hearing
    settings may be left empty: the district's defaults then apply."""

    confirm_same_focus = forms.BooleanField(
        label=_("I know the focus is the same as last year's"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in HEARING_SETTINGS:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in HEARING_SETTINGS:
            if cleaned.get(name) in (None, ""):
                cleaned[name] = AppraisalYear._meta.get_field(name).get_default()
        year = cleaned.get("year")
        if year:
            for name, error in calendar_errors(year=year, dates=cleaned).items():
                self.add_error(name, error)
            self._check_focus(year, cleaned)
        return cleaned

    def _check_focus(self, year, cleaned):
        if not cleaned.get("focus") or not (self.instance._state.adding or {"year", "focus"} & set(self.changed_data)):
            return
        error = same_focus_error(year=year, focus=cleaned["focus"])
        if error and not cleaned.get("confirm_same_focus"):
            self.add_error("focus", error)
            self.fields["confirm_same_focus"].widget = forms.CheckboxInput()


@admin.register(AppraisalYear)
class AppraisalYearAdmin(HistoryLinkMixin, admin.ModelAdmin):
    form = AppraisalYearForm
    list_display = ["year", "focus", "mobilisation_start", "selfcheck_start", "evaluation_start", "evaluation_end"]
    list_filter = ["focus"]
    search_fields = ["year"]
    inlines = [DeadlineInline]
    fieldsets = [
        (None, {"fields": ["year", "focus", "confirm_same_focus"]}),
        (
            _("Phases"),
            {
                "fields": [
                    ("mobilisation_start", "mobilisation_end"),
                    ("selfcheck_start", "selfcheck_end"),
                    ("evaluation_start", "evaluation_end"),
                ]
            },
        ),
        (
            _("Supervisors"),
            {
                "fields": [
                    ("district_team_size", "unit_team_minimum", "unit_team_service_objects"),
                    ("district_inspection_quota", "unit_team_selfcheck_quota", "unit_team_inspection_quota"),
                ]
            },
        ),
        (
            _("Hearings"),
            {
                "fields": [
                    (HEARING_SETTINGS[0], HEARING_SETTINGS[1]),
                    HEARING_SETTINGS[2],
                    tuple(HEARING_SETTINGS[3:]),
                ],
                "description": _("The composite score averages these scores over all answers except “don't know”."),
            },
        ),
    ]

    def get_changeform_initial_data(self, request):
        """A new year is proposed as the next free one, with its own default phases and the alternated focus."""
        year = next_free_year()
        return {"year": year, "focus": default_focus(year), **default_phases(year)}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A new year gets the default calendar; deadlines the office typed in the same form are kept.
        if not change:
            deadlines_create_defaults(appraisal_year=form.instance)


@admin.register(Deadline)
class DeadlineAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["due_date", "title", "owner", "recipient", "year"]
    list_filter = ["year", "owner"]
    search_fields = ["title", "description"]
    list_select_related = ["year"]
    date_hierarchy = "due_date"


@admin.register(EvaluationItem)
class EvaluationItemAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "position"]
    list_filter = ["kind"]
    search_fields = ["name"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(HistoryLinkMixin, admin.ModelAdmin):
    """The office edits when units are reminded and what the notices say; each text is checked on save."""

    list_display = ["year", "days_before", "bulletin_days"]
    list_select_related = ["year"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 12, "cols": 80})}}
    fieldsets = [
        (None, {"fields": ["year", "days_before", "bulletin_days"]}),
        (
            _("Texts"),
            {
                "fields": ["before_subject", "before_body", "overdue_subject", "overdue_body"],
                "description": format_lazy(
                    _(
                        "The texts are templates. They may use: {variables}. The overdue notice is copied to the "
                        "unit's leadership-group head."
                    ),
                    variables=REMINDER_VARIABLES,
                ),
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return ["year"] if obj else []


@admin.register(PersonalDataExport)
class PersonalDataExportAdmin(admin.ModelAdmin):
    """Who took personal data out of the system, and when: written by the export pages, never edited here."""

    list_display = ["at", "user", "kind", "description", "rows"]
    list_filter = ["kind"]
    search_fields = ["user__username", "kind", "description"]
    list_select_related = ["user"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RoleGroupFilter(admin.RelatedFieldListFilter):
    """The groups filter with the roles' names people read (appraisal.roles.GROUP_LABELS)."""

    def field_choices(self, field, request, model_admin):
        return [(pk, group_label(name)) for pk, name in field.related_model.objects.values_list("pk", "name")]


class AccountAdmin(UserAdmin):
    """User accounts as the office manages them: roles through groups, never superuser rights."""

    list_display = ["username", "first_name", "email", "is_staff", "is_active", "last_login"]
    list_filter = [("groups", RoleGroupFilter), "is_staff", "is_active"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups":
            field.label_from_instance = group_label
        return field

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return fields


admin.site.unregister(User)
admin.site.register(User, AccountAdmin)
