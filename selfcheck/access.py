"""The one place that decides who may see or change a problem: the rules of its unit (units.access)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from appraisal.roles import is_office
from units.access import check_unit_access

from .models import Complaint, Problem


def problem_get_for_user(user, pk, *, write=False) -> Problem:
    """Office: every problem. Leaders: read every problem. A liaison: their own unit's. Others: 404."""
    problem = get_object_or_404(Problem.objects.select_related("unit", "year", "item", "subunit"), pk=pk)
    check_unit_access(user, problem.unit, write=write)
    return problem


def complaint_get_for_user(user, pk, *, write=False) -> Complaint:
    """Complaints carry the citizen's name and phone: the office alone handles them; for anyone else they do
    not exist (404)."""
    if not is_office(user):
        raise Http404
    return get_object_or_404(Complaint.objects.select_related("unit", "problem"), pk=pk)
