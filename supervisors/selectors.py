"""Reads worth naming: the teams of a year and whether they meet the district's rules."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from units.models import Participation, Unit

from .models import Appointment, AppointmentEndRequest, Supervisor

SERVICE_OBJECT = Supervisor.Sector.SERVICE_OBJECT


@dataclass
class TeamStatus:
    members: int
    service_objects: int
    minimum: int
    service_objects_minimum: int

    @property
    def members_missing(self):
        return max(self.minimum - self.members, 0)

    @property
    def service_objects_missing(self):
        return max(self.service_objects_minimum - self.service_objects, 0)

    @property
    def breaks_rule(self):
        return bool(self.members_missing or self.service_objects_missing)


def team_appointments(*, year, unit=None, day=None):
    """The team of a year (unit None: the district team): appointments not ended early by `day`."""
    day = day or timezone.localdate()
    appointments = Appointment.objects.filter(year=year, unit=unit).serving(day)
    return appointments.select_related("supervisor", "supervisor__employer_unit").order_by("supervisor__name", "id")


def unit_team_status(*, year, unit, day=None) -> TeamStatus:
    counts = team_appointments(year=year, unit=unit, day=day).aggregate(
        members=Count("id"), service_objects=Count("id", filter=Q(supervisor__sector=SERVICE_OBJECT))
    )
    return TeamStatus(
        members=counts["members"],
        service_objects=counts["service_objects"],
        minimum=year.unit_team_minimum,
        service_objects_minimum=year.unit_team_service_objects,
    )


def district_team_missing(*, year, day=None) -> tuple[int, int]:
    """(members, how many are missing to reach the year's team size)."""
    members = team_appointments(year=year, day=day).count()
    return members, max(year.district_team_size - members, 0)


def unit_teams(*, year, day=None):
    """Units of the year with their team counts and whether the team breaks the rule. A focus unit must have a
    team; any other unit is flagged only once it has started one."""
    day = day or timezone.localdate()
    serving = Q(supervisor_appointments__year=year, supervisor_appointments__ends_on__gte=day) & (
        Q(supervisor_appointments__ended_on__isnull=True) | Q(supervisor_appointments__ended_on__gt=day)
    )
    focus = Participation.objects.filter(year=year, unit=OuterRef("pk"), is_focus=True)
    units = (
        Unit.objects.filter(participations__year=year)
        .annotate(
            is_focus=Exists(focus),
            team_members=Count("supervisor_appointments", filter=serving),
            team_service_objects=Count(
                "supervisor_appointments",
                filter=serving & Q(supervisor_appointments__supervisor__sector=SERVICE_OBJECT),
            ),
        )
        .order_by("kind", "name")
    )
    units = list(units)
    for unit in units:
        unit.team = TeamStatus(
            unit.team_members, unit.team_service_objects, year.unit_team_minimum, year.unit_team_service_objects
        )
        unit.flagged = (unit.is_focus or unit.team_members > 0) and unit.team.breaks_rule
    return units


def supervisors_filtered(*, year, sector="", team="", q=""):
    """The office's list: each supervisor with their appointments of the year (two queries whatever the rows)."""
    from django.db.models import Prefetch

    supervisors = Supervisor.objects.select_related("employer_unit")
    if sector:
        supervisors = supervisors.filter(sector=sector)
    if q:
        supervisors = supervisors.filter(Q(name__icontains=q) | Q(employer__icontains=q) | Q(phone__icontains=q))
    if year is not None:
        in_year = Appointment.objects.filter(year=year, ended_on__isnull=True)
        if team == "district":
            supervisors = supervisors.filter(Exists(in_year.filter(supervisor=OuterRef("pk"), unit=None)))
        elif team == "unit":
            supervisors = supervisors.filter(Exists(in_year.filter(supervisor=OuterRef("pk"), unit__isnull=False)))
        elif team == "none":
            supervisors = supervisors.exclude(Exists(in_year.filter(supervisor=OuterRef("pk"))))
        supervisors = supervisors.prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.filter(year=year).select_related("unit"),
                to_attr="year_appointments",
            )
        )
    return supervisors.order_by("name", "id")


def units_to_inspect(*, supervisor, day=None):
    """The units a supervisor may inspect on `day`: every active unit but their employer for the district team,
    otherwise the units whose team they are on."""
    day = day or timezone.localdate()
    active = supervisor.appointments.active_on(day)
    units = Unit.objects.filter(is_active=True).exclude(pk=supervisor.employer_unit_id or 0)
    if not active.filter(unit=None).exists():
        units = units.filter(pk__in=active.values("unit"))
    return units.order_by("kind", "name")


def end_requests_pending():
    """What waits for the office's decision, oldest first."""
    return (
        AppointmentEndRequest.objects.filter(status=AppointmentEndRequest.Status.PENDING)
        .select_related("appointment__supervisor", "appointment__unit", "asked_by")
        .order_by("asked_at", "id")
    )


def end_requests_decided(limit=20):
    """The office's latest decisions, so a mistake is seen (and an end undone on the supervisor's page)."""
    Status = AppointmentEndRequest.Status
    decided = AppointmentEndRequest.objects.filter(status__in=(Status.APPROVED, Status.DECLINED))
    return list(
        decided.select_related("appointment__supervisor", "appointment__unit", "decided_by").order_by(
            "-decided_at", "-id"
        )[:limit]
    )


def end_requests_of_unit(*, unit, year):
    """A unit's requests of the year with the office's decisions, latest first."""
    requests = AppointmentEndRequest.objects.filter(appointment__unit=unit, appointment__year=year)
    return list(
        requests.select_related("appointment__supervisor", "asked_by", "decided_by").order_by("-asked_at", "-id")
    )


def with_pending_requests(appointments):
    """Mark each appointment with its waiting end request (or None), in one query."""
    pending = AppointmentEndRequest.objects.filter(
        appointment__in=appointments, status=AppointmentEndRequest.Status.PENDING
    )
    by_appointment = {request.appointment_id: request for request in pending}
    for appointment in appointments:
        appointment.pending_request = by_appointment.get(appointment.pk)
    return appointments
