from django.contrib import admin

from appraisal.admin import HistoryLinkMixin

from .models import Appointment, AppointmentChange, AppointmentEndRequest, Supervisor, Training


class AppointmentInline(admin.TabularInline):
    """Read-only here: appointments are made through the services (the rules), on the office's pages."""

    model = Appointment
    fk_name = "supervisor"
    extra = 0
    fields = ["year", "unit", "starts_on", "ends_on", "ended_on", "end_reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Supervisor)
class SupervisorAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["name", "sector", "employer", "employer_unit", "phone", "user"]
    list_filter = ["sector", ("employer_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "employer", "phone", "email"]
    list_select_related = ["employer_unit", "user"]
    raw_id_fields = ["user"]
    inlines = [AppointmentInline]


@admin.register(Appointment)
class AppointmentAdmin(HistoryLinkMixin, admin.ModelAdmin):
    """Read-only: the rules (不得兼任, employer, team size) are enforced by the services behind the office pages."""

    list_display = ["supervisor", "year", "unit", "starts_on", "ends_on", "ended_on"]
    list_filter = ["year", ("unit", admin.RelatedOnlyFieldListFilter), "supervisor__sector"]
    search_fields = ["supervisor__name", "unit__name", "end_reason"]
    list_select_related = ["supervisor", "year", "unit"]
    date_hierarchy = "starts_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "topic", "place"]
    search_fields = ["topic", "place"]
    date_hierarchy = "held_on"
    filter_horizontal = ["attendees"]


class RecordAdmin(admin.ModelAdmin):
    """Read-only: written by the services behind the office's and the units' pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AppointmentChange)
class AppointmentChangeAdmin(RecordAdmin):
    list_display = ["at", "appointment", "kind", "effective_on", "by"]
    list_filter = ["kind"]
    search_fields = ["reason", "appointment__supervisor__name", "appointment__unit__name"]
    list_select_related = ["appointment__supervisor", "appointment__unit", "appointment__year", "by"]


@admin.register(AppointmentEndRequest)
class AppointmentEndRequestAdmin(RecordAdmin):
    list_display = ["asked_at", "appointment", "status", "asked_by", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["reason", "decision_note", "appointment__supervisor__name", "appointment__unit__name"]
    list_select_related = [
        "appointment__supervisor",
        "appointment__unit",
        "appointment__year",
        "asked_by",
        "decided_by",
    ]
