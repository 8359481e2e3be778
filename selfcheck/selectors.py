from django.db.models import Q

from .models import Problem

# What the office needs of every problem before the register is submitted: its cause, measure and disposition.
INCOMPLETE = Q(cause="") | Q(measure="") | Q(disposition="")


def problems_filtered(problems, *, status="", source="", item=None, subunit=None, unit=None, q="", incomplete=False):
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
    return problems_filtered(problems, **filters).order_by("id")


def office_problems(*, year, **filters):
    """Every unit's problems of the year, for the office and the leaders."""
    problems = Problem.objects.filter(year=year).select_related("unit", "item", "subunit")
    return problems_filtered(problems, **filters).order_by("unit__name", "id")
