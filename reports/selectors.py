"""The leaders' dashboard: a year's figures beside the year before's, ready for the page and its charts.

Every figure comes from `reports.statistics.annual_statistics` (one set of aggregate queries per year) plus a few
more queries of fixed number: the page costs the same number of queries for 5 units as for 100. `cached` keeps
what is computed from them (the view keeps the rendered figures) for at most DASHBOARD_CACHE_SECONDS.
"""

import math
import time

from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.models import AppraisalYear, EvaluationItem, Focus
from hearings.models import Answer
from hearings.selectors import satisfaction_rate
from inspections.selectors import district_overview
from selfcheck.models import Problem

from .statistics import COMPOSITE_WEIGHTS, STILL_OPEN, annual_statistics, as_of_date, percent

OVERDUE_LIST_LIMIT = 50
# A value older than this share of its lifetime is recomputed by one request while the others still serve it.
REFRESH_AFTER = 0.75
# This process's copies of fresh cache entries: most requests then skip even the trip to Redis. A copy is used only
# while it is fresh by its own start time, so it is never older than what the cache itself would serve.
_copies = {}
COPIES_KEPT = 64


@receiver(setting_changed)
def _forget_copies(*, setting, **kwargs):
    if setting in ("CACHES", "DASHBOARD_CACHE_SECONDS"):
        _copies.clear()


def cached(key: str, compute, seconds: int):
    """`compute()`, kept in the cache at most `seconds` after its computation started (0: computed every time).

    In the last quarter of that time one request (the one that claims the refresh) computes it again while every
    other request keeps serving the value it has, so a busy page never waits for all its users at once."""
    if seconds <= 0:
        return compute()

    def fresh(entry):
        return time.time() - entry["started"] < seconds * REFRESH_AFTER

    entry = _copies.get(key)
    if entry is not None and fresh(entry):
        return entry["value"]
    entry, claim, claimed = cache.get(key), f"{key}:refreshing", False
    if entry is not None:
        _keep(key, entry)
        if fresh(entry):
            return entry["value"]
        claimed = cache.add(claim, True, max(1, int(seconds * (1 - REFRESH_AFTER))))
        if not claimed:
            return entry["value"]  # another request is computing it; this one is still young enough
    try:
        started = time.time()
        value = compute()
        lifetime = math.floor(seconds - (time.time() - started))
        if lifetime >= 1:
            entry = {"started": started, "value": value}
            cache.set(key, entry, lifetime)
            _keep(key, entry)
    finally:
        if claimed:
            cache.delete(claim)
    return value


def _keep(key, entry):
    if len(_copies) >= COPIES_KEPT:
        _copies.clear()  # keys change with the years listed; old ones are simply dropped
    _copies[key] = entry


def dashboard_figures(year: AppraisalYear) -> dict:
    """Everything the dashboard shows for `year`, with last year's figures beside them where there are any."""
    today = timezone.localdate()
    previous = AppraisalYear.objects.filter(year=year.year - 1).first()
    rows = annual_statistics(year, today=today)
    before = annual_statistics(previous, today=today) if previous else []
    last = {row["unit"]["id"]: row for row in before}
    for row in rows:
        row["last"] = last.get(row["unit"]["id"])
        row["score_delta"] = _delta(row["score"], row["last"] and row["last"]["score"])
    totals = _totals(year, rows)
    totals_last = _totals(previous, before) if previous else None
    as_of = as_of_date(year, today)
    channels = _channels(rows, before)
    satisfaction = _satisfaction(year, rows, previous, before)
    supervisors = [{"name": s.name, "quota": s.quota} for s in district_overview(year=year)]
    return {
        "year_number": year.year,
        "previous_year": previous.year if previous else None,
        "computed_at": timezone.now(),
        "as_of": as_of,
        "key_figures": _key_figures(totals, totals_last),
        "weights": COMPOSITE_WEIGHTS,
        "rows": rows,
        "ranking": [row for row in rows if row["is_focus"]],
        "not_evaluated": [row["unit"] for row in rows if not row["is_focus"]],
        "channels": channels,
        "overdue": _overdue(year, as_of),
        "overdue_total": totals["overdue"],
        "district_supervisors": supervisors,
        "satisfaction": satisfaction,
        "charts": _charts(rows, channels, supervisors, satisfaction),
    }


def _delta(value, before):
    return None if value is None or before is None else value - before


