"""annual_statistics against figures worked out by hand. Today is 2026-09-10, in the evaluation phase."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appraisal.models import Focus
from appraisal.services import appraisal_year_create
from hearings import services as hearings
from hearings.models import Hearing
from reports.statistics import annual_statistics, composite
from selfcheck.models import Problem
from units.models import Deliverable, Participation

from ..factories import (
    AppointmentFactory,
    HearingFactory,
    InspectionFactory,
    ProblemFactory,
    SupervisorFactory,
    SurveyResultFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

Status, Source = Problem.Status, Problem.Source


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-09-10 09:00 +0800", tick=False)


@pytest.fixture
def year(db):
    return appraisal_year_create(year=2026, focus=Focus.INDUSTRIES)


def local(text):
    return datetime.datetime.fromisoformat(text).replace(tzinfo=timezone.get_current_timezone())


def join(year, unit, is_focus=False):
    Participation.objects.create(year=year, unit=unit, is_focus=is_focus)
    return unit


def problems(year, unit, *specs):
    """specs: (source, status, due_on) each."""
    for source, status, due_on in specs:
        disposition = "deadline" if due_on else "immediate"
        ProblemFactory(year=year, unit=unit, source=source, status=status, due_on=due_on, disposition=disposition)


def hand_in(year, unit, kind, at, status=Deliverable.Status.ACCEPTED):
    Deliverable.objects.create(year=year, unit=unit, kind=kind, status=status, submitted_at=local(at))


def closed_hearing(year, unit, office_user):
    """Ten paper ballots, the same answer on every item: 6 satisfied, 2 fairly, 1 dissatisfied, 1 don't know."""
    hearing = HearingFactory(year=year, unit=unit, status=Hearing.Status.VOTING, voters=10)
    answers = ["satisfied"] * 6 + ["fairly"] * 2 + ["dissatisfied", "unknown"]
    for answer in answers:
        everything = {str(item.position): answer for item in hearings.items_of(hearing)}
        hearings.paper_ballot_add(hearing=hearing, answers=everything)
    return hearings.hearing_close(hearing=hearing, by=office_user)


@pytest.fixture
def district(year, office_user):
    department = join(year, UnitFactory(name="区民政局", kind=Focus.DEPARTMENTS), is_focus=True)
    industry = join(year, UnitFactory(name="区属中小学", kind=Focus.INDUSTRIES), is_focus=True)
    quiet = join(year, UnitFactory(name="区档案馆", kind=Focus.DEPARTMENTS))
    join(year, UnitFactory(name="已撤销单位", is_active=False), is_focus=True)
    UnitFactory(name="未参加单位")

    problems(
        year,
        department,
        (Source.SELF_CHECK, Status.VERIFIED, None),
        (Source.SELF_CHECK, Status.VERIFIED, None),
        (Source.SELF_CHECK, Status.RECTIFIED, None),
        (Source.SELF_CHECK, Status.OPEN, datetime.date(2026, 8, 1)),  # overdue
        (Source.INSPECTION, Status.VERIFIED, None),
        (Source.INSPECTION, Status.RECTIFIED, None),
        (Source.INSPECTION, Status.IN_PROGRESS, datetime.date(2026, 9, 1)),  # overdue
        (Source.COMPLAINT, Status.IN_PROGRESS, datetime.date(2026, 10, 1)),  # not yet due
        (Source.COMPLAINT, Status.EXPLAINED, None),
        (Source.MEDIA, Status.OPEN, None),
    )
    problems(year, industry, (Source.HEARING, Status.VERIFIED, None), (Source.VISIT, Status.VERIFIED, None))
    last_year = appraisal_year_create(year=2025)
    problems(last_year, department, (Source.SELF_CHECK, Status.OPEN, datetime.date(2025, 8, 1)))

    # The department owes six deliverables (no service objects: it was no focus unit last year).
    Kind = Deliverable.Kind
    hand_in(year, department, Kind.PLAN, "2026-07-08 10:00")  # on time
    hand_in(year, department, Kind.CONTACTS, "2026-07-12 10:00", Deliverable.Status.SUBMITTED)  # late
    hand_in(year, department, Kind.SUBUNITS, "2026-07-09 10:00", Deliverable.Status.RETURNED)  # missing again
    hand_in(year, department, Kind.SELFCHECK_REGISTER, "2026-08-25 23:30")  # on time, local time
    # disclosures: missing; the annual summary is due on November 15: not due yet.

    team_member = SupervisorFactory()
    AppointmentFactory(supervisor=team_member, year=year, unit=department)
    at = datetime.datetime(2026, 7, 20, 2, tzinfo=datetime.UTC)
    InspectionFactory(supervisor=team_member, year=year, unit=department, occurred_at=at, status="accepted")
    InspectionFactory(
        supervisor=team_member, year=year, unit=department, occurred_at=at.replace(month=9), status="submitted"
    )
    InspectionFactory(supervisor=team_member, year=year, unit=department, occurred_at=at, status="draft")
    InspectionFactory(year=year, unit=department, occurred_at=at, status="accepted")  # a district supervisor

    closed_hearing(year, industry, office_user)
    HearingFactory(year=year, unit=department)  # planned: no results yet
    SurveyResultFactory(year=year, unit=industry)  # 70 satisfied, 20 fairly, 5 dissatisfied, 5 don't know
    return {"department": department, "industry": industry, "quiet": quiet, "year": year}


