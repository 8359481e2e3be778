"""The Excel summaries the office builds for the city office, and every time one was sent.

A `Report` row is the intent to build a summary: it exists before any worker touches it, so a periodic sweep
finds and re-enqueues whatever a lost message or a dead worker left behind. Its file is stored under a random
name and served only through an access-checked view, never from MEDIA_URL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from appraisal.models import AppraisalYear
from units.models import Unit


def report_path(instance, filename):
    from appraisal.uploads import random_name

    return random_name(f"reports/{instance.year.year}", "xlsx")


class Report(models.Model):
    """One build of one summary: what was asked, by whom, its progress and its file."""

    class Kind(models.TextChoices):
        SELFCHECK = "selfcheck", _("District self-check and correction register")
        INSPECTIONS = "inspections", _("Supervisors' inspection register")
        HEARINGS = "hearings", _("Hearing and survey results")
        DELIVERABLES = "deliverables", _("Deliverables matrix")
        STATISTICS = "statistics", _("Annual statistics per unit")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("summary"), max_length=12, choices=Kind.choices)
    year = models.ForeignKey(AppraisalYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("year"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
        help_text=_("Empty for every unit."),
    )
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=report_path, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Empty when the schedule asked for it."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Moved on whenever a worker shows it is alive (claim, progress) or the job is enqueued again; the sweep
    # re-enqueues what has not moved for too long.
    touched_at = models.DateTimeField(_("last sign of life"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("Excel summary")
        verbose_name_plural = _("Excel summaries")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "touched_at"], name="report_sweep")]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_from__isnull=True) | Q(date_to__isnull=True) | Q(date_from__lte=models.F("date_to")),
                name="report_date_range_in_order",
                violation_error_message=_("The start of the period must not be after its end."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""),
                name="report_done_with_file",
            ),
        ]

    def __str__(self):
        return f"{self.year.year} {self.get_kind_display()}"

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, 100 * self.rows_done // self.rows_total)


class CityDispatch(models.Model):
    """A summary sent (or to be sent) by email to the city office (市行风办). `sent_by` is empty when the
    schedule sent it; `schedule` names a scheduled sending (year and deadline) so that it happens once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("summary"))
    to = models.EmailField(_("sent to"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
        help_text=_("Empty when the schedule sent it."),
    )
    schedule = models.CharField(_("scheduled sending"), max_length=40, blank=True, editable=False)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    touched_at = models.DateTimeField(_("last sign of life"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("sending to the city office")
        verbose_name_plural = _("sendings to the city office")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "touched_at"], name="dispatch_sweep")]
        constraints = [
            models.UniqueConstraint(fields=["schedule"], condition=~Q(schedule=""), name="dispatch_scheduled_once"),
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="dispatch_sent_at"),
        ]

    def __str__(self):
        return f"{self.report} → {self.to}"
