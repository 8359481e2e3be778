from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.history import track
from appraisal.models import AppraisalYear, EvaluationItem
from appraisal.uploads import IMAGE_KINDS, random_name
from selfcheck.models import Problem
from supervisors.models import Supervisor
from units.models import DisclosureItem, SubUnit, Unit


@track()
class Inspection(models.Model):
    """One entry of a supervisor's open or covert inspection register (明查暗访登记表).

    Who inspected is known to the supervisor and the office only: nothing the unit sees names them.
    """

    class Mode(models.TextChoices):
        OPEN = "open", _("Open inspection")
        COVERT = "covert", _("Covert inspection")

    class Method(models.TextChoices):
        ASK_USERS = "ask_users", _("Asking service users")
        ACCOMPANY = "accompany", _("Accompanying a transaction")
        SIMULATED_COMPLAINT = "simulated_complaint", _("Simulated complaint or report")
        RECORDING = "recording", _("On-site audio or video recording")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned")

    supervisor = models.ForeignKey(
        Supervisor, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("supervisor")
    )
    year = models.ForeignKey(AppraisalYear, on_delete=models.PROTECT, related_name="+", verbose_name=_("year"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("unit"))
    subunit = models.ForeignKey(
        SubUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("sub-unit or window"),
    )
    occurred_at = models.DateTimeField(_("date and time of the inspection"))
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices)
    methods = models.JSONField(_("methods"), default=list, blank=True)
    other_method = models.CharField(_("other method"), max_length=100, blank=True)
    items = models.ManyToManyField(
        EvaluationItem, related_name="+", blank=True, verbose_name=_("evaluation items checked")
    )
    commitments = models.ManyToManyField(
        DisclosureItem, related_name="+", blank=True, verbose_name=_("published commitments checked")
    )
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("office's comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["year", "status"], name="inspection_year_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="inspection_returned_with_comment",
                violation_error_message=_("A returned inspection carries the office's comment."),
            ),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.occurred_at):%Y-%m-%d} {self.unit}"

    @property
    def is_editable(self):
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def occurred_on(self):
        return timezone.localtime(self.occurred_at).date()

    def method_labels(self):
        labels = dict(self.Method.choices)
        names = [str(labels.get(code, code)) for code in self.methods if code != self.Method.OTHER]
        if self.Method.OTHER in self.methods:
            names.append(self.other_method or str(labels[self.Method.OTHER]))
        return names


class Step(models.Model):
    """One hand-off of an inspection between the supervisor and the office: submitted, returned (with the office's
    comment), accepted, or its acceptance undone (with the reason), with who and when. Written by the services,
    never edited: the inspection's timeline."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        ACCEPTED = "accepted", _("Accepted")
        REOPENED = "reopened", _("Acceptance undone")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="steps", verbose_name=_("inspection")
    )
    kind = models.CharField(_("step"), max_length=10, choices=Kind.choices)
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
        verbose_name = _("inspection step")
        verbose_name_plural = _("inspection steps")
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="returned") | ~Q(note=""), name="inspection_step_returned_with_comment"
            ),
            models.CheckConstraint(
                condition=~Q(kind="reopened") | ~Q(note=""), name="inspection_step_reopened_with_reason"
            ),
        ]

    def __str__(self):
        return f"{self.inspection} {self.get_kind_display()}"


@track()
class Finding(models.Model):
    """One problem seen during an inspection, entered item by item; it becomes a register problem on acceptance."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="findings", verbose_name=_("inspection")
    )
    item = models.ForeignKey(
        EvaluationItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("evaluation item")
    )
    observed = models.TextField(_("what was seen"))
    place = models.CharField(_("where"), max_length=200, blank=True)
    livelihood = models.BooleanField(_("livelihood issue"), default=False)
    problem = models.OneToOneField(
        Problem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="finding",
        verbose_name=_("register problem"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection", "id"]

    def __str__(self):
        return f"{self.item}: {self.observed[:40]}"


def evidence_path(instance, filename):
    return random_name("inspections/evidence", instance.kind)


class Evidence(models.Model):
    """A photo, recording or document attached to an inspection, or to one of its findings.

    Stored under random names outside the static path and served only through access-checked views. The
    original (and its name) is the supervisor's and the office's; a unit sees only `unit_copy`, the picture with
    its metadata stripped, and only once the inspection is accepted."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("inspection")
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        verbose_name=_("finding"),
    )
    file = models.FileField(_("file"), upload_to=evidence_path)
    unit_copy = models.FileField(_("copy shown to the unit"), upload_to=evidence_path, blank=True)
    kind = models.CharField(_("file type"), max_length=8)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    original_name = models.CharField(_("original file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["inspection", "id"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.kind in IMAGE_KINDS