def by_name(rows):
    return {row["unit"]["name"]: row for row in rows}


def test_only_active_participants_best_rank_first(district):
    rows = annual_statistics(district["year"])
    assert [row["unit"]["name"] for row in rows] == ["区属中小学", "区民政局", "区档案馆"]
    assert [row["rank"] for row in rows] == [1, 2, None]
    assert rows[0]["unit"] == {"id": district["industry"].pk, "name": "区属中小学", "kind": Focus.INDUSTRIES}
    assert [row["is_focus"] for row in rows] == [True, True, False]


def test_problems_by_channel_rectified_verified_and_overdue(district):
    row = by_name(annual_statistics(district["year"]))["区民政局"]
    assert row["problems"] == 10
    assert row["problems_by_channel"] == dict.fromkeys(Source.values, 0) | {
        Source.SELF_CHECK: 4,
        Source.INSPECTION: 3,
        Source.COMPLAINT: 2,
        Source.MEDIA: 1,
    }
    assert row["rectified_by_channel"][Source.SELF_CHECK] == 3
    assert row["verified_by_channel"][Source.SELF_CHECK] == 2
    assert row["verified_by_channel"][Source.INSPECTION] == 1
    assert (row["rectified"], row["verified"], row["explained"], row["open"], row["overdue"]) == (5, 3, 1, 4, 2)
    assert row["rectification_rate"] == Decimal("55.56")  # 5 of the 9 that are not explained


def test_a_problem_the_office_withdrew_is_not_counted(district):
    problems(district["year"], district["department"], (Source.COMPLAINT, Status.WITHDRAWN, None))
    row = by_name(annual_statistics(district["year"]))["区民政局"]
    assert row["problems"] == 10 and row["problems_by_channel"][Source.COMPLAINT] == 2


def test_deliverables_on_time_late_missing_and_not_due(district):
    rows = by_name(annual_statistics(district["year"]))
    department, industry, quiet = rows["区民政局"], rows["区属中小学"], rows["区档案馆"]
    assert department["deliverables_owed"] == 6
    counts = [department[f"deliverables_{name}"] for name in ("on_time", "late", "missing", "not_due")]
    assert counts == [2, 1, 2, 1]
    assert department["deliverables_on_time_rate"] == Decimal("40.00")  # 2 of the 5 due by now
    # A focus industry owes the service objects too; nothing handed in.
    assert industry["deliverables_owed"] == 7
    assert (industry["deliverables_missing"], industry["deliverables_not_due"]) == (6, 1)
    assert industry["deliverables_on_time_rate"] == Decimal("0.00")
    assert quiet["deliverables_owed"] == 0 and quiet["deliverables_on_time_rate"] is None


def test_inspections_accepted_and_the_team_quotas(district):
    rows = by_name(annual_statistics(district["year"]))
    department = rows["区民政局"]
    assert department["inspections_accepted"] == 2
    phase, year = department["team_quota_selfcheck"], department["team_quota_year"]
    assert (phase.done, phase.target, year.done, year.target) == (1, 2, 2, 4)
    assert rows["区档案馆"]["team_quota_year"] is None
    assert rows["区档案馆"]["inspections_accepted"] == 0


