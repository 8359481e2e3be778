from django.contrib import admin

from appraisal.admin import HistoryLinkMixin

from .models import Complaint, Problem


@admin.register(Problem)
class ProblemAdmin(HistoryLinkMixin, admin.ModelAdmin):
    """Read only: every change goes through the services (rules, version), that is through the register pages."""

    list_display = ["id", "unit", "year", "source", "item", "found_on", "disposition", "due_on", "status"]
    list_display_links = ["id", "unit"]
    list_filter = ["year", "status", "source", "disposition", "unit__kind", "item"]
    search_fields = ["description", "cause", "measure", "responsible", "note", "unit__name", "subunit__name"]
    list_select_related = ["unit", "year", "item"]
    date_hierarchy = "found_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read-only: complaints are handled on the office's triage pages, through the services."""

    list_display = ["code", "unit", "status", "submitted_at", "triaged_at"]
    list_filter = ["status", "unit__kind"]
    search_fields = ["code", "what", "unit__name"]
    list_select_related = ["unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