def _totals(year, rows):
    """The district's figures of one year, summed over its units."""
    total = {key: sum(row[key] for row in rows) for key in SUMMED}
    counts = _summed_counts(item["counts"] for row in rows for item in row["hearing_items"])
    return total | {
        "units": len(rows),
        "focus_units": sum(row["is_focus"] for row in rows),
        "hearings": sum(row["hearing_held"] for row in rows),
        "rectification_rate": percent(total["rectified"], total["problems"] - total["explained"]),
        "on_time_rate": percent(
            total["deliverables_on_time"], total["deliverables_owed"] - total["deliverables_not_due"]
        ),
        "hearing_rate": satisfaction_rate(counts, year.hearing_rate_formula),
    }


SUMMED = [
    "problems",
    "rectified",
    "verified",
    "explained",
    "overdue",
    "inspections_accepted",
    "deliverables_owed",
    "deliverables_on_time",
    "deliverables_late",
    "deliverables_missing",
    "deliverables_not_due",
]


def _summed_counts(many):
    counts = dict.fromkeys(Answer.values, 0)
    for one in many:
        for answer, n in one.items():
            counts[answer] += n
    return counts


def _key_figures(totals, totals_last):
    """The cards at the top: this year's figure, last year's and the change; `lower_is_better` colours it."""
    figures = [
        ("units", _("Units taking part"), "", False),
        ("focus_units", _("Focus units"), "", False),
        ("problems", _("Problems found"), "", False),
        ("rectification_rate", _("Rectification rate"), "%", False),
        ("overdue", _("Overdue rectifications"), "", True),
        ("on_time_rate", _("Deliverables on time"), "%", False),
        ("inspections_accepted", _("Inspections accepted"), "", False),
        ("hearing_rate", _("Hearing satisfaction"), "%", False),
    ]
    cards = []
    for key, label, suffix, lower_is_better in figures:
        value, before = totals[key], totals_last[key] if totals_last else None
        delta = _delta(value, before)
        better = None if not delta else (delta < 0) == lower_is_better
        cards.append(
            {
                "key": key,
                "label": label,
                "suffix": suffix,
                "value": value,
                "last": before,
                "delta": delta,
                "better": better,
            }
        )
    return cards


def _channels(rows, before):
    """Per channel (Problem.Source): found, rectified and verified this year, and found last year."""
    result = []
    for source, label in Problem.Source.choices:
        result.append(
            {
                "source": source,
                "label": str(label),
                "found": sum(row["problems_by_channel"][source] for row in rows),
                "rectified": sum(row["rectified_by_channel"][source] for row in rows),
                "verified": sum(row["verified_by_channel"][source] for row in rows),
                "found_last": sum(row["problems_by_channel"][source] for row in before),
            }
        )
    return result


def _overdue(year, as_of):
    """The longest-overdue open rectifications of the year's active participants, at most OVERDUE_LIST_LIMIT."""
    problems = (
        Problem.objects.filter(
            year=year,
            status__in=STILL_OPEN,
            due_on__lt=as_of,
            unit__is_active=True,
            unit__participations__year=year,
        )
        .select_related("unit")
        .order_by("due_on", "id")[:OVERDUE_LIST_LIMIT]
    )
    return [
        {
            "id": problem.pk,
            "unit": problem.unit.name,
            "description": problem.description,
            "source": problem.get_source_display(),
            "status": problem.status,
            "status_label": problem.get_status_display(),
            "responsible": problem.responsible,
            "due_on": problem.due_on,
            "days": (as_of - problem.due_on).days,
        }
        for problem in problems
    ]


def _satisfaction(year, rows, previous, before):
    """Per kind of unit with hearings: the items, the district's rate per item this year and last year, and one
    line per unit with its rates per item."""
    items = {}
    for item in EvaluationItem.objects.order_by("kind", "position"):
        items.setdefault(item.kind, []).append(item)
    result = []
    for kind, label in Focus.choices:
        held = [row for row in rows if row["unit"]["kind"] == kind and row["hearing_held"]]
        if not held:
            continue
        held_before = [row for row in before if row["unit"]["kind"] == kind and row["hearing_held"]]
        columns = []
        for item in items.get(kind, []):
            now = _item_rate(held, item.position, year)
            then = _item_rate(held_before, item.position, previous) if previous else None
            columns.append({"position": item.position, "name": item.name, "rate": now, "last": then})
        lines = [
            {
                "unit": row["unit"],
                "ballots": row["hearing_ballots"],
                "rate": row["hearing_rate"],
                "score": row["hearing_score"],
                "last": row["last"]["hearing_rate"] if row["last"] else None,
                "items": [_rate_of(row, column["position"]) for column in columns],
            }
            for row in sorted(held, key=lambda row: -(row["hearing_rate"] or 0))
        ]
        result.append({"kind": kind, "label": str(label), "items": columns, "lines": lines})
    return result


