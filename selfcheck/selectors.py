from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import OVERDUE_STATES, Problem, ProblemStep

# What the office needs of every problem before the register is submitted: its cause, measure and disposition.
# A withdrawn problem needs nothing.
INCOMPLETE = (Q(cause="") | Q(measure="") | Q(disposition="")) & ~Q(status=Problem.Status.WITHDRAWN)


def overdue_q(today=None) -> Q:
    """Problems whose deadline has passed while the unit still owes their rectification."""
    return Q(status__in=OVERDUE_STATES, due_on__lt=today or timezone.localdate())


def with_register_numbers(problems):
    """Annotate `number`: the problem's 序号 in its unit's register of the year (its place by id, as the Excel
    export numbers the rows), whatever filters the list applies. One subquery per listed row, no extra query."""
    earlier = (
        Problem.objects.filter(year=OuterRef("year"), unit=OuterRef("unit"), id__lte=OuterRef("id"))
        .order_by()
        .values("unit")
        .annotate(n=Count("id"))
        .values("n")
    )
    return problems.annotate(number=Coalesce(Subquery(earlier), 0))


def register_number(problem) -> int:
    """The 序号 of one problem in its unit's register."""
    return Problem.objects.filter(year=problem.year_id, unit=problem.unit_id, id__lte=problem.pk).count()


def problems_filtered(
    problems, *, status="", source="", item=None, subunit=None, unit=None, q="", incomplete=False, overdue=False
):
    """Apply the register's filters; each is skipped when empty."""
    if status:
        problems = problems.filter(status=status)
    if source:
        problems = problems.filter(source=source)
    if item is not None:
        problems = problems.filter(item=item)
    if subunit is not None:
        problems = problems.filter(subunit=subunit)
    if unit is not None:
        problems = problems.filter(unit=unit)
    if incomplete:
        problems = problems.filter(INCOMPLETE)
    if overdue:
        problems = problems.filter(overdue_q())
    if q:
        problems = problems.filter(
            Q(description__icontains=q)
            | Q(cause__icontains=q)
            | Q(measure__icontains=q)
            | Q(responsible__icontains=q)
            | Q(note__icontains=q)
        )
    return problems


def register_problems(*, year, unit, **filters):
    """A unit's register as its page lists it: a fixed number of queries whatever the number of problems."""
    problems = Problem.objects.filter(year=year, unit=unit).select_related("item", "subunit")
    return with_register_numbers(problems_filtered(problems, **filters)).order_by("id")


def office_problems(*, year, **filters):
    """Every unit's problems of the year, for the office and the leaders."""
    problems = Problem.objects.filter(year=year).select_related("unit", "item", "subunit")
    return with_register_numbers(problems_filtered(problems, **filters)).order_by("unit__name", "id")


def problem_timeline(problem):
    """The problem's steps, oldest first, with who took them (one query)."""
    return ProblemStep.objects.filter(problem=problem).select_related("by").order_by("at", "id")
