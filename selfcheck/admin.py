from django.contrib import admin

from appraisal.admin import HistoryLinkMixin, ReadOnlyAdmin

from .models import Complaint, ComplaintStep, Problem, ProblemStep


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ProblemStepInline(ReadOnlyInline):
    model = ProblemStep
    fields = ["at", "action", "status_from", "status_to", "by", "note"]
    readonly_fields = fields


class ComplaintStepInline(ReadOnlyInline):
    model = ComplaintStep
    fields = ["at", "action", "by", "note", "problem"]
    readonly_fields = fields


@admin.register(Problem)
class ProblemAdmin(HistoryLinkMixin, admin.ModelAdmin):
    """Read only: every change goes through the services (rules, version), that is through the register pages."""

    inlines = [ProblemStepInline]

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

    inlines = [ComplaintStepInline]

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


@admin.register(ProblemStep)
class ProblemStepAdmin(ReadOnlyAdmin):
    """Every problem's timeline, as the services wrote it; also shown under each problem."""

    list_display = ["at", "problem", "action", "status_from", "status_to", "by"]
    list_filter = ["action", "problem__year"]
    search_fields = ["problem__description", "problem__unit__name", "note"]
    list_select_related = ["problem", "by"]
    date_hierarchy = "at"


@admin.register(ComplaintStep)
class ComplaintStepAdmin(ReadOnlyAdmin):
    """The office's decisions on public complaints, undone ones included."""

    list_display = ["at", "complaint", "action", "by"]
    list_filter = ["action"]
    search_fields = ["complaint__code", "note"]
    list_select_related = ["complaint", "by"]
    date_hierarchy = "at"