def _item_rate(rows, position, year):
    counts = _summed_counts(
        item["counts"] for row in rows for item in row["hearing_items"] if item["position"] == position
    )
    return satisfaction_rate(counts, year.hearing_rate_formula)


def _rate_of(row, position):
    return next((item["rate"] for item in row["hearing_items"] if item["position"] == position), None)


def _number(value):
    return None if value is None else float(value)


def _charts(rows, channels, supervisors, satisfaction):
    """What static/reports/dashboard.js draws: per chart its labels and datasets (label, colour name, numbers)."""
    owing = [row for row in rows if row["deliverables_owed"]]
    found = [row for row in rows if row["problems"]]
    teams = [row for row in rows if row["team_quota_year"] is not None]

    def met(quotas):
        quotas = list(quotas)
        return sum(quota.met for quota in quotas), sum(not quota.met for quota in quotas)

    quota_rows = [
        (_("District supervisors"), met(s["quota"] for s in supervisors)),
        (_("Unit teams, self-check phase"), met(row["team_quota_selfcheck"] for row in teams)),
        (_("Unit teams, whole year"), met(row["team_quota_year"] for row in teams)),
    ]
    quota_rows = [(label, counts) for label, counts in quota_rows if sum(counts)]
    charts = {
        "deliverables": _chart(
            [row["unit"]["name"] for row in owing],
            [
                (_("On time"), "success", [row["deliverables_on_time"] for row in owing]),
                (_("Late"), "warning", [row["deliverables_late"] for row in owing]),
                (_("Missing"), "danger", [row["deliverables_missing"] for row in owing]),
                (_("Not due yet"), "secondary", [row["deliverables_not_due"] for row in owing]),
            ],
            horizontal=True,
            stacked=True,
        ),
        "problems_by_unit": _chart(
            [row["unit"]["name"] for row in found],
            [
                (_("Found"), "primary", [row["problems"] for row in found]),
                (_("Rectified"), "info", [row["rectified"] for row in found]),
                (_("Verified"), "success", [row["verified"] for row in found]),
            ],
            horizontal=True,
        ),
        "problems_by_channel": _chart(
            [channel["label"] for channel in channels],
            [
                (_("Found"), "primary", [channel["found"] for channel in channels]),
                (_("Rectified"), "info", [channel["rectified"] for channel in channels]),
                (_("Verified"), "success", [channel["verified"] for channel in channels]),
                (_("Found last year"), "secondary", [channel["found_last"] for channel in channels]),
            ],
        ),
        "quotas": _chart(
            [label for label, _counts in quota_rows],
            [
                (_("Quota met"), "success", [counts[0] for _label, counts in quota_rows]),
                (_("Quota not met"), "danger", [counts[1] for _label, counts in quota_rows]),
            ],
            horizontal=True,
            stacked=True,
        ),
    }
    for group in satisfaction:
        charts[f"satisfaction_{group['kind']}"] = _chart(
            [column["name"] for column in group["items"]],
            [
                (_("This year"), "primary", [_number(column["rate"]) for column in group["items"]]),
                (_("Last year"), "secondary", [_number(column["last"]) for column in group["items"]]),
            ],
            as_percent=True,
        )
        charts[f"satisfaction_units_{group['kind']}"] = _chart(
            [line["unit"]["name"] for line in group["lines"]],
            [
                (_("This year"), "primary", [_number(line["rate"]) for line in group["lines"]]),
                (_("Last year"), "secondary", [_number(line["last"]) for line in group["lines"]]),
            ],
            horizontal=True,
            as_percent=True,
        )
    return charts


def _chart(labels, datasets, *, horizontal=False, stacked=False, as_percent=False):
    return {
        "labels": [str(label) for label in labels],
        "datasets": [{"label": str(label), "color": color, "data": data} for label, color, data in datasets],
        "horizontal": horizontal,
        "stacked": stacked,
        "percent": as_percent,
    }