def test_hearing_results_survey_and_composite_score(district):
    rows = by_name(annual_statistics(district["year"]))
    industry = rows["区属中小学"]
    assert industry["hearing_held"] and industry["hearing_ballots"] == 10
    assert industry["hearing_rate"] == Decimal("88.89")  # (6 + 2) / (10 − 1)
    assert industry["hearing_score"] == Decimal("84.44")  # (6×100 + 2×80) / 9
    assert len(industry["hearing_items"]) == 7
    assert industry["hearing_items"][0]["name"] == "依法经营"
    assert industry["hearing_items"][0]["rate"] == Decimal("88.89")
    assert industry["hearing_items"][0]["counts"] == {"satisfied": 6, "fairly": 2, "dissatisfied": 1, "unknown": 1}
    assert industry["survey_respondents"] == 100
    assert industry["survey_rate"] == Decimal("94.74")  # 90 / 95
    assert industry["survey_score"] == Decimal("90.53")  # (70×100 + 20×80) / 95
    # 60 × 84.44 + 10 × 90.53 + 20 × 100 + 10 × 0, over 100
    assert industry["score"] == Decimal("79.72")
    department = rows["区民政局"]
    assert not department["hearing_held"] and department["hearing_rate"] is None
    assert department["survey_rate"] is None
    # No hearing, no survey: 20 × 55.56 + 10 × 40, over 30
    assert department["score"] == Decimal("50.37")
    assert rows["区档案馆"]["score"] is None


def test_equal_scores_share_a_rank(year):
    for name, statuses in (
        ("甲", [Status.VERIFIED]),
        ("乙", [Status.RECTIFIED]),
        ("丙", [Status.OPEN, Status.VERIFIED]),
    ):
        unit = join(year, UnitFactory(name=name), is_focus=True)
        problems(year, unit, *[(Source.SELF_CHECK, status, None) for status in statuses])
    rows = annual_statistics(year)
    assert [(row["unit"]["name"], row["score"], row["rank"]) for row in rows] == [
        ("乙", Decimal("66.67"), 1),  # rectified 100, deliverables on time 0: 20 × 100 + 10 × 0, over 30
        ("甲", Decimal("66.67"), 1),
        ("丙", Decimal("33.33"), 3),
    ]


def test_a_unit_outside_the_focus_is_not_scored_nor_ranked(district):
    """区档案馆 has figures of its own (a missed deliverable would make 0.00), yet it was not evaluated this year."""
    quiet = district["quiet"]
    problems(district["year"], quiet, (Source.SELF_CHECK, Status.OPEN, None))
    Deliverable.objects.create(year=district["year"], unit=quiet, kind=Deliverable.Kind.PLAN, status="returned")
    Participation.objects.filter(unit=quiet).update(is_focus=False)
    rows = by_name(annual_statistics(district["year"]))
    assert rows["区档案馆"]["rectification_rate"] == Decimal("0.00")
    assert (rows["区档案馆"]["score"], rows["区档案馆"]["rank"]) == (None, None)
    assert list(rows)[-1] == "区档案馆"
    assert [rows[name]["rank"] for name in ("区属中小学", "区民政局")] == [1, 2]


def test_a_focus_unit_without_figures_comes_before_those_not_evaluated(year):
    join(year, UnitFactory(name="甲"))
    join(year, UnitFactory(name="乙"), is_focus=True)
    assert [row["unit"]["name"] for row in annual_statistics(year)] == ["乙", "甲"]


def test_a_past_year_counts_overdue_as_of_its_last_day(db, time_machine):
    time_machine.move_to("2026-03-01 09:00 +0800", tick=False)
    past = appraisal_year_create(year=2025)
    unit = join(past, UnitFactory(), is_focus=True)
    problems(
        past,
        unit,
        (Source.SELF_CHECK, Status.OPEN, datetime.date(2025, 12, 30)),
        (Source.SELF_CHECK, Status.OPEN, datetime.date(2026, 1, 15)),
    )
    assert annual_statistics(past)[0]["overdue"] == 1


def test_composite_renormalises_the_weights_of_missing_parts():
    assert composite({"hearing": None, "survey": None, "rectification": None, "deliverables": None}) is None
    assert composite({"hearing": Decimal(90), "survey": None, "rectification": None, "deliverables": None}) == 90
    both = {"hearing": Decimal(90), "survey": None, "rectification": Decimal(60), "deliverables": None}
    assert composite(both) == Decimal("82.50")  # (60 × 90 + 20 × 60) / 80


def test_the_query_count_does_not_grow_with_the_units(district, office_user):
    year = district["year"]
    with CaptureQueriesContext(connection) as few:
        annual_statistics(year)
    for _ in range(15):
        unit = join(year, UnitFactory(), is_focus=True)
        problems(year, unit, (Source.FORUM, Status.OPEN, None))
        AppointmentFactory(supervisor=SupervisorFactory(), year=year, unit=unit)
        closed_hearing(year, unit, office_user)
    with CaptureQueriesContext(connection) as many:
        assert len(annual_statistics(year)) == 18
    assert len(many) == len(few)
