"""The one place that decides who may see or change a unit and what belongs to it."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from appraisal.roles import is_leader, is_office

from .models import Contact, Deliverable, DeliverableFile, DisclosureItem, ServiceObject, SubUnit, Unit


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


def deliverable_get_for_user(user, pk, *, write=False) -> Deliverable:
    deliverable = get_object_or_404(Deliverable.objects.select_related("unit", "year"), pk=pk)
    check_unit_access(user, deliverable.unit, write=write)
    return deliverable


def deliverable_file_get_for_user(user, pk, *, write=False) -> DeliverableFile:
    """Files of a deliverable: the office, leaders and that unit only."""
    attachment = get_object_or_404(DeliverableFile.objects.select_related("deliverable__unit"), pk=pk)
    check_unit_access(user, attachment.deliverable.unit, write=write)
    return attachment


def disclosure_get_for_user(user, pk, *, write=False) -> DisclosureItem:
    item = get_object_or_404(DisclosureItem.objects.select_related("unit"), pk=pk)
    check_unit_access(user, item.unit, write=write)
    return item


def service_object_get_for_user(user, pk, *, write=False) -> ServiceObject:
    service_object = get_object_or_404(ServiceObject.objects.select_related("unit"), pk=pk)
    check_unit_access(user, service_object.unit, write=write)
    return service_object


def can_see_personal_data(user, unit) -> bool:
    """Full phone numbers and emails of service objects: the office and the unit itself, not leaders."""
    return can_change_unit(user, unit)
