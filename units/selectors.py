from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.utils import timezone

from appraisal.roles import can_see_all_units

from .models import Contact, Deliverable, Participation, SubUnit, Unit


def units_of_member(user):
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(memberships__user=user).order_by("name")


def units_visible_to(user):
    """Every unit for the office and leaders; a liaison's own units for them; nothing for anyone else."""
    units = Unit.objects.all() if can_see_all_units(user) else units_of_member(user)
    return units.annotate(
        subunit_count=Count("subunits", distinct=True), contact_count=Count("contacts", distinct=True)
    )


def unit_with_roster(unit_id):
    """A unit with its sub-units and contacts loaded in three queries."""
    return Unit.objects.prefetch_related(
        Prefetch("subunits", queryset=SubUnit.objects.order_by("kind", "name")),
        Prefetch("contacts", queryset=Contact.objects.order_by("role", "name")),
    ).get(pk=unit_id)


@dataclass
class MatrixRow:
    unit: Unit
    is_focus: bool
    cells: list  # one Owed or None per deliverable kind, in Deliverable.Kind order


def deliverables_matrix(*, year, unit_kind="", status="", focus="", q=""):
    """Units × deliverables for the office: a fixed number of queries whatever the number of units."""
    from .services.deliverables import Owed, due_dates, focus_map, kinds_owed

    participations = Participation.objects.filter(year=year, unit__is_active=True).select_related("unit")
    if unit_kind:
        participations = participations.filter(unit__kind=unit_kind)
    if focus:
        participations = participations.filter(is_focus=focus == "1")
    if q:
        participations = participations.filter(unit__name__icontains=q)
    participations = list(participations.order_by("-is_focus", "unit__kind", "unit__name"))
    focus_of = focus_map(year, [p.unit_id for p in participations])
    delivered = {(d.unit_id, d.kind): d for d in Deliverable.objects.filter(year=year)}
    dates, today = due_dates(year), timezone.localdate()
    rows = []
    for participation in participations:
        unit = participation.unit
        owed = set(kinds_owed(unit=unit, is_focus=participation.is_focus, was_focus_last_year=focus_of[unit.pk][1]))
        cells = [
            Owed(kind, label, dates[kind], delivered.get((unit.pk, kind)), today) if kind in owed else None
            for kind, label in Deliverable.Kind.choices
        ]
        if status == "overdue" and not any(cell and cell.days_overdue for cell in cells):
            continue
        if status and status != "overdue" and not any(cell and cell.status == status for cell in cells):
            continue
        rows.append(MatrixRow(unit, participation.is_focus, cells))
    return rows
