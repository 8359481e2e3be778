from django.contrib import admin

from .models import CityDispatch, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read only: summaries are asked for, built and sent through the summaries page and its jobs."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CityDispatchInline(admin.TabularInline):
    model = CityDispatch
    extra = 0
    fields = ["to", "status", "sent_by", "sent_at", "attempts", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "year", "unit", "status", "rows_done", "requested_by", "requested_at", "finished_at"]
    list_display_links = ["id", "kind"]
    list_filter = ["kind", "status", "year"]
    list_select_related = ["year", "unit", "requested_by"]
    date_hierarchy = "requested_at"
    exclude = ["file"]  # downloaded through the summaries page, which checks who asks
    inlines = [CityDispatchInline]


@admin.register(CityDispatch)
class CityDispatchAdmin(ReadOnlyAdmin):
    list_display = ["id", "report", "to", "status", "sent_by", "schedule", "sent_at", "attempts"]
    list_filter = ["status", "report__kind"]
    search_fields = ["to", "schedule"]
    list_select_related = ["report__year", "sent_by"]
    date_hierarchy = "created_at"
