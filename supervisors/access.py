"""The one place that decides who may see or change a supervisor or an appointment."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from appraisal.roles import is_leader, is_office
from units.access import is_member
from units.models import Unit

from .models import Appointment, AppointmentEndRequest, Supervisor


def is_supervisor(user) -> bool:
    """A user with a supervisor record (cached on the user for the request)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_supervisor", None)
    if cached is None:
        cached = user._is_supervisor = Supervisor.objects.filter(user=user).exists()
    return cached


def supervisor_of(user) -> Supervisor | None:
    return Supervisor.objects.filter(user=user).first() if user.is_authenticated else None


def _on_team_of_member(user, supervisor) -> bool:
    """A liaison sees the supervisors appointed to their own unit's team."""
    units = Unit.objects.filter(memberships__user=user)
    return supervisor.appointments.filter(unit__in=units).exists()


def supervisor_get_for_user(user, pk, *, write=False) -> Supervisor:
    """Office: everything. Leaders: read. The supervisor themself and the liaison of a unit whose team they
    are on: read. Others: 404."""
    supervisor = get_object_or_404(Supervisor.objects.select_related("employer_unit", "user"), pk=pk)
    if is_office(user):
        return supervisor
    readable = is_leader(user) or (user.is_authenticated and supervisor.user_id == user.pk)
    if readable or (user.is_authenticated and _on_team_of_member(user, supervisor)):
        if write:
            raise PermissionDenied
        return supervisor
    raise Http404


def appointment_get_for_user(user, pk, *, write=False) -> Appointment:
    """Office: everything. A liaison: read and change their own unit's team. Leaders and the supervisor
    themself: read. Others: 404."""
    appointment = get_object_or_404(Appointment.objects.select_related("supervisor", "unit", "year"), pk=pk)
    if is_office(user) or (appointment.unit_id and is_member(user, appointment.unit)):
        return appointment
    if is_leader(user) or (user.is_authenticated and appointment.supervisor.user_id == user.pk):
        if write:
            raise PermissionDenied
        return appointment
    raise Http404


def end_request_get_for_user(user, pk, *, write=False) -> AppointmentEndRequest:
    """A unit's request to end an appointment: the office, and the accounts of the unit that asked. Others: 404."""
    end_request = get_object_or_404(
        AppointmentEndRequest.objects.select_related("appointment__supervisor", "appointment__unit"), pk=pk
    )
    if is_office(user) or is_member(user, end_request.appointment.unit):
        return end_request
    raise Http404


def can_see_contact_details(user, unit=None) -> bool:
    """Full phones and emails of supervisors: the office, and a unit for its own team; leaders see them masked."""
    return is_office(user) or (unit is not None and is_member(user, unit))
