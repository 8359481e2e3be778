from django.utils import timezone

from .models import AppraisalYear


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
