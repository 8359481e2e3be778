from django.contrib import admin

from appraisal.admin import HistoryLinkMixin

from .models import Attendee, Ballot, BallotToken, Hearing, HearingEvent, SurveyResult, WindowNomination


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read only: every change goes through the services (quorum, tokens, secrecy), that is through the pages."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Hearing)
class HearingAdmin(HistoryLinkMixin, ReadOnlyAdmin):
    list_display = ["held_on", "unit", "venue", "status", "voters", "web_ballots", "paper_ballots", "draw_seed"]
    list_filter = ["year", "status", "unit__kind"]
    search_fields = ["unit__name", "venue"]
    list_select_related = ["unit", "year"]
    date_hierarchy = "held_on"


@admin.register(HearingEvent)
class HearingEventAdmin(ReadOnlyAdmin):
    list_display = ["hearing", "status", "by", "at"]
    list_filter = ["status"]
    search_fields = ["hearing__unit__name", "by__username"]
    list_select_related = ["hearing__unit", "by"]


@admin.register(Attendee)
class AttendeeAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "hearing", "kind", "drawn", "checked_in"]
    list_filter = ["kind", "drawn", "checked_in"]
    search_fields = ["service_object__name", "supervisor__name", "hearing__unit__name"]
    list_select_related = ["hearing__unit", "service_object", "supervisor"]


@admin.register(BallotToken)
class BallotTokenAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "hearing", "used"]
    list_filter = ["used", "hearing__status"]
    search_fields = ["hearing__unit__name"]
    list_select_related = ["hearing__unit"]
    exclude = ["secret"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    """No per-row identity is shown: the random id would tell nothing, and rows are listed by hearing only."""

    list_display = ["hearing", "origin", "comment"]
    list_display_links = None
    list_filter = ["origin", "hearing__status"]
    search_fields = ["hearing__unit__name", "comment"]
    list_select_related = ["hearing__unit"]


@admin.register(SurveyResult)
class SurveyResultAdmin(ReadOnlyAdmin):
    """Read only: results come from the survey import, which checks every row."""

    list_display = ["unit", "year", "respondents", "satisfied", "fairly", "dissatisfied", "unknown", "imported_at"]
    list_filter = ["year", "unit__kind"]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "year"]


@admin.register(WindowNomination)
class WindowNominationAdmin(ReadOnlyAdmin):
    """Read only: the two-per-year limit and the decisions go through the nominations page."""

    list_display = ["subunit", "award", "year", "status", "decided_by", "decided_at"]
    list_filter = ["year", "award", "status"]
    search_fields = ["subunit__name", "subunit__unit__name", "reasons"]
    list_select_related = ["subunit__unit", "year", "decided_by"]
