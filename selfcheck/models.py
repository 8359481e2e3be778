from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from appraisal.history import track
from appraisal.models import AppraisalYear, EvaluationItem
from units.models import SubUnit, Unit

DUE_DATE_REQUIRED = _(
    "Set a deadline: a problem to be solved by a deadline or put in the rectification plan needs one."
)


def evidence_path(instance, filename):
    from appraisal.uploads import random_name

    return random_name("selfcheck/evidence", instance.evidence_kind)


@track()
class Problem(models.Model):
    """One line of a unit's self-check and correction register (自查自纠登记表), whatever channel found it.

    No inspector identity is stored here: a problem from a covert inspection must never reveal who found it.
    """

    class Source(models.TextChoices):
        SELF_CHECK = "self_check", _("Self-check")
        INSPECTION = "inspection", _("Supervisor inspection")
        VISIT = "visit", _("Visit")
        FORUM = "forum", _("Forum")
        LETTER = "letter", _("Letter")
        COMPLAINT = "complaint", _("Complaint or report")
        MEDIA = "media", _("Media")
        HEARING = "hearing", _("Hearing")
        OTHER = "other", _("Other")

    class Disposition(models.TextChoices):
        IMMEDIATE = "immediate", _("Solve now")
        DEADLINE = "deadline", _("Solve by a deadline")
        PLAN = "plan", _("Put in the rectification plan")
        EXPLAIN = "explain", _("Explain why it cannot be solved")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RECTIFIED = "rectified", _("Rectified")
        VERIFIED = "verified", _("Verified")
        EXPLAINED = "explained", _("Explained")
        WITHDRAWN = "withdrawn", pgettext_lazy("problem status", "Withdrawn")

    year = models.ForeignKey(AppraisalYear, on_delete=models.CASCADE, related_name="+", verbose_name=_("year"))
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="problems", verbose_name=_("unit"))
    subunit = models.ForeignKey(
        SubUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("sub-unit or window"),
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    found_on = models.DateField(_("found on"))
    item = models.ForeignKey(
        EvaluationItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluation item")
    )
    description = models.TextField(_("problem description"))
    cause = models.TextField(_("cause analysis"), blank=True)
    measure = models.TextField(_("rectification measure"), blank=True)
    disposition = models.CharField(_("disposition"), max_length=10, choices=Disposition.choices, blank=True)
    responsible = models.CharField(_("person responsible"), max_length=50, blank=True)
    due_on = models.DateField(_("rectification deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    note = models.TextField(_("remarks"), blank=True)

    rectification_note = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    evidence_kind = models.CharField(_("evidence file type"), max_length=8, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    review_comment = models.TextField(_("office's comment on the rectification"), blank=True)

    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    explained_at = models.DateTimeField(_("explained at"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, help_text=_("Goes up with every change; tells a stale Excel export apart.")
    )
    import_key = models.CharField(
        _("import key"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Fingerprint of the uploaded row that added this problem; the same row is never added twice."),
    )

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        ordering = ["year_id", "unit_id", "id"]
        indexes = [
            models.Index(fields=["year", "unit", "status"], name="problem_register_status"),
            models.Index(fields=["year", "unit", "source"], name="problem_register_source"),
            models.Index(fields=["year", "unit", "item"], name="problem_register_item"),
            models.Index(fields=["year", "status"], name="problem_year_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=False) | ~Q(disposition__in=["deadline", "plan"]),
                name="problem_due_date_when_deadline_or_plan",
                violation_error_message=DUE_DATE_REQUIRED,
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="problem_version_positive"),
            models.UniqueConstraint(
                fields=["unit", "import_key"],
                condition=~Q(import_key=""),
                name="problem_import_key_unique_per_unit",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.description[:40]}"

    @property
    def is_closed(self):
        return self.status in {self.Status.VERIFIED, self.Status.EXPLAINED, self.Status.WITHDRAWN}

    @property
    def missing(self) -> list:
        """What the office needs of every problem before the register is submitted and this one lacks, as the
        names of the fields. A withdrawn problem needs nothing."""
        if self.status == self.Status.WITHDRAWN:
            return []
        fields = ("cause", "measure", "disposition")
        return [self._meta.get_field(name).verbose_name for name in fields if not getattr(self, name)]

    @property
    def is_incomplete(self):
        return bool(self.missing)

    @property
    def is_overdue(self):
        return self.due_on is not None and self.status in OVERDUE_STATES and self.due_on < timezone.localdate()


# A problem is overdue while the unit still owes its rectification after the deadline.
OVERDUE_STATES = (Problem.Status.OPEN, Problem.Status.IN_PROGRESS)


class ProblemStep(models.Model):
    """One step of a problem's timeline: who changed its state, when, and why. Written by the services with every
    change of state and never changed afterwards. `by_office` is kept so that the unit sees “the office” rather
    than a person of the office; nobody who inspected is ever recorded here."""

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("problem step", "Recorded")
        STARTED = "started", pgettext_lazy("problem step", "Rectification started")
        RECTIFIED = "rectified", pgettext_lazy("problem step", "Marked rectified")
        SENT_BACK = "sent_back", pgettext_lazy("problem step", "Sent back by the office")
        VERIFIED = "verified", pgettext_lazy("problem step", "Verified by the office")
        EXPLAINED = "explained", pgettext_lazy("problem step", "Explained why it cannot be solved")
        REOPENED = "reopened", pgettext_lazy("problem step", "Reopened by the office")
        WITHDRAWN = "withdrawn", pgettext_lazy("problem step", "Withdrawn by the office")

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="steps", verbose_name=_("problem"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    by_office = models.BooleanField(_("by the office"), default=False)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    status_from = models.CharField(_("status before"), max_length=12, choices=Problem.Status.choices, blank=True)
    status_to = models.CharField(_("status after"), max_length=12, choices=Problem.Status.choices)
    note = models.TextField(_("note"), blank=True)
    # The evidence handed in with this step; a later rectification's evidence never replaces it here.
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    evidence_kind = models.CharField(_("evidence file type"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("problem step")
        verbose_name_plural = _("problem timeline")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["problem", "at"], name="problem_step_timeline")]

    def __str__(self):
        return f"#{self.problem_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class Complaint(models.Model):
    """A citizen's complaint or report from the public form. The citizen's name and phone stay here, with the
    office; an accepted complaint becomes a Problem in the unit's register without them."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Waiting for the office")
        ACCEPTED = "accepted", _("Accepted and passed to the unit")
        REJECTED = "rejected", _("Not accepted")

    code = models.CharField(_("tracking code"), max_length=12, unique=True, editable=False)
    submission_key = models.CharField(max_length=64, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("unit concerned")
    )
    what = models.TextField(_("what happened"))
    occurred_on = models.DateField(_("when"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    name = models.CharField(_("your name"), max_length=50, blank=True)
    phone = models.CharField(_("your phone"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    reason = models.TextField(_("reason"), blank=True)
    problem = models.OneToOneField(
        Problem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("problem")
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    triaged_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        verbose_name = _("public complaint")
        verbose_name_plural = _("public complaints")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["status", "submitted_at"], name="complaint_queue")]

    def __str__(self):
        return self.code


class ComplaintStep(models.Model):
    """A decision of the office on a complaint, or its undoing; never changed afterwards."""

    class Action(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("complaint step", "Accepted into the unit's register")
        REJECTED = "rejected", pgettext_lazy("complaint step", "Not accepted")
        REOPENED = "reopened", pgettext_lazy("complaint step", "Decision undone")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="steps", verbose_name=_("public complaint")
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    problem = models.ForeignKey(
        Problem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("problem")
    )

    class Meta:
        verbose_name = _("complaint decision")
        verbose_name_plural = _("complaint decisions")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.complaint.code} {self.get_action_display()}"
