"""The one place that decides who may see or change a problem: the rules of its unit (units.access)."""

from django.shortcuts import get_object_or_404

from units.access import check_unit_access

from .models import Problem


def problem_get_for_user(user, pk, *, write=False) -> Problem:
    """Office: every problem. Leaders: read every problem. A liaison: their own unit's. Others: 404."""
    problem = get_object_or_404(Problem.objects.select_related("unit", "year", "item", "subunit"), pk=pk)
    check_unit_access(user, problem.unit, write=write)
    return problem
