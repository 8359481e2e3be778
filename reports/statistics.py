"""Each participating unit's figures for one year, with a composite score and a rank.

One place computes them; the leaders' dashboard and the annual statistics summary for the city both read
`annual_statistics`. It takes a fixed number of queries (nine) whatever the number of units, problems or ballots:
every count is an aggregate grouped by unit, never a query per unit.

The composite score
-------------------
The district's rules give no formula, so this one is ours, kept simple enough to explain to a unit in a sentence:
a weighted average, on a scale of 0 to 100, of the parts a unit has figures for —

=====================  ======  ===========================================================================
part                   weight  value (0–100)
=====================  ======  ===========================================================================
hearing                60      the closed hearing's overall score, with the year's answer weights (满意 100,
                               基本满意 80, 不满意 0 by default; “don't know” left out)
survey                 10      the city's 万人评议 survey, scored with the same answer weights (every two years)
rectification          20      rectified problems (the unit's, verified by the office or not) as a percentage
                               of the problems that can be rectified (all but those explained as unsolvable)
deliverables on time   10      deliverables handed in by their due date as a percentage of those due by now
=====================  ======  ===========================================================================

The citizens' and service objects' judgement carries 70 of 100, as it should in a democratic evaluation; the
unit's own work (rectification, punctuality) the other 30. A part without figures (no hearing held, no survey
that year, no problem found, nothing due yet) is left out and the remaining weights are scaled back to 100, so a
unit is neither rewarded nor punished for what does not apply to it. Scores are rounded to two decimals; equal
scores share a rank (1, 1, 3); a unit with no part at all has no score and no rank and is listed after the ranked.

Only the year's focus units are evaluated (述职评议, satisfaction votes, the ranking). The other units take part
(self-check, rectification, deliverables) and keep their figures, but get neither a score nor a rank: a unit that
was not evaluated is listed apart, never scored (a score of 0 would read as the worst evaluation).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from appraisal.models import AppraisalYear
from hearings.models import Answer, Hearing, SurveyResult
from hearings.selectors import composite_score, satisfaction_rate
from inspections.models import Inspection
from inspections.selectors import unit_team_overview
from selfcheck.models import Problem
from units.models import Deliverable, Participation
from units.services.deliverables import due_dates, focus_map, kinds_owed

HEARING_WEIGHT = 60
SURVEY_WEIGHT = 10
RECTIFICATION_WEIGHT = 20
DELIVERABLES_WEIGHT = 10
COMPOSITE_WEIGHTS = {
    "hearing": HEARING_WEIGHT,
    "survey": SURVEY_WEIGHT,
    "rectification": RECTIFICATION_WEIGHT,
    "deliverables": DELIVERABLES_WEIGHT,
}

CENT = Decimal("0.01")
Status = Problem.Status
RECTIFIED = (Status.RECTIFIED, Status.VERIFIED)
STILL_OPEN = (Status.OPEN, Status.IN_PROGRESS)
DELIVERED = (Deliverable.Status.SUBMITTED, Deliverable.Status.ACCEPTED)


def as_of_date(year: AppraisalYear, today=None) -> datetime.date:
    """The day the figures describe: today, or the last day of a year that is over."""
    today = today or timezone.localdate()
    return min(today, datetime.date(year.year, 12, 31))


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(CENT, ROUND_HALF_UP)


def composite(parts: dict) -> Decimal | None:
    """The weighted average of the parts present (values 0–100, None when absent), weights re-normalised."""
    present = {name: value for name, value in parts.items() if value is not None}
    weight = sum(COMPOSITE_WEIGHTS[name] for name in present)
    if not weight:
        return None
    total = sum(COMPOSITE_WEIGHTS[name] * Decimal(value) for name, value in present.items())
    return (total / weight).quantize(CENT, ROUND_HALF_UP)


def annual_statistics(year: AppraisalYear, *, today=None) -> list[dict]:
    """One dict per active unit taking part in `year`, best rank first. Keys:

    - ``unit``: ``{"id", "name", "kind"}``; ``is_focus``: a focus unit this year.
    - problems: ``problems`` found in the year, ``problems_by_channel`` ``{source: n}`` over every
      ``Problem.Source`` (likewise ``rectified_by_channel`` and ``verified_by_channel``); ``rectified`` (rectified
      by the unit, verified or not), ``verified`` (by the office), ``explained`` (explained as unsolvable),
      ``open`` (open or in progress), ``overdue`` (still open with a rectification deadline before ``as_of``),
      ``rectification_rate`` (percent of ``problems − explained``, None without such problems).
    - inspections: ``inspections_accepted`` (accepted by the office, any supervisor); ``team_quota_selfcheck``
      and ``team_quota_year``: the unit team's ``inspections.selectors.Quota`` (done counts submitted and
      accepted inspections, the quotas' own rule), None when the unit has no team this year.
    - deliverables owed this year: ``deliverables_owed``, ``deliverables_on_time`` (handed in by the due date),
      ``deliverables_late`` (handed in after it), ``deliverables_missing`` (not handed in, or returned, and the
      due date passed), ``deliverables_not_due`` (not handed in yet, due date still ahead);
      ``deliverables_on_time_rate`` (percent of the deliverables due by now, or handed in already).
      Handed in means submitted or accepted.
    - the hearing (the latest closed one of the year, its frozen results): ``hearing_held``, ``hearing_ballots``,
      ``hearing_rate`` (satisfaction rate, percent), ``hearing_score`` (the year's formula, 0–100),
      ``hearing_items``: ``[{"position", "name", "counts", "rate", "score"}]``.
    - the 万人评议 survey: ``survey_respondents``, ``survey_rate``, ``survey_score`` (None without a survey).
    - ``score``: the composite score (see the module docstring), ``rank``: 1 for the best, shared on equal
      scores, None without a score. Units that are no focus units this year have neither (not evaluated).

    Rates and scores are Decimals with two decimals, or None. ``as_of`` is today, or 31 December of a past year.
    """
    as_of = as_of_date(year, today)
    participations = list(
        Participation.objects.filter(year=year, unit__is_active=True)
        .select_related("unit")
        .order_by("unit__kind", "unit__name")
    )
    problems = _problem_counts(year, as_of)
    delivered = _deliverable_counts(year, participations, as_of)
    accepted = dict(
        Inspection.objects.filter(year=year, status=Inspection.Status.ACCEPTED)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    teams = {unit.pk: unit for unit in unit_team_overview(year=year)}
    hearings = _hearing_results(year)
    surveys = _survey_results(year)
    rows = []
    for participation in participations:
        unit = participation.unit
        team = teams.get(unit.pk)
        row = {
            "unit": {"id": unit.pk, "name": unit.name, "kind": unit.kind},
            "is_focus": participation.is_focus,
            **problems.get(unit.pk, _no_problems()),
            "inspections_accepted": accepted.get(unit.pk, 0),
            "team_quota_selfcheck": team.phase_quota if team else None,
            "team_quota_year": team.year_quota if team else None,
            **delivered[unit.pk],
            **hearings.get(unit.pk, _no_hearing()),
            **surveys.get(unit.pk, {"survey_respondents": 0, "survey_rate": None, "survey_score": None}),
        }
        row["score"] = _score(row) if participation.is_focus else None
        rows.append(row)
    return _ranked(rows)


def _score(row):
    return composite(
        {
            "hearing": row["hearing_score"],
            "survey": row["survey_score"],
            "rectification": row["rectification_rate"],
            "deliverables": row["deliverables_on_time_rate"],
        }
    )


def _ranked(rows):
    """Best score first; equal scores share the rank of the first of them; focus units without a score come
    next, without a rank; the units not evaluated this year last."""
    scored = sorted((row for row in rows if row["score"] is not None), key=lambda row: -row["score"])
    previous = None
    for position, row in enumerate(scored, start=1):
        row["rank"] = previous["rank"] if previous and previous["score"] == row["score"] else position
        previous = row
    unscored = [row for row in rows if row["score"] is None and row["is_focus"]]
    not_evaluated = [row for row in rows if not row["is_focus"]]
    for row in unscored + not_evaluated:
        row["rank"] = None
    return scored + unscored + not_evaluated


def _no_problems():
    empty = dict.fromkeys(Problem.Source.values, 0)
    return {
        "problems": 0,
        "problems_by_channel": dict(empty),
        "rectified_by_channel": dict(empty),
        "verified_by_channel": dict(empty),
        "rectified": 0,
        "verified": 0,
        "explained": 0,
        "open": 0,
        "overdue": 0,
        "rectification_rate": None,
    }


def _problem_counts(year, as_of):
    """{unit id: the problem keys} from one query grouped by unit and channel."""
    grouped = (
        Problem.objects.filter(year=year)
        .exclude(status=Status.WITHDRAWN)  # withdrawn by the office: never the unit's problem
        .values("unit_id", "source")
        .annotate(
            found=Count("id"),
            rectified=Count("id", filter=Q(status__in=RECTIFIED)),
            verified=Count("id", filter=Q(status=Status.VERIFIED)),
            explained=Count("id", filter=Q(status=Status.EXPLAINED)),
            still_open=Count("id", filter=Q(status__in=STILL_OPEN)),
            overdue=Count("id", filter=Q(status__in=STILL_OPEN, due_on__lt=as_of)),
        )
        .order_by()
    )
    result = {}
    for group in grouped:
        row = result.setdefault(group["unit_id"], _no_problems())
        row["problems"] += group["found"]
        row["problems_by_channel"][group["source"]] = group["found"]
        row["rectified_by_channel"][group["source"]] = group["rectified"]
        row["verified_by_channel"][group["source"]] = group["verified"]
        row["rectified"] += group["rectified"]
        row["verified"] += group["verified"]
        row["explained"] += group["explained"]
        row["open"] += group["still_open"]
        row["overdue"] += group["overdue"]
    for row in result.values():
        row["rectification_rate"] = percent(row["rectified"], row["problems"] - row["explained"])
    return result


def _deliverable_counts(year, participations, as_of):
    """{unit id: the deliverable keys}; what each unit owes follows units.services.deliverables."""
    was_focus = {unit_id: before for unit_id, (_now, before) in focus_map(year).items()}
    dates = due_dates(year)
    handed_in = {
        (unit_id, kind): timezone.localtime(submitted_at).date()
        for unit_id, kind, submitted_at in Deliverable.objects.filter(
            year=year, status__in=DELIVERED, submitted_at__isnull=False
        ).values_list("unit_id", "kind", "submitted_at")
    }
    result = {}
    for participation in participations:
        unit = participation.unit
        owed = kinds_owed(unit=unit, is_focus=participation.is_focus, was_focus_last_year=was_focus.get(unit.pk, False))
        counts = dict.fromkeys(("on_time", "late", "missing", "not_due"), 0)
        for kind in owed:
            due, day = dates[kind], handed_in.get((unit.pk, kind))
            if day is not None:
                counts["on_time" if due is None or day <= due else "late"] += 1
            else:
                counts["missing" if due is not None and due < as_of else "not_due"] += 1
        result[unit.pk] = {
            "deliverables_owed": len(owed),
            **{f"deliverables_{name}": n for name, n in counts.items()},
            "deliverables_on_time_rate": percent(counts["on_time"], len(owed) - counts["not_due"]),
        }
    return result


def _decimal(text):
    return None if text is None else Decimal(text)


def _no_hearing():
    return {
        "hearing_held": False,
        "hearing_ballots": 0,
        "hearing_rate": None,
        "hearing_score": None,
        "hearing_items": [],
    }


def _hearing_results(year):
    """{unit id: the hearing keys} from the frozen results of each unit's latest closed hearing of the year.

    Only the parts of the results the figures use are read from the database (not the voters' comments)."""
    closed = (
        Hearing.objects.filter(year=year, status=Hearing.Status.CLOSED, results__isnull=False)
        .order_by("held_on", "id")
        .values_list(
            "unit_id",
            KeyTransform("ballots", "results"),
            KeyTransform("overall", "results"),
            KeyTransform("items", "results"),
        )
    )
    result = {}
    for unit_id, ballots, overall, items in closed:  # a later hearing of the same unit replaces an earlier one
        result[unit_id] = {
            "hearing_held": True,
            "hearing_ballots": ballots,
            "hearing_rate": _decimal(overall["rate"]),
            "hearing_score": _decimal(overall["score"]),
            "hearing_items": [
                {
                    "position": item["position"],
                    "name": item["name"],
                    "counts": item["counts"],
                    "rate": _decimal(item["rate"]),
                    "score": _decimal(item["score"]),
                }
                for item in items
            ],
        }
    return result


def _survey_results(year):
    weights = {
        Answer.SATISFIED: year.hearing_weight_satisfied,
        Answer.FAIRLY_SATISFIED: year.hearing_weight_fairly,
        Answer.DISSATISFIED: year.hearing_weight_dissatisfied,
    }
    result = {}
    for survey in SurveyResult.objects.filter(year=year):
        counts = survey.counts()
        result[survey.unit_id] = {
            "survey_respondents": survey.respondents,
            "survey_rate": satisfaction_rate(counts, year.hearing_rate_formula),
            "survey_score": composite_score(counts, weights),
        }
    return result
