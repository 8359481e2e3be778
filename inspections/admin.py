from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from appraisal.admin import HistoryLinkMixin

from .models import Evidence, Finding, Inspection, Step


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read only: every change goes through the services (rules, feedback), that is through the pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(HistoryLinkMixin, ReadOnlyAdmin):
    list_display = ["id", "occurred_at", "unit", "supervisor", "mode", "status", "reviewed_by"]
    list_display_links = ["id", "occurred_at"]
    list_filter = ["year", "status", "mode", "unit__kind"]
    search_fields = ["summary", "unit__name", "subunit__name", "supervisor__name"]
    list_select_related = ["unit", "supervisor", "reviewed_by"]
    date_hierarchy = "occurred_at"
    exclude = ["methods"]
    readonly_fields = ["method_names"]

    @admin.display(description=_("methods"))
    def method_names(self, inspection):
        return "、".join(str(label) for label in inspection.method_labels())


@admin.register(Finding)
class FindingAdmin(HistoryLinkMixin, ReadOnlyAdmin):
    list_display = ["id", "inspection", "item", "livelihood", "problem"]
    list_filter = ["livelihood", "inspection__status", "item"]
    search_fields = ["observed", "place", "inspection__unit__name"]
    list_select_related = ["inspection__unit", "item", "problem"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["id", "original_name", "kind", "size", "inspection", "finding", "uploaded_by", "uploaded_at"]
    list_filter = ["kind", "inspection__status", "inspection__mode"]
    search_fields = ["original_name", "inspection__unit__name"]
    list_select_related = ["inspection__unit", "finding__item", "uploaded_by"]
    date_hierarchy = "uploaded_at"


@admin.register(Step)
class StepAdmin(ReadOnlyAdmin):
    """The inspections' timeline: submitted, returned, accepted, with who and when."""

    list_display = ["at", "inspection", "kind", "by"]
    list_filter = ["kind"]
    search_fields = ["note", "inspection__unit__name"]
    list_select_related = ["inspection__unit", "by"]
    date_hierarchy = "at"
