from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from appraisal.history import track
from appraisal.models import AppraisalYear, Deadline, Focus


@track()
class Unit(models.Model):
    """An evaluated government department (部门) or public-service industry unit (行业单位)."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, error_messages={"unique": _("A unit of this name already exists.")}
    )
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Focus.choices)
    sector = models.CharField(_("sector"), max_length=30, help_text=_("For example 教育, 卫生, 旅游, 公安."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("evaluated unit")
        verbose_name_plural = _("evaluated units")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    @property
    def display_name(self):
        return self.short_name or self.name


@track()
class SubUnit(models.Model):
    """A grassroots station, office, hospital, school or service window of a unit."""

    class Kind(models.TextChoices):
        STATION = "station", _("Station")
        OFFICE = "office", _("Office")
        HOSPITAL = "hospital", _("Hospital")
        SCHOOL = "school", _("School")
        WINDOW = "window", _("Service window")
        SERVICE_CENTRE = "service_centre", _("District administrative service centre")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="subunits", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    head = models.CharField(_("head"), max_length=50, blank=True)
    liaison = models.CharField(_("liaison"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("sub-unit")
        verbose_name_plural = _("sub-units")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name"],
                name="subunit_name_unique_per_unit",
                violation_error_message=_("This unit already has a sub-unit of this name."),
            )
        ]

    def __str__(self):
        return self.name


@track()
class Contact(models.Model):
    """A person the office reaches at a unit: its leadership group head, office head or liaison."""

    class Role(models.TextChoices):
        GROUP_HEAD = "group_head", _("Leadership group head")
        OFFICE_HEAD = "office_head", _("Office head")
        LIAISON = "liaison", _("Liaison")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    name = models.CharField(_("full name"), max_length=50)
    title = models.CharField(_("job title"), max_length=50, blank=True)
    phone = models.CharField(_("usual phone"), max_length=40)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["unit", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "role", "name"],
                name="contact_unique_per_unit_role",
                violation_error_message=_("This unit already has a contact of this name in this role."),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"


@track()
class Membership(models.Model):
    """A user account that acts for a unit: the unit's liaison in the system."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit account")
        verbose_name_plural = _("unit accounts")
        ordering = ["unit", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"],
                name="membership_unique",
                violation_error_message=_("This account already acts for this unit."),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.unit}"


@track()
class Participation(models.Model):
    """A unit's part in one year's campaign; focus units carry the extra duties of that year."""

    year = models.ForeignKey(
        AppraisalYear, on_delete=models.CASCADE, related_name="participations", verbose_name=_("year")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="participations", verbose_name=_("unit"))
    is_focus = models.BooleanField(_("focus unit"), default=False)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["year", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit"],
                name="participation_unique",
                violation_error_message=_("This unit already takes part in this year."),
            )
        ]

    def __str__(self):
        return f"{self.year.year} {self.unit}"


@track()
class Deliverable(models.Model):
    """What a unit owes the office in a year, and where it stands. No row means not submitted yet."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Implementation plan")
        CONTACTS = "contacts", _("Leadership group, office and liaison contacts")
        SUBUNITS = "subunits", _("Sub-unit list")
        SERVICE_OBJECTS = "service_objects", _("Service-object contacts (100)")
        DISCLOSURES = "disclosures", _("Disclosures and service commitments")
        SELFCHECK_REGISTER = "selfcheck_register", _("Self-check register")
        ANNUAL_SUMMARY = "annual_summary", _("Annual summary and long-term rules")

    class Status(models.TextChoices):
        MISSING = "missing", _("Not submitted")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")

    year = models.ForeignKey(
        AppraisalYear, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("year")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("unit"))
    kind = models.CharField(_("deliverable"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.MISSING)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    comment = models.TextField(_("office's comment"), blank=True)

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["year", "unit", "kind"]
        constraints = [models.UniqueConstraint(fields=["year", "unit", "kind"], name="deliverable_unique")]

    def __str__(self):
        return f"{self.year.year} {self.unit} {self.get_kind_display()}"


def deliverable_file_path(instance, filename):
    from appraisal.uploads import random_name

    return random_name(f"deliverables/{instance.deliverable.year.year}", instance.file_kind)


class DeliverableFile(models.Model):
    """A document attached to a deliverable (the plan, the annual summary and its rules)."""

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="files", verbose_name=_("deliverable")
    )
    file = models.FileField(_("file"), upload_to=deliverable_file_path)
    original_name = models.CharField(_("original name"), max_length=200)
    file_kind = models.CharField(_("file type"), max_length=8)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deliverable file")
        verbose_name_plural = _("deliverable files")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class DeliverableStep(models.Model):
    """One hand-off of a deliverable between the unit and the office, recorded when it happens and never changed:
    the deliverable's review history. Written only by units.services.deliverables."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("deliverable step", "Submitted by the unit")
        SUBMITTED_FOR_UNIT = "submitted_for_unit", pgettext_lazy("deliverable step", "Submitted by the office")
        RETURNED = "returned", pgettext_lazy("deliverable step", "Returned for correction")
        ACCEPTED = "accepted", pgettext_lazy("deliverable step", "Accepted")
        REOPENED = "reopened", pgettext_lazy("deliverable step", "Reopened")

    DECISIONS = (Action.RETURNED, Action.ACCEPTED, Action.REOPENED)

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="steps", verbose_name=_("deliverable")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    status = models.CharField(_("status afterwards"), max_length=10, choices=Deliverable.Status.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("deliverable step")
        verbose_name_plural = _("deliverable review history")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.deliverable} · {self.get_action_display()}"


