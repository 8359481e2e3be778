from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import strip_spaces_between_tags
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from appraisal.models import AppraisalYear
from appraisal.roles import can_see_all_units
from appraisal.selectors import page_year, year_overview

from .selectors import cached, dashboard_figures


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
    shown = page_year(request)
    year = shown.year.year if shown.year else None
    context = {"year": year, "year_error": shown.error}
    if year is not None:
        years = [each.year for each in shown.years]
        context["figures_html"] = figures_html(year, years, with_calendar=shown.is_current)
    return render(request, "reports/dashboard.html", context)
