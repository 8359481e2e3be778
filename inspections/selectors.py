"""Reads worth naming: the supervisors' inspection quotas and the office's review queue."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from selfcheck.models import Problem
from supervisors.models import Appointment, Supervisor
from units.models import Unit

from .models import Inspection, Step

# Only what reached the office counts: a draft or a returned inspection is not done yet.
COUNTED = (Inspection.Status.SUBMITTED, Inspection.Status.ACCEPTED)


@dataclass
class Quota:
    done: int
    target: int

    @property
    def missing(self):
        return max(self.target - self.done, 0)

    @property
    def met(self):
        return self.done >= self.target

    @property
    def percent(self):
        return 100 if not self.target else min(100, round(100 * self.done / self.target))


def counted(year):
    return Inspection.objects.filter(year=year, status__in=COUNTED)


def _in_selfcheck_phase(year):
    return Q(occurred_at__date__gte=year.selfcheck_start, occurred_at__date__lte=year.selfcheck_end)


def _by_unit_team(year):
    """Inspections of a unit by a member of that unit's team (any appointment to it in the year)."""
    team = Appointment.objects.filter(year=year, unit=OuterRef("unit"), supervisor=OuterRef("supervisor"))
    return counted(year).filter(Exists(team))


def _count(queryset):
    """A correlated COUNT(*) subquery, so a list of any length takes one query."""
    total = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def district_quota(*, supervisor, year) -> Quota:
    return Quota(counted(year).filter(supervisor=supervisor).count(), year.district_inspection_quota)


def unit_team_quotas(*, unit, year) -> tuple[Quota, Quota]:
    """(self-check phase, whole year) for the unit's own team."""
    numbers = (
        _by_unit_team(year)
        .filter(unit=unit)
        .aggregate(phase=Count("pk", filter=_in_selfcheck_phase(year)), total=Count("pk"))
    )
    return (
        Quota(numbers["phase"], year.unit_team_selfcheck_quota),
        Quota(numbers["total"], year.unit_team_inspection_quota),
    )


def supervisor_quotas(*, supervisor, year) -> list[tuple[str, Quota]]:
    """What a supervisor sees: their own count on the district team, their team's counts on a unit team."""
    rows = []
    appointments = supervisor.appointments.filter(year=year).select_related("unit").order_by("unit_id")
    seen = set()
    for appointment in appointments:
        if appointment.unit_id in seen:
            continue
        seen.add(appointment.unit_id)
        if appointment.unit_id is None:
            rows.append((appointment.team_name, "district", district_quota(supervisor=supervisor, year=year)))
        else:
            phase, total = unit_team_quotas(unit=appointment.unit, year=year)
            rows.append((appointment.team_name, "phase", phase))
            rows.append((appointment.team_name, "year", total))
    return rows


def district_overview(*, year):
    """District supervisors of the year with their counted inspections (one query)."""
    district = Appointment.objects.filter(year=year, unit=None, supervisor=OuterRef("pk"))
    supervisors = Supervisor.objects.filter(Exists(district)).annotate(
        done=_count(counted(year).filter(supervisor=OuterRef("pk")))
    )
    rows = list(supervisors.order_by("name", "id"))
    for supervisor in rows:
        supervisor.quota = Quota(supervisor.done, year.district_inspection_quota)
    return rows


def unit_team_overview(*, year):
    """Units with a team this year and their team's counts in the self-check phase and the year (one query)."""
    by_team = _by_unit_team(year).filter(unit=OuterRef("pk"))
    units = Unit.objects.filter(Exists(Appointment.objects.filter(year=year, unit=OuterRef("pk")))).annotate(
        phase_done=_count(by_team.filter(_in_selfcheck_phase(year))), year_done=_count(by_team)
    )
    rows = list(units.order_by("kind", "name"))
    for unit in rows:
        unit.phase_quota = Quota(unit.phase_done, year.unit_team_selfcheck_quota)
        unit.year_quota = Quota(unit.year_done, year.unit_team_inspection_quota)
    return rows


def review_queue():
    """Submitted inspections, oldest first, with what the office needs to see in the list (a resubmitted one is
    marked: the office returned it before)."""
    return (
        Inspection.objects.filter(status=Inspection.Status.SUBMITTED)
        .select_related("supervisor", "unit", "subunit")
        .annotate(
            finding_count=Count("findings"),
            was_returned=Exists(Step.objects.filter(inspection=OuterRef("pk"), kind=Step.Kind.RETURNED)),
        )
        .order_by("submitted_at", "id")
    )


def findings_of(inspection):
    """The inspection's findings, each with `problem_number`: its problem's 序号 in the unit's register (as the
    register numbers its rows), so the office can find it there. One query."""
    earlier = (
        Problem.objects.filter(
            year=OuterRef("problem__year"), unit=OuterRef("problem__unit"), id__lte=OuterRef("problem")
        )
        .order_by()
        .values("unit")
        .annotate(n=Count("id"))
        .values("n")
    )
    return inspection.findings.select_related("item", "problem").annotate(problem_number=Subquery(earlier))


def inspections_of(supervisor):
    return (
        Inspection.objects.filter(supervisor=supervisor)
        .select_related("unit", "subunit")
        .annotate(finding_count=Count("findings"))
        .order_by("-occurred_at", "-id")
    )