class DisclosureItem(models.Model):
    """One published item of a unit's disclosures and service commitments (公开政务(事务)和承诺服务事项)."""

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("Approval item")
        CONDITIONS = "conditions", _("Application conditions")
        TIME_LIMIT = "time_limit", _("Handling time limit")
        FEE = "fee", _("Fee item")
        CHANNEL = "channel", _("Consultation, repair and complaint channel")
        SANBANG = "sanbang", _("三帮 measure")
        OTHER = "other", _("Other")

    year = models.ForeignKey(AppraisalYear, on_delete=models.CASCADE, related_name="+", verbose_name=_("year"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="disclosures", verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("item"), max_length=200)
    content = models.TextField(_("content"), blank=True, help_text=_("Conditions, documents required, measures …"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    statutory_days = models.PositiveSmallIntegerField(_("statutory limit (working days)"), null=True, blank=True)
    promised_days = models.PositiveSmallIntegerField(_("promised limit (working days)"), null=True, blank=True)
    fee_standard = models.CharField(_("fee standard"), max_length=200, blank=True)
    fee_relief = models.CharField(_("fees cancelled, deferred or reduced"), max_length=200, blank=True)
    contact = models.CharField(_("phone or mailbox"), max_length=100, blank=True)
    feedback = models.CharField(_("how answers are returned"), max_length=100, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")
        ordering = ["unit", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(promised_days__isnull=True)
                | Q(statutory_days__isnull=True)
                | Q(promised_days__lte=F("statutory_days")),
                name="disclosure_promise_within_statutory_limit",
                violation_error_message=_("The promised limit cannot be longer than the statutory limit."),
            ),
        ]

    def __str__(self):
        return self.title


class DisclosurePublication(models.Model):
    """The disclosures as the office accepted them: what the public page shows until the next acceptance."""

    year = models.ForeignKey(AppraisalYear, on_delete=models.CASCADE, related_name="+", verbose_name=_("year"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="publications", verbose_name=_("unit"))
    items = models.JSONField(_("items"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("published by")
    )

    class Meta:
        verbose_name = _("published disclosures")
        verbose_name_plural = _("published disclosures")
        ordering = ["-published_at"]
        get_latest_by = "published_at"

    def __str__(self):
        return f"{self.unit} {self.published_at:%Y-%m-%d}"


class ServiceObject(models.Model):
    """A citizen or organisation the unit serves; the office draws hearing representatives from this list."""

    year = models.ForeignKey(AppraisalYear, on_delete=models.CASCADE, related_name="+", verbose_name=_("year"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="service_objects", verbose_name=_("unit"))
    name = models.CharField(_("name or organisation"), max_length=100)
    occupation = models.CharField(_("occupation"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("usual phone"), max_length=40)
    fax = models.CharField(_("fax"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("service object")
        verbose_name_plural = _("service objects")
        ordering = ["unit", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "name", "phone"],
                name="service_object_unique",
                violation_error_message=_("This service object is already on the list."),
            ),
        ]

    def __str__(self):
        return self.name


class Reminder(models.Model):
    """One notice to a unit about one deadline: a reminder some days before it, or the overdue notice after it.

    The row is inserted (claimed) before anything is sent, and the unique constraint lets only one insert
    succeed, so two beats, a retried task or a second run of the command never send the same notice twice.
    A row left pending (the worker died, the mail server was down) is sent again by the sweep.
    """

    class Kind(models.TextChoices):
        BEFORE = "before", _("Reminder before the deadline")
        OVERDUE = "overdue", _("Overdue notice")

    class Status(models.TextChoices):
        PENDING = "pending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("deadline")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("unit"))
    kind = models.CharField(_("kind of notice"), max_length=8, choices=Kind.choices)
    # Each offset is a notice of its own: 7 days before and 1 day before are two reminders. 0 for the overdue one.
    days_before = models.PositiveSmallIntegerField(_("days before"), default=0)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    cc = models.JSONField(_("copied to"), default=list, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-claimed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["deadline", "unit", "kind", "days_before"], name="reminder_sent_once"),
            models.CheckConstraint(
                condition=Q(kind="before", days_before__gt=0) | Q(kind="overdue", days_before=0),
                name="reminder_days_match_kind",
            ),
        ]
        indexes = [models.Index(fields=["status", "claimed_at"], name="reminder_status_claimed")]

    def __str__(self):
        return f"{self.unit} · {self.deadline} · {self.label}"

    @property
    def label(self):
        """“Reminder 7 days before” or “Overdue notice”."""
        if self.kind == self.Kind.BEFORE:
            days = self.days_before
            return ngettext("Reminder %(days)d day before", "Reminder %(days)d days before", days) % {"days": days}
        return self.get_kind_display()


class Notification(models.Model):
    """A hand-off told to its receiver: work returned, reopened, assigned or decided. Shown on the receiver's home
    page (a unit's page for every account of the unit, or one person's home) and emailed where there is an
    address. Written by `units.services.notifications.notification_send`; never edited."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("unit"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("person"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    emailed_to = models.JSONField(_("emailed to"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, user__isnull=True) | Q(unit__isnull=True, user__isnull=False),
                name="notification_one_receiver",
            )
        ]

    def __str__(self):
        return self.title
