from django.contrib import admin

from appraisal.admin import HistoryLinkMixin

from .models import Appointment, Supervisor, Training


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
