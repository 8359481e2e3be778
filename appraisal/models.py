import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.template import Context, Engine
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .history import track


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


@track()
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


@track()
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


@track()
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


# The reminder texts are Django templates the office edits. They render in an engine that loads no files and
# no tag libraries, with autoescaping off: the result is a plain-text email, not HTML.
REMINDER_ENGINE = Engine(autoescape=False)

# What a reminder text may use; the admin shows this list, and every text is tried against this sample on save.
REMINDER_VARIABLES = _(
    "{{ unit.name }} (the unit's name), {{ deliverable }} (what it has not handed in), {{ deadline.title }} "
    '(the deadline), {{ date }} (the due date; {{ date|date:"Y年n月j日" }} writes it as 2026年7月10日), '
    "{{ days }} (days left, or days overdue), {{ bulletin_days }} (days from the overdue notice to the bulletin)"
)

DEFAULT_BEFORE_SUBJECT = '【提醒】{{ unit.name }}：“{{ deadline.title }}”将于{{ date|date:"n月j日" }}截止'
DEFAULT_BEFORE_BODY = """{{ unit.name }}：

按照政风行风及基层执法民主评议工作安排，“{{ deadline.title }}”的截止日期为{{ date|date:"Y年n月j日" }}，\
距今还有{{ days }}天。贵单位尚未报送：
{{ deliverable }}

请在截止日期前登录民主评议系统报送。如已报送，请忽略本提醒。

区行评办、依法治区办
"""
DEFAULT_OVERDUE_SUBJECT = '【逾期通知】{{ unit.name }}：“{{ deadline.title }}”已于{{ date|date:"n月j日" }}截止'
DEFAULT_OVERDUE_BODY = """{{ unit.name }}：

“{{ deadline.title }}”的截止日期为{{ date|date:"Y年n月j日" }}，贵单位以下材料至今未报送（或退回后未重新报送）：
{{ deliverable }}

请尽快登录民主评议系统补报。逾期通知发出{{ bulletin_days }}天后仍未报送的，将列入区行评办的逾期情况通报。

区行评办、依法治区办
"""

TEMPLATE_INVALID = _("This text cannot be used: %(error)s. Check its {{ … }} and {%% … %%} tags.")
DAYS_BEFORE_INVALID = _("Write whole numbers of days from 1 to %(max)s separated by commas, for example “7,1”.")
MAX_DAYS_BEFORE = 60


def render_reminder_text(text: str, context: dict) -> str:
    """Render one reminder text (subject or body) with `context`."""
    return REMINDER_ENGINE.from_string(text).render(Context(context, autoescape=False))


def sample_reminder_context():
    """A made-up context with every variable a reminder text may use."""
    deadline = SimpleNamespace(title="报送实施方案及有关资料", due_date=datetime.date(2026, 7, 10), code="materials")
    return {
        "unit": SimpleNamespace(name="区民政局", short_name="民政局", display_name="民政局", sector="民政"),
        "deliverable": "实施方案、服务对象资料（100份）",
        "deliverables": ["实施方案", "服务对象资料（100份）"],
        "deadline": deadline,
        "date": deadline.due_date,
        "days": 7,
        "bulletin_days": 5,
        "year": SimpleNamespace(year=2026),
    }


def parse_days_before(value: str) -> list[int]:
    """“7, 1” → [7, 1]: the distinct offsets, largest first. Raises ValidationError on anything else."""
    try:
        days = {int(part) for part in value.replace("，", ",").split(",") if part.strip()}
    except ValueError:
        days = set()
    if not days or not all(1 <= day <= MAX_DAYS_BEFORE for day in days):
        raise ValidationError(DAYS_BEFORE_INVALID, params={"max": MAX_DAYS_BEFORE})
    return sorted(days, reverse=True)


class ReminderSettingsQuerySet(models.QuerySet):
    def for_year(self, year):
        """The year's settings, created with the district's defaults the first time they are needed."""
        settings, _created = self.get_or_create(year=year)
        return settings


@track()
class ReminderSettings(models.Model):
    """When the units are reminded of a year's deadlines and what the notices say; edited by the office."""

    year = models.OneToOneField(
        AppraisalYear, on_delete=models.CASCADE, related_name="reminder_settings", verbose_name=_("year")
    )
    days_before = models.CharField(
        _("remind this many days before"),
        max_length=40,
        default="7,1",
        help_text=_("Days before each deadline, separated by commas; units that have not submitted get a reminder."),
    )
    bulletin_days = models.PositiveSmallIntegerField(
        _("days from the overdue notice to the bulletin"),
        default=5,
        help_text=_(
            "The overdue notice goes out the day after the deadline; a unit still overdue this many days later "
            "is listed in the office's overdue bulletin."
        ),
    )
    before_subject = models.CharField(_("reminder subject"), max_length=200, default=DEFAULT_BEFORE_SUBJECT)
    before_body = models.TextField(_("reminder text"), default=DEFAULT_BEFORE_BODY)
    overdue_subject = models.CharField(_("overdue notice subject"), max_length=200, default=DEFAULT_OVERDUE_SUBJECT)
    overdue_body = models.TextField(_("overdue notice text"), default=DEFAULT_OVERDUE_BODY)

    objects = ReminderSettingsQuerySet.as_manager()

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        ordering = ["-year__year"]

    def __str__(self):
        return _("Reminders of %(year)s") % {"year": self.year.year}

    @property
    def offsets(self) -> list[int]:
        return parse_days_before(self.days_before)

    @property
    def notice_to_bulletin_days(self) -> int:
        """Days past the due date at which a unit enters the bulletin: the notice day (1) plus the wait."""
        return 1 + self.bulletin_days

    def texts(self, kind: str) -> tuple[str, str]:
        """(subject, body) templates of a kind of notice: "before" or "overdue"."""
        if kind == "before":
            return self.before_subject, self.before_body
        return self.overdue_subject, self.overdue_body

    def clean(self):
        errors = {}
        try:
            self.days_before = ",".join(str(day) for day in parse_days_before(self.days_before))
        except ValidationError as error:
            errors["days_before"] = error
        sample = sample_reminder_context()
        for name in ["before_subject", "before_body", "overdue_subject", "overdue_body"]:
            try:
                render_reminder_text(getattr(self, name), sample)
            except Exception as error:  # a template can fail in many ways; each means "fix this text".
                from .third_party import template_error

                what = template_error(getattr(self, name), error, sample)
                errors[name] = ValidationError(TEMPLATE_INVALID, params={"error": what})
        if errors:
            raise ValidationError(errors)


class PersonalDataExport(models.Model):
    """One download of personal data (phones, emails, addresses, names of citizens or supervisors): who took
    what out of the system, and when. Written by `personal_data.personal_data_export_record`; never edited."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=50)
    description = models.CharField(_("scope"), max_length=300, blank=True)
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}"
