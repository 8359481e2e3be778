"""Reads of hearings worth naming: who sees which, the tally and its formula."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from appraisal.models import EvaluationItem, RateFormula
from appraisal.roles import can_see_all_units

from .models import Answer, Attendee, Ballot, Hearing

CENT = Decimal("0.01")


def hearings_for(user):
    """The office and leaders: every hearing; a liaison: their own units' hearings."""
    hearings = Hearing.objects.select_related("unit", "year")
    if can_see_all_units(user):
        return hearings
    return hearings.filter(unit__memberships__user=user)


def attendance(hearing):
    """The counts the check-in list and the quorum gate show, in one query."""
    present = Q(checked_in=True)
    return hearing.attendees.aggregate(
        representatives=Count("id", filter=Q(kind=Attendee.Kind.REPRESENTATIVE)),
        supervisors=Count("id", filter=Q(kind=Attendee.Kind.SUPERVISOR)),
        representatives_present=Count("id", filter=present & Q(kind=Attendee.Kind.REPRESENTATIVE)),
        supervisors_present=Count("id", filter=present & Q(kind=Attendee.Kind.SUPERVISOR)),
    )


def satisfaction_rate(counts: dict, formula: str) -> Decimal | None:
    """The rate in percent with two decimals; None when no vote counts."""
    satisfied = counts[Answer.SATISFIED] + counts[Answer.FAIRLY_SATISFIED]
    total = sum(counts.values())
    if formula == RateFormula.EXCLUDE_UNKNOWN:
        total -= counts[Answer.UNKNOWN]
    if total <= 0:
        return None
    return (Decimal(100) * satisfied / total).quantize(CENT, ROUND_HALF_UP)


def composite_score(counts: dict, weights: dict) -> Decimal | None:
    """The weighted average over the answers other than “don't know”; None when there are none."""
    known = {answer: n for answer, n in counts.items() if answer != Answer.UNKNOWN}
    total = sum(known.values())
    if not total:
        return None
    return (sum(weights[answer] * n for answer, n in known.items()) / total).quantize(CENT, ROUND_HALF_UP)


def items_of(hearing):
    """The evaluation items on the hearing's ballot: frozen when voting opens, so every voter answers the same
    questions, and read with the hearing itself, so a ballot costs no query for them."""
    if hearing.ballot_items:
        return [EvaluationItem(kind=hearing.unit.kind, **item) for item in hearing.ballot_items]
    return list(EvaluationItem.objects.filter(kind=hearing.unit.kind).order_by("position"))


def _empty():
    return dict.fromkeys(Answer.values, 0)


def _as_text(value):
    return None if value is None else str(value)


def hearing_tally(hearing) -> dict:
    """Per item the four counts, the satisfaction rate and the composite score, then the same over all items,
    with the year's formula and weights as they were used. JSON-ready: closing stores it as the frozen results."""
    year = hearing.year
    weights = {
        Answer.SATISFIED: year.hearing_weight_satisfied,
        Answer.FAIRLY_SATISFIED: year.hearing_weight_fairly,
        Answer.DISSATISFIED: year.hearing_weight_dissatisfied,
    }
    items = items_of(hearing)
    per_item = {str(item.position): _empty() for item in items}
    comments = []
    for answers, comment in Ballot.objects.filter(hearing=hearing).values_list("answers", "comment").iterator():
        for position, answer in answers.items():
            if position in per_item and answer in Answer.values:
                per_item[position][answer] += 1
        if comment:
            comments.append(comment)
    overall = _empty()
    rows = []
    for item in items:
        counts = per_item[str(item.position)]
        for answer, n in counts.items():
            overall[answer] += n
        rows.append(
            {
                "position": item.position,
                "name": item.name,
                "counts": counts,
                "rate": _as_text(satisfaction_rate(counts, year.hearing_rate_formula)),
                "score": _as_text(composite_score(counts, weights)),
            }
        )
    return {
        "formula": year.hearing_rate_formula,
        "weights": {answer: str(weight) for answer, weight in weights.items()},
        "ballots": hearing.web_ballots + hearing.paper_ballots,
        "web_ballots": hearing.web_ballots,
        "paper_ballots": hearing.paper_ballots,
        "voters": hearing.voters,
        "items": rows,
        "overall": {
            "counts": overall,
            "rate": _as_text(satisfaction_rate(overall, year.hearing_rate_formula)),
            "score": _as_text(composite_score(overall, weights)),
        },
        "comments": sorted(comments),
    }
