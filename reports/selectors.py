from django.db.models import Count, Q

from appraisal.models import Focus
from appraisal.selectors import year_overview
from units.models import Contact, Participation, SubUnit, Unit


def dashboard_figures(year=None):
    """Counts for the leaders' first page; a fixed number of queries whatever the number of units."""
    overview = year_overview(year)
    units = Unit.objects.filter(is_active=True).aggregate(
        total=Count("id"),
        departments=Count("id", filter=Q(kind=Focus.DEPARTMENTS)),
        industries=Count("id", filter=Q(kind=Focus.INDUSTRIES)),
    )
    focus = 0
    if overview["year"]:
        focus = Participation.objects.filter(year=overview["year"], is_focus=True, unit__is_active=True).count()
    by_kind = list(
        SubUnit.objects.filter(is_active=True, unit__is_active=True)
        .values("kind")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    labels = dict(SubUnit.Kind.choices)
    for row in by_kind:
        row["label"] = labels.get(row["kind"], row["kind"])
    return overview | {
        "units": units,
        "focus_units": focus,
        "subunits": sum(row["n"] for row in by_kind),
        "subunits_by_kind": by_kind,
        "contacts": Contact.objects.filter(unit__is_active=True).count(),
    }
