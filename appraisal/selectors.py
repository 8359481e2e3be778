from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AppraisalYear

UNKNOWN_YEAR = _("There is no appraisal year %(asked)s; showing %(shown)s. Choose one of the years listed.")


@dataclass(frozen=True)
class PageYear:
    """Which year a page shows: `year` (what `?year=` asked for, else the current one), the current year, the
    years to choose from (latest first), and a message when `?year=` named a year that does not exist."""

    year: AppraisalYear | None
    current: AppraisalYear | None
    years: list = field(default_factory=list)
    error: str | None = None

    @property
    def is_current(self) -> bool:
        return self.year is not None and self.year == self.current


def current_year(years=None) -> AppraisalYear | None:
    """The year whose campaign is under way: this calendar year's, else the latest (see AppraisalYear.current)."""
    if years is None:
        return AppraisalYear.objects.current()
    today = timezone.localdate()
    return next((year for year in years if year.year == today.year), None) or next(iter(years), None)


def page_year(request) -> PageYear:
    """The one place a page decides its year: `?year=N` when that year exists, else the current year."""
    years = list(AppraisalYear.objects.order_by("-year"))
    current = current_year(years)
    asked = request.GET.get("year", "").strip()
    if not asked:
        return PageYear(current, current, years)
    chosen = next((year for year in years if str(year.year) == asked), None)
    if chosen is not None:
        return PageYear(chosen, current, years)
    shown = current.year if current else "—"
    return PageYear(current, current, years, UNKNOWN_YEAR % {"asked": asked[:10], "shown": shown})


def year_overview(year=None):
    """The current year, its deadlines with days left and the phase under way, for the home pages."""
    year = year or AppraisalYear.objects.current()
    today = timezone.localdate()
    if year is None:
        return {"year": None, "deadlines": [], "today": today, "phase": None}
    deadlines = list(year.deadlines.all())
    for deadline in deadlines:
        deadline.days = deadline.days_left(today)
    return {"year": year, "deadlines": deadlines, "today": today, "phase": year.phase_on(today)}
