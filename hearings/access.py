"""The one place that decides who may see or change a hearing."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from appraisal.roles import is_leader, is_office
from units.access import is_member

from .models import Attendee, Hearing


def _check(user, hearing, write):
    """The office: everything. Leaders and the unit's liaison: read. Anyone else: 404."""
    if is_office(user):
        return
    if is_leader(user) or is_member(user, hearing.unit):
        if write:
            raise PermissionDenied
        return
    raise Http404


def hearing_get_for_user(user, pk, *, write=False) -> Hearing:
    hearing = get_object_or_404(Hearing.objects.select_related("unit", "year"), pk=pk)
    _check(user, hearing, write)
    return hearing


def attendee_get_for_user(user, pk, *, write=False) -> Attendee:
    attendee = get_object_or_404(Attendee.objects.select_related("hearing__unit", "hearing__year"), pk=pk)
    _check(user, attendee.hearing, write)
    return attendee
