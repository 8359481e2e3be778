"""Handing the register to the office (due August 25 for focus units)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from units.models import Deliverable
from units.services.deliverables import NOT_OWED, checklist, deliverable_submit

from ..models import Problem
from ..selectors import INCOMPLETE, with_register_numbers

REGISTER_EMPTY = _(
    "The register has no problem yet. Record what the self-check and the opinions you collected found, then submit."
)
REGISTER_INCOMPLETE = _(
    "%(count)s problems still lack what the office needs: %(problems)s. They are marked in the register; "
    "complete them, then submit."
)
PROBLEM_LACKS = _("No. %(number)s (%(missing)s)")
LISTED_NUMBERS = 10


def incomplete_problems(*, year, unit):
    """Problems the office cannot forward yet: each needs its cause, its measure and its disposition."""
    return Problem.objects.filter(year=year, unit=unit).filter(INCOMPLETE)


def incomplete_refusal(*, year, unit) -> ValidationError | None:
    """The refusal naming each incomplete problem by its 序号 and what it lacks (the first few), or None."""
    count = incomplete_problems(year=year, unit=unit).count()
    if not count:
        return None
    listed = with_register_numbers(incomplete_problems(year=year, unit=unit)).order_by("id")[:LISTED_NUMBERS]
    problems = "；".join(
        str(PROBLEM_LACKS % {"number": problem.number, "missing": "、".join(str(name) for name in problem.missing)})
        for problem in listed
    )
    if count > LISTED_NUMBERS:
        problems += "…"
    return ValidationError(REGISTER_INCOMPLETE, params={"count": count, "problems": problems})


def register_submit(*, year, unit, by) -> Deliverable:
    """Submit the unit's register for the office's review.

    Refused when the unit does not owe a register this year (it is not a focus unit), when the register is
    empty (a self-check that found nothing, with no opinion collected, is not credible) and while any problem
    lacks its cause analysis, rectification measure or disposition: the district's rules ask for all three of
    every problem, and the office forwards the registers to the city as they are. Problems need not be rectified
    yet: rectification goes on until November, and the register stays editable after submission.
    """
    if Deliverable.Kind.SELFCHECK_REGISTER not in {owed.kind for owed in checklist(year=year, unit=unit)}:
        raise ValidationError(NOT_OWED)
    if not Problem.objects.filter(year=year, unit=unit).exists():
        raise ValidationError(REGISTER_EMPTY)
    refusal = incomplete_refusal(year=year, unit=unit)
    if refusal is not None:
        raise refusal
    return deliverable_submit(year=year, unit=unit, kind=Deliverable.Kind.SELFCHECK_REGISTER, by=by)
