from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Focus(models.TextChoices):
    """What a year concentrates on; also the kind of a unit (department or industry)."""

    INDUSTRIES = "industries", _("Industries")
    DEPARTMENTS = "departments", _("Departments")


class RateFormula(models.TextChoices):
    """How a hearing's satisfaction rate treats “don't know” answers."""

    EXCLUDE_UNKNOWN = "exclude_unknown", _("(satisfied + fairly satisfied) ÷ (all votes − don't know)")
    INCLUDE_UNKNOWN = "include_unknown", _("(satisfied + fairly satisfied) ÷ all votes")


class AppraisalYearQuerySet(models.QuerySet):
    def current(self):
        """The year whose campaign is under way: this calendar year, else the latest one."""
        today = timezone.localdate()
        return self.filter(year=today.year).first() or self.order_by("-year").first()


class AppraisalYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    focus = models.CharField(_("focus"), max_length=12, choices=Focus.choices)
    mobilisation_start = models.DateField(_("mobilisation starts"))
    mobilisation_end = models.DateField(_("mobilisation ends"))
    selfcheck_start = models.DateField(_("self-check starts"))
    selfcheck_end = models.DateField(_("self-check ends"))
    evaluation_start = models.DateField(_("evaluation starts"))
    evaluation_end = models.DateField(_("evaluation ends"))
    # The numbers the district's rules set for supervisors; editable per year.
    district_team_size = models.PositiveSmallIntegerField(_("district supervisor team size"), default=16)
    unit_team_minimum = models.PositiveSmallIntegerField(_("unit supervisor team minimum"), default=4)
    unit_team_service_objects = models.PositiveSmallIntegerField(
        _("service objects required on a unit team"), default=2
    )
    district_inspection_quota = models.PositiveSmallIntegerField(
        _("inspections a year per district supervisor"), default=6
    )
    unit_team_selfcheck_quota = models.PositiveSmallIntegerField(
        _("unit team inspections in the self-check phase"), default=2
    )
    unit_team_inspection_quota = models.PositiveSmallIntegerField(_("unit team inspections a year"), default=4)
    # The hearing: its quorum and how its votes are counted.
    hearing_quorum_representatives = models.PositiveSmallIntegerField(
        _("service-object representatives needed at a hearing"), default=30
    )
    hearing_quorum_supervisors = models.PositiveSmallIntegerField(_("supervisors needed at a hearing"), default=4)
    hearing_rate_formula = models.CharField(
        _("satisfaction rate"), max_length=16, choices=RateFormula.choices, default=RateFormula.EXCLUDE_UNKNOWN
    )
    hearing_weight_satisfied = models.DecimalField(
        _("score of “satisfied”"), max_digits=5, decimal_places=2, default=Decimal("100")
    )
    hearing_weight_fairly = models.DecimalField(
        _("score of “fairly satisfied”"), max_digits=5, decimal_places=2, default=Decimal("80")
    )
    hearing_weight_dissatisfied = models.DecimalField(
        _("score of “dissatisfied”"), max_digits=5, decimal_places=2, default=Decimal("0")
    )

    objects = AppraisalYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("appraisal year")
        verbose_name_plural = _("appraisal years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mobilisation_start__lte=F("mobilisation_end"))
                & Q(mobilisation_end__lt=F("selfcheck_start"))
                & Q(selfcheck_start__lte=F("selfcheck_end"))
                & Q(selfcheck_end__lt=F("evaluation_start"))
                & Q(evaluation_start__lte=F("evaluation_end")),
                name="year_phases_in_order",
                violation_error_message=_(
                    "The three phases must each start before they end and follow one another: "
                    "mobilisation, then self-check, then evaluation."
                ),
            ),
        ]

    def __str__(self):
        return _("%(year)s appraisal (focus: %(focus)s)") % {
            "year": self.year,
            "focus": self.get_focus_display(),
        }

    @property
    def unit_kind(self):
        """The kind of unit (department or industry) that carries the focus duties this year."""
        return self.focus

    def phases(self):
        return [
            (_("Mobilisation"), self.mobilisation_start, self.mobilisation_end),
            (_("Self-check and correction"), self.selfcheck_start, self.selfcheck_end),
            (_("Evaluation and full rectification"), self.evaluation_start, self.evaluation_end),
        ]

    def phase_on(self, day):
        """The name of the phase under way on `day`, or None outside the campaign."""
        for name, start, end in self.phases():
            if start <= day <= end:
                return name
        return None


class Deadline(models.Model):
    class Owner(models.TextChoices):
        OFFICE = "office", _("District appraisal office")
        FOCUS_UNITS = "focus_units", _("Focus units")
        ALL_UNITS = "all_units", _("All units")

    year = models.ForeignKey(AppraisalYear, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("year"))
    code = models.SlugField(_("code"), max_length=40, help_text=_("Stable key used by reminders and deliverables."))
    due_date = models.DateField(_("due date"))
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("what is due"))
    owner = models.CharField(_("who owes it"), max_length=12, choices=Owner.choices)
    recipient = models.CharField(_("submitted to"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["year", "due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["year", "code"], name="deadline_code_unique_per_year")]

    def __str__(self):
        return f"{self.due_date:%m-%d} {self.title}"

    def days_left(self, today=None):
        return (self.due_date - (today or timezone.localdate())).days


# The evaluation items as the district's rules list them, in their order (the data migration keeps its own copy).
EVALUATION_ITEMS = {
    Focus.INDUSTRIES: ["依法经营", "事务公开", "办事高效", "便民惠民", "践诺守信", "廉洁从业", "文明服务"],
    Focus.DEPARTMENTS: ["依法行政", "规范执法", "政务公开", "办事高效", "便民惠民", "践诺守信", "廉洁从政", "文明服务"],
}


class EvaluationItem(models.Model):
    """One of the 7 industry or 8 department evaluation items, in the order the district's rules list them."""

    kind = models.CharField(_("applies to"), max_length=12, choices=Focus.choices)
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=20)

    class Meta:
        verbose_name = _("evaluation item")
        verbose_name_plural = _("evaluation items")
        ordering = ["kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "position"], name="evaluation_item_position_unique"),
            models.UniqueConstraint(fields=["kind", "name"], name="evaluation_item_name_unique"),
        ]

    def __str__(self):
        return self.name
