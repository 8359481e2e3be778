from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_spaces_between_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from appraisal.models import AppraisalYear
from appraisal.roles import can_see_all_units
from appraisal.selectors import year_overview

from .selectors import cached, dashboard_figures

UNKNOWN_YEAR = _("There is no appraisal year %(asked)s; showing %(shown)s. Choose one of the years listed.")


def year_numbers() -> list[int]:
    """The campaign years, latest first; kept in the cache like the figures."""
    years = AppraisalYear.objects.order_by("-year").values_list("year", flat=True)
    return cached("reports:dashboard:years", lambda: list(years), settings.DASHBOARD_CACHE_SECONDS)


def _current(years: list[int]) -> int | None:
    """This calendar year's campaign, else the latest (as AppraisalYear.objects.current() decides)."""
    today = timezone.localdate()
    return today.year if today.year in years else next(iter(years), None)


def _chosen(asked: str, years: list[int], current: int | None):
    """(the year `?year=` asks for, else the current one; a message when it asked for a year that does not exist)."""
    asked = asked.strip()
    if not asked:
        return current, None
    if asked.isdigit() and int(asked) in years:
        return int(asked), None
    return current, UNKNOWN_YEAR % {"asked": asked[:10], "shown": current or "—"}


def figures_cache_key(year: int, years: list[int], *, with_calendar: bool) -> str:
    listed = "-".join(map(str, years))  # the year chooser is part of what is kept
    return f"reports:dashboard:v2:{get_language()}:{year}:{listed}:{int(with_calendar)}"


def figures_html(year: int, years: list[int], *, with_calendar: bool) -> str:
    """The page's content below the navigation (with the year's calendar when it is the current year): the same
    for every reader, so it is computed and rendered at most once every DASHBOARD_CACHE_SECONDS. Rendering a
    hundred units' tables costs far more than reading them back from Redis."""

    def render_figures():
        chosen = AppraisalYear.objects.get(year=year)
        context = {"figures": dashboard_figures(chosen), "year": chosen, "years": years}
        if with_calendar:
            overview = year_overview(chosen)
            context |= {"with_calendar": True, "deadlines": overview["deadlines"], "phase": overview["phase"]}
        # A hundred units' tables: the indentation between their tags would be a third of the page.
        return strip_spaces_between_tags(render_to_string("reports/_dashboard_figures.html", context))

    key = figures_cache_key(year, years, with_calendar=with_calendar)
    # What comes back from the cache is what our own template rendered, escaped there.
    return mark_safe(cached(key, render_figures, settings.DASHBOARD_CACHE_SECONDS))


@login_required
@require_safe
def dashboard(request):
    """The leaders' read-only dashboard; the office sees the same. `?year=` picks the year."""
    if not can_see_all_units(request.user):
        raise PermissionDenied
    years = year_numbers()
    current = _current(years)
    year, year_error = _chosen(request.GET.get("year", ""), years, current)
    context = {"year": year, "year_error": year_error}
    if year is not None:
        context["figures_html"] = figures_html(year, years, with_calendar=year == current)
    return render(request, "reports/dashboard.html", context)
