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


def _owed_cells(year, participations):
    """[(participation, cells)]: each unit's line of the matrix, in four queries whatever the number of units."""
    from .services.deliverables import Owed, due_dates, focus_map, kinds_owed

    focus_of = focus_map(year, [p.unit_id for p in participations])
    delivered = {(d.unit_id, d.kind): d for d in Deliverable.objects.filter(year=year)}
    dates, today = due_dates(year), timezone.localdate()
    lines = []
    for participation in participations:
        unit = participation.unit
        owed = set(kinds_owed(unit=unit, is_focus=participation.is_focus, was_focus_last_year=focus_of[unit.pk][1]))
        cells = [
            Owed(kind, label, dates[kind], delivered.get((unit.pk, kind)), today) if kind in owed else None
            for kind, label in Deliverable.Kind.choices
        ]
        lines.append((participation, cells))
    return lines


def deliverables_matrix(*, year, unit_kind="", status="", focus="", q=""):
    """Units × deliverables for the office: a fixed number of queries whatever the number of units.

    `status` keeps the units with at least one cell in that state, or `overdue` (owed, past due, not handed in
    or returned). Accepted disclosures changed since are marked `revised` (已修改，待重新报送)."""
    from .services.disclosures import disclosures_revised

    participations = Participation.objects.filter(year=year, unit__is_active=True).select_related("unit")
    if unit_kind:
        participations = participations.filter(unit__kind=unit_kind)
    if focus:
        participations = participations.filter(is_focus=focus == "1")
    if q:
        participations = participations.filter(unit__name__icontains=q)
    participations = list(participations.order_by("-is_focus", "unit__kind", "unit__name"))
    lines = _owed_cells(year, participations)
    accepted_disclosures = [
        p.unit_id for p, cells in lines if any(c and c.kind == "disclosures" and c.status == "accepted" for c in cells)
    ]
    revised = disclosures_revised(year=year, unit_ids=accepted_disclosures) if accepted_disclosures else set()
    rows = []
    for participation, cells in lines:
        for cell in cells:
            if cell and cell.kind == Deliverable.Kind.DISCLOSURES:
                cell.revised = participation.unit_id in revised
        if status == "overdue" and not any(cell and cell.days_overdue for cell in cells):
            continue
        if status and status != "overdue" and not any(cell and cell.status == status for cell in cells):
            continue
        rows.append(MatrixRow(participation.unit, participation.is_focus, cells))
    return rows


def overdue_deliverables_count(year) -> int:
    """How many deliverables units owe past their due date (not handed in, or returned): four queries."""
    participations = list(Participation.objects.filter(year=year, unit__is_active=True).select_related("unit"))
    return sum(1 for _p, cells in _owed_cells(year, participations) for cell in cells if cell and cell.days_overdue)


def notifications_for(*, unit=None, user=None, limit=10):
    """The latest notifications of a unit's page or of one person's home."""
    from .models import Notification

    rows = Notification.objects.filter(unit=unit) if unit is not None else Notification.objects.filter(user=user)
    return list(rows[:limit])
