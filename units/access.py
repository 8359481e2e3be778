"""The one place that decides who may see or change a unit and what belongs to it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from appraisal.roles import is_leader, is_office

from .models import Contact, SubUnit, Unit


def is_member(user, unit) -> bool:
    return user.is_authenticated and unit.memberships.filter(user=user).exists()


def can_change_unit(user, unit) -> bool:
    return is_office(user) or is_member(user, unit)


def check_unit_access(user, unit, *, write=False):
    """Office: everything. Leaders: read every unit. A liaison: read and change their own unit. Others: 404."""
    if can_change_unit(user, unit):
        return
    if is_leader(user):
        if write:
            raise PermissionDenied
        return
    raise Http404


def unit_get_for_user(user, pk, *, write=False) -> Unit:
    unit = get_object_or_404(Unit, pk=pk)
    check_unit_access(user, unit, write=write)
    return unit


def subunit_get_for_user(user, pk, *, write=False) -> SubUnit:
    subunit = get_object_or_404(SubUnit.objects.select_related("unit"), pk=pk)
    check_unit_access(user, subunit.unit, write=write)
    return subunit


def contact_get_for_user(user, pk, *, write=False) -> Contact:
    contact = get_object_or_404(Contact.objects.select_related("unit"), pk=pk)
    check_unit_access(user, contact.unit, write=write)
    return contact
