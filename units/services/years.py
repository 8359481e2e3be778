"""Next year from this one: the office creates year N+1 from the current year N in one step.

The new year gets N's settings (team sizes, quotas, the hearing's quorum, formula and weights, the reminder days
and texts), the other focus, N's phases and deadlines on the same days of the following year, and N's units with
their focus recomputed from the new focus. Nothing of year N is changed. The supervisors' appointments are
renewed by the supervisors app, in one step offered on the same page.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from appraisal.history import history_context
from appraisal.models import AppraisalYear, Deadline, Focus, ReminderSettings
from appraisal.services import PHASES, calendar_errors, same_focus_error

from ..models import Unit
from .roster import participations_enrol

NO_YEAR = _("There is no appraisal year to start from yet: create the first one in the admin site (评议年度).")
NEXT_YEAR_EXISTS = _("The %(year)s appraisal year already exists: it was created before. Edit it in the admin site.")
CALENDAR_INVALID = _("The %(year)s calendar moved from %(source)s is not valid: %(errors)s Correct %(source)s first.")

PHASE_FIELDS = [name for phase in PHASES for name in phase]
# What a year carries over besides its number, focus and phases: every other field is a setting.
SETTING_FIELDS = [
    f.name
    for f in AppraisalYear._meta.concrete_fields
    if not f.primary_key and f.name not in {"year", "focus", *PHASE_FIELDS}
]
REMINDER_FIELDS = [f.name for f in ReminderSettings._meta.concrete_fields if not f.primary_key and f.name != "year"]
DEADLINE_FIELDS = [
    f.name for f in Deadline._meta.concrete_fields if not f.primary_key and f.name not in {"year", "due_date"}
]


def other_focus(focus: str) -> str:
    return Focus.DEPARTMENTS if focus == Focus.INDUSTRIES else Focus.INDUSTRIES


def moved(day: datetime.date, year: int) -> datetime.date:
    """The same month and day in `year`; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


@dataclass
class NextYear:
    """What creating the next year would make: shown to the office before it confirms."""

    source: AppraisalYear
    year: int
    focus: str
    phases: dict
    deadlines: list = field(default_factory=list)  # (deadline of the source year, its new due date)
    units: list = field(default_factory=list)  # (unit, is_focus in the new year)
    reminder_settings: ReminderSettings | None = None

    @property
    def focus_label(self):
        return Focus(self.focus).label

    @property
    def focus_units(self):
        return [unit for unit, is_focus in self.units if is_focus]

    @property
    def phase_rows(self):
        """(phase name, source start, source end, new start, new end) of the three phases."""
        return [
            (name, begins, ends, self.phases[start], self.phases[end])
            for (name, begins, ends), (start, end) in zip(self.source.phases(), PHASES, strict=True)
        ]

    @property
    def settings(self):
        """(label, value) of every setting carried over, as the form shows them."""
        return [
            (AppraisalYear._meta.get_field(name).verbose_name, _display(self.source, name)) for name in SETTING_FIELDS
        ]


def _display(year, name):
    getter = getattr(year, f"get_{name}_display", None)
    return getter() if getter else getattr(year, name)


def year_next_plan(*, focus: str | None = None) -> NextYear:
    """The next year as it would be created from the current one; ValidationError when it cannot be."""
    source = AppraisalYear.objects.current()
    if source is None:
        raise ValidationError(NO_YEAR)
    number = source.year + 1
    if AppraisalYear.objects.filter(year=number).exists():
        raise ValidationError(NEXT_YEAR_EXISTS, params={"year": number})
    focus = focus or other_focus(source.focus)
    units = Unit.objects.filter(participations__year=source, is_active=True).order_by("kind", "name").distinct()
    return NextYear(
        source=source,
        year=number,
        focus=focus,
        phases={name: moved(getattr(source, name), number) for name in PHASE_FIELDS},
        deadlines=[(deadline, moved(deadline.due_date, number)) for deadline in source.deadlines.all()],
        units=[(unit, unit.kind == focus) for unit in units],
        reminder_settings=ReminderSettings.objects.filter(year=source).first(),
    )


@transaction.atomic
def year_create_next(*, by, focus: str | None = None, confirm_same_focus: bool = False) -> AppraisalYear:
    """Create year N+1 from the current year N (see the module's docstring); refused when N+1 exists, and when
    `focus` is N's own without `confirm_same_focus`. `by` is the office user; the audit trail records who."""
    with history_context(user=by.pk):
        return _create(year_next_plan(focus=focus), confirm_same_focus)


def _create(plan: NextYear, confirm_same_focus: bool) -> AppraisalYear:
    errors = calendar_errors(year=plan.year, dates=plan.phases)
    if errors:
        messages = " ".join(message for error in errors.values() for message in error.messages)
        raise ValidationError(
            CALENDAR_INVALID, params={"year": plan.year, "source": plan.source.year, "errors": messages}
        )
    if not confirm_same_focus and (error := same_focus_error(year=plan.year, focus=plan.focus)):
        raise error
    year = AppraisalYear(
        year=plan.year,
        focus=plan.focus,
        **plan.phases,
        **{name: getattr(plan.source, name) for name in SETTING_FIELDS},
    )
    year.full_clean()
    year.save()
    Deadline.objects.bulk_create(
        Deadline(year=year, due_date=due_date, **{name: getattr(deadline, name) for name in DEADLINE_FIELDS})
        for deadline, due_date in plan.deadlines
    )
    if plan.reminder_settings is not None:
        ReminderSettings.objects.create(
            year=year, **{name: getattr(plan.reminder_settings, name) for name in REMINDER_FIELDS}
        )
    participations_enrol(year=year, units=[unit for unit, _is_focus in plan.units])
    return year
