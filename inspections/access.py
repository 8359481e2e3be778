"""The one place that decides who may see or change an inspection."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from appraisal.roles import is_leader, is_office
from units.access import check_unit_access

from .models import Evidence, Finding, Inspection


def _check(user, inspection, write):
    """The office: everything. The supervisor who filed it: read, and change while a draft or returned.
    Leaders: read. Anyone else, another supervisor and every unit included: 404."""
    if is_office(user):
        return
    if user.is_authenticated and inspection.supervisor.user_id == user.pk:
        if write and not inspection.is_editable:
            raise PermissionDenied
        return
    if is_leader(user):
        if write:
            raise PermissionDenied
        return
    raise Http404


def inspection_get_for_user(user, pk, *, write=False) -> Inspection:
    inspection = get_object_or_404(
        Inspection.objects.select_related("supervisor", "unit", "subunit", "year", "reviewed_by"), pk=pk
    )
    _check(user, inspection, write)
    return inspection


def finding_get_for_user(user, pk, *, write=False) -> Finding:
    finding = get_object_or_404(
        Finding.objects.select_related("item", "inspection__supervisor", "inspection__unit"), pk=pk
    )
    _check(user, finding.inspection, write)
    return finding


def evidence_get_for_user(user, pk, *, write=False) -> Evidence:
    """The original file: as its inspection (the supervisor who filed it, the office, leaders)."""
    evidence = get_object_or_404(Evidence.objects.select_related("inspection__supervisor"), pk=pk)
    _check(user, evidence.inspection, write)
    return evidence


def unit_evidence_get_for_user(user, pk) -> Evidence:
    """The unit's view of evidence: the stripped copy of a picture of an accepted inspection of their unit.
    Originals, recordings and documents are never the unit's; neither is anything not yet accepted."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("inspection__unit").exclude(unit_copy=""),
        pk=pk,
        inspection__status=Inspection.Status.ACCEPTED,
    )
    check_unit_access(user, evidence.inspection.unit)
    return evidence
