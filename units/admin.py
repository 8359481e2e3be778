from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from appraisal.admin import HistoryLinkMixin, ReadOnlyAdmin
from appraisal.selectors import current_year

from .models import (
    Contact,
    Deliverable,
    DeliverableFile,
    DeliverableStep,
    DisclosureItem,
    DisclosurePublication,
    Membership,
    Notification,
    Participation,
    Reminder,
    ServiceObject,
    SubUnit,
    Unit,
)
from .services import participations_enrol


class SubUnitInline(admin.TabularInline):
    model = SubUnit
    extra = 0
    fields = ["kind", "name", "address", "head", "liaison", "phone", "is_active"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["role", "name", "title", "phone", "fax", "address", "email"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0


@admin.register(Unit)
class UnitAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "sector", "subunit_count", "contact_count", "is_active"]
    list_filter = ["kind", "is_active", "sector"]
    search_fields = ["name", "short_name", "sector"]
    inlines = [SubUnitInline, ContactInline, MembershipInline, ParticipationInline]
    actions = ["enrol_in_current_year"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(subunit_total=Count("subunits", distinct=True), contact_total=Count("contacts", distinct=True))
        )

    @admin.display(description=_("sub-units"), ordering="subunit_total")
    def subunit_count(self, unit):
        return unit.subunit_total

    @admin.display(description=_("contacts"), ordering="contact_total")
    def contact_count(self, unit):
        return unit.contact_total

    @admin.action(description=_("Enrol selected units in the current year (focus by kind)"))
    def enrol_in_current_year(self, request, queryset):
        year = current_year()
        if year is None:
            self.message_user(request, _("Create the appraisal year first."), messages.ERROR)
            return
        created = participations_enrol(year=year, units=queryset)
        self.message_user(
            request,
            ngettext("%(count)d unit enrolled in %(year)s.", "%(count)d units enrolled in %(year)s.", created)
            % {"count": created, "year": year.year},
        )


@admin.register(SubUnit)
class SubUnitAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "head", "liaison", "phone", "is_active"]
    list_filter = ["kind", "is_active", "unit__kind"]
    search_fields = ["name", "address", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(Contact)
class ContactAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["name", "role", "unit", "title", "phone", "email"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["name", "phone", "email", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(Membership)
class MembershipAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["user", "unit", "created_at"]
    list_filter = ["unit__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Participation)
class ParticipationAdmin(HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["unit", "year", "is_focus"]
    list_editable = ["is_focus"]
    list_filter = ["year", "is_focus", "unit__kind"]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "year"]
    autocomplete_fields = ["unit"]


class DeliverableFileInline(admin.TabularInline):
    model = DeliverableFile
    extra = 0
    fields = ["original_name", "file_kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DeliverableStepInline(admin.TabularInline):
    model = DeliverableStep
    extra = 0
    fields = ["at", "action", "status", "by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deliverable)
class DeliverableAdmin(HistoryLinkMixin, admin.ModelAdmin):
    """Read only: a deliverable changes hands on its page (submit, 代为报送, review, reopen), where every step is
    recorded and told to the unit; nothing here submits or decides silently."""

    list_display = ["unit", "kind", "status", "submitted_at", "reviewed_at", "year"]
    list_filter = ["year", "kind", "status", "unit__kind"]
    search_fields = ["unit__name", "comment"]
    list_select_related = ["unit", "year"]
    fields = ["year", "unit", "kind", "status", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by", "comment"]
    readonly_fields = fields
    inlines = [DeliverableStepInline, DeliverableFileInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeliverableFile)
class DeliverableFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "deliverable", "file_kind", "size", "uploaded_at"]
    list_filter = ["file_kind", "deliverable__kind"]
    search_fields = ["original_name", "deliverable__unit__name"]
    list_select_related = ["deliverable__unit", "deliverable__year"]
    readonly_fields = ["deliverable", "file", "original_name", "file_kind", "size", "uploaded_by", "uploaded_at"]


@admin.register(DisclosureItem)
class DisclosureItemAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "kind", "statutory_days", "promised_days", "year"]
    list_filter = ["year", "kind", "unit__kind"]
    search_fields = ["title", "content", "unit__name"]
    list_select_related = ["unit", "year"]
    autocomplete_fields = ["unit"]


@admin.register(DisclosurePublication)
class DisclosurePublicationAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "published_at", "published_by"]
    list_filter = ["year"]
    search_fields = ["unit__name"]
    list_select_related = ["unit", "year", "published_by"]
    exclude = ["items"]
    readonly_fields = ["unit", "year", "item_titles", "published_at", "published_by"]

    @admin.display(description=_("items"))
    def item_titles(self, publication):
        return "；".join(item.get("title", "") for item in publication.items or [])

    def has_add_permission(self, request):
        return False  # published by the office's acceptance of the disclosures, never typed in


@admin.register(ServiceObject)
class ServiceObjectAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "occupation", "phone", "email", "year"]
    list_filter = ["year", "unit__kind"]
    search_fields = ["name", "phone", "unit__name"]
    list_select_related = ["unit", "year"]
    autocomplete_fields = ["unit"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """What the reminder job sent, read only: the job alone writes these rows."""

    list_display = ["unit", "deadline", "label", "status", "claimed_at", "sent_at", "attempts"]
    list_filter = ["status", "kind", "deadline__year", "unit__kind"]
    search_fields = ["unit__name", "subject", "deadline__title"]
    list_select_related = ["unit", "deadline"]
    date_hierarchy = "claimed_at"
    fields = [
        "unit",
        "deadline",
        "kind",
        "days_before",
        "status",
        "claimed_at",
        "sent_at",
        "attempts",
        "recipients",
        "cc",
        "subject",
        "body",
        "error",
    ]
    readonly_fields = fields

    @admin.display(description=_("kind of notice"), ordering="kind")
    def label(self, reminder):
        return reminder.label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeliverableStep)
class DeliverableStepAdmin(ReadOnlyAdmin):
    """Every deliverable's submissions and decisions, as the services wrote them."""

    list_display = ["at", "deliverable", "action", "status", "by"]
    list_filter = ["action", "deliverable__year", "deliverable__kind"]
    search_fields = ["deliverable__unit__name", "note"]
    list_select_related = ["deliverable__unit", "deliverable__year", "by"]
    date_hierarchy = "at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """What each hand-off told its receiver, and where it was emailed."""

    list_display = ["created_at", "title", "unit", "user", "created_by"]
    list_filter = ["unit__kind"]
    search_fields = ["title", "body", "unit__name", "user__username"]
    list_select_related = ["unit", "user", "created_by"]
    date_hierarchy = "created_at"
