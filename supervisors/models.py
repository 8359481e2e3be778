import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appraisal.history import track
from appraisal.models import AppraisalYear
from units.models import Unit


@track()
class Supervisor(models.Model):
    """A volunteer citizen who inspects and evaluates units (政风行风及基层执法监督员). No ID-card number:
    only what the work needs."""

    class Sector(models.TextChoices):
        NPC_DEPUTY = "npc_deputy", _("NPC deputy")
        CPPCC_MEMBER = "cppcc_member", _("CPPCC member")
        DEMOCRATIC_PARTY = "democratic_party", _("Democratic party member")
        PEOPLES_ORGANISATION = "peoples_organisation", _("People's organisation staff")
        ENTERPRISE = "enterprise", _("Enterprise representative")
        SERVICE_OBJECT = "service_object", _("Service object")
        OTHER = "other", _("Other")

    name = models.CharField(_("full name"), max_length=50)
    sector = models.CharField(pgettext_lazy("supervisor", "sector"), max_length=20, choices=Sector.choices)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    employer_unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employed_supervisors",
        verbose_name=_("employed by the evaluated unit"),
        help_text=_("Set when the employer is an evaluated unit: the supervisor may never supervise it."),
    )
    phone = models.CharField(_("phone"), max_length=40)
    email = models.EmailField(_("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervisor",
        verbose_name=_("login account"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "phone"],
                name="supervisor_unique_name_phone",
                violation_error_message=_("A supervisor of this name and phone already exists."),
            )
        ]

    def __str__(self):
        return self.name


class AppointmentQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date):
        """Appointments in force on `day`: within the term and not yet ended (ending takes effect on ended_on)."""
        return self.filter(starts_on__lte=day, ends_on__gte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    def serving(self, day: datetime.date):
        """Appointments not ended early by `day`, including those that start later in their year."""
        return self.filter(ends_on__gte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    def overlapping(self, starts_on: datetime.date, ends_on: datetime.date):
        return self.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=starts_on)
        )


@track()
class Appointment(models.Model):
    """A one-year appointment to the district team (no unit) or to one unit's team."""

    supervisor = models.ForeignKey(
        Supervisor, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("supervisor")
    )
    year = models.ForeignKey(AppraisalYear, on_delete=models.CASCADE, related_name="+", verbose_name=_("year"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="supervisor_appointments",
        verbose_name=_("unit team"),
        help_text=_("Empty for the district team."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    ended_on = models.DateField(_("ended early on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending early"), blank=True)
    renewed_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renewal of"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-year", "unit", "supervisor__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")),
                name="appointment_starts_before_end",
                violation_error_message=_("An appointment must start before it ends."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | (Q(ended_on__gte=F("starts_on")) & Q(ended_on__lte=F("ends_on")) & ~Q(end_reason="")),
                name="appointment_ended_within_term_with_reason",
                violation_error_message=_("An appointment ends early within its term and with a reason."),
            ),
            # One running appointment per supervisor and team and year; the district team is unit NULL.
            models.UniqueConstraint(
                fields=["supervisor", "year", "unit"],
                condition=Q(ended_on__isnull=True, unit__isnull=False),
                name="appointment_unique_unit_team",
                violation_error_message=_("This supervisor is already on this team this year."),
            ),
            models.UniqueConstraint(
                fields=["supervisor", "year"],
                condition=Q(ended_on__isnull=True, unit__isnull=True),
                name="appointment_unique_district_team",
                violation_error_message=_("This supervisor is already on this team this year."),
            ),
        ]

    def __str__(self):
        return f"{self.year.year} {self.supervisor} → {self.team_name}"

    @property
    def team_name(self):
        return str(self.unit) if self.unit_id else str(DISTRICT_TEAM)

    @property
    def last_day(self):
        return self.ended_on - datetime.timedelta(days=1) if self.ended_on else self.ends_on


DISTRICT_TEAM = _("District supervisor team")


class Training(models.Model):
    """A training session the office held for supervisors."""

    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.ManyToManyField(Supervisor, related_name="trainings", blank=True, verbose_name=_("attendees"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.topic}"


class AppointmentChange(models.Model):
    """An appointment ended early or reinstated: who, when, why. The appointment holds its current state; these
    rows keep every change of it, never edited."""

    class Kind(models.TextChoices):
        ENDED = "ended", _("Ended early")
        REINSTATED = "reinstated", _("Reinstated")

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="changes", verbose_name=_("appointment")
    )
    kind = models.CharField(_("change"), max_length=12, choices=Kind.choices)
    effective_on = models.DateField(_("effective on"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("appointment change")
        verbose_name_plural = _("appointment changes")
        ordering = ["at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="appointment_change_with_reason")]

    def __str__(self):
        return f"{self.appointment} {self.get_kind_display()} {self.effective_on:%Y-%m-%d}"


class AppointmentEndRequest(models.Model):
    """A unit asks the office to end the appointment of a member of its team. Only the office ends appointments:
    it approves (the appointment ends with the request's reason) or declines with a reason; the unit may withdraw
    its request while it waits. One waiting request per appointment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the office")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="end_requests", verbose_name=_("appointment")
    )
    reason = models.TextField(_("reason"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("office's reason"), blank=True)

    class Meta:
        verbose_name = _("request to end an appointment")
        verbose_name_plural = _("requests to end an appointment")
        ordering = ["-asked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(status="pending"),
                name="appointment_end_request_one_pending",
                violation_error_message=_("The office already has a request to end this appointment."),
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="appointment_end_request_with_reason"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decision_note=""), name="appointment_end_request_declined_why"
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False), name="appointment_end_request_decided_when"
            ),
        ]

    def __str__(self):
        return f"{self.appointment} ({self.get_status_display()})"
