"""The leaders' dashboard: who may see it, its figures against hand-computed ones, the year chooser, the cache and
the query count. Today is 2026-09-10 09:00, in the evaluation phase of 2026; 2025 is last year."""

import datetime
import json
import re
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appraisal.models import Deadline, EvaluationItem, Focus
from appraisal.selectors import UNKNOWN_YEAR
from appraisal.services import appraisal_year_create
from hearings import services as hearings
from hearings.models import Hearing
from inspections.models import Inspection
from reports.selectors import cached
from selfcheck.models import Problem
from supervisors.models import Appointment, Supervisor
from units.models import Deliverable, Participation, Unit

from ..factories import AppointmentFactory, HearingFactory, InspectionFactory, ProblemFactory, UnitFactory

pytestmark = pytest.mark.django_db

URL = "/reports/dashboard/"
Status, Source = Problem.Status, Problem.Source


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-09-10 09:00 +0800", tick=False)


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    """Every test computes the figures itself: nothing cached by an earlier test, no cache unless it asks."""
    cache.clear()
    settings.DASHBOARD_CACHE_SECONDS = 0
    yield
    cache.clear()


def problem(year, unit, source, status, due_on=None):
    disposition = "deadline" if due_on else "immediate"
    return ProblemFactory(year=year, unit=unit, source=source, status=status, due_on=due_on, disposition=disposition)


def closed_hearing(year, unit, by, answers):
    """A hearing closed through the services after one paper ballot per answer (the same answer on every item)."""
    hearing = HearingFactory(year=year, unit=unit, status=Hearing.Status.VOTING, voters=len(answers))
    for answer in answers:
        everything = {str(item.position): answer for item in hearings.items_of(hearing)}
        hearings.paper_ballot_add(hearing=hearing, answers=everything)
    return hearings.hearing_close(hearing=hearing, by=by)


@pytest.fixture
def district(office_user):
    """2026: 区城管局 (a focus department) and 区属中小学 (a focus industry with a closed hearing); 2025: the
    school alone, a focus unit, with three verified problems and a hearing where everyone was satisfied."""
    last_year = appraisal_year_create(year=2025)
    year = appraisal_year_create(year=2026, focus=Focus.INDUSTRIES)
    office = UnitFactory(name="区城管局", kind=Focus.DEPARTMENTS)
    school = UnitFactory(name="区属中小学", kind=Focus.INDUSTRIES)
    Participation.objects.create(year=year, unit=office, is_focus=True)
    Participation.objects.create(year=year, unit=school, is_focus=True)
    Participation.objects.create(year=last_year, unit=school, is_focus=True)

    problem(year, office, Source.SELF_CHECK, Status.VERIFIED)
    problem(year, office, Source.SELF_CHECK, Status.OPEN, datetime.date(2026, 8, 1))  # 40 days overdue
    problem(year, office, Source.COMPLAINT, Status.IN_PROGRESS, datetime.date(2026, 9, 5))  # 5 days overdue
    problem(year, office, Source.MEDIA, Status.RECTIFIED)
    problem(year, school, Source.HEARING, Status.VERIFIED)
    problem(year, school, Source.VISIT, Status.OPEN)
    for _ in range(3):
        problem(last_year, school, Source.SELF_CHECK, Status.VERIFIED)

    submitted = datetime.datetime(2026, 7, 1, 10, tzinfo=timezone.get_current_timezone())
    Deliverable.objects.create(year=year, unit=office, kind="plan", status="accepted", submitted_at=submitted)

    answers = ["satisfied"] * 6 + ["fairly"] * 2 + ["dissatisfied", "unknown"]
    closed_hearing(year, school, office_user, answers)
    closed_hearing(last_year, school, office_user, ["satisfied"] * 4)

    inspector = AppointmentFactory(year=year).supervisor  # a district supervisor, one of six inspections done
    InspectionFactory(supervisor=inspector, year=year, unit=office, status="accepted")
    return year


def charts_of(page):
    data = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(data.group(1))


def text_of(page, marker):
    return page.split(marker, 1)[1].split("<", 1)[0].strip()


@pytest.mark.parametrize("user", ["leader_user", "office_user"])
def test_leaders_and_the_office_see_the_dashboard(client, request, user, district):
    client.force_login(request.getfixturevalue(user))
    response = client.get(URL)
    assert response.status_code == 200
    assert b'id="ranking"' in response.content


@pytest.mark.parametrize("user", ["liaison_a", "liaison_b", "supervisor_user", "outsider"])
def test_anyone_else_is_refused(client, request, user, district):
    client.force_login(request.getfixturevalue(user))
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, district):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_dashboard_is_read_only(client, leader_user, office_user, district):
    for user in (leader_user, office_user):
        client.force_login(user)
        assert client.post(URL, {"year": "2026"}).status_code == 405


def test_key_figures_beside_last_year(client, leader_user, district):
    client.force_login(leader_user)
    page = client.get(URL).content.decode()
    expected = {
        "units": ("2", "1", "+1"),
        "problems": ("6", "3", "+3"),
        "rectification_rate": ("50.00%", "100.00%", "-50.00"),  # 3 of 6 against 3 of 3
        "overdue": ("2", "0", "+2"),
        "on_time_rate": ("9.09%", "0.00%", "+9.09"),  # 1 of the 11 due by now; none of the school's in 2025
        "hearing_rate": ("88.89%", "100.00%", "-11.11"),  # (6 + 2) / (10 − 1) against 4 / 4
    }
    for key, (now, before, delta) in expected.items():
        assert text_of(page, f'data-figure="{key}">') == now
        assert text_of(page, f'data-last="{key}">') == f"2025: {before}"
        if delta:
            assert text_of(page, f'data-delta="{key}">').split()[-1] == delta
    # More overdue rectifications are worse, so the increase is red; more units taking part is not.
    assert 'class="text-danger text-nowrap" data-delta="overdue"' in page
    assert 'class="text-success text-nowrap" data-delta="units"' in page


def test_the_ranking_and_its_change(client, leader_user, district):
    client.force_login(leader_user)
    page = client.get(URL).content.decode()
    ranking = page.split('id="ranking"', 1)[1].split("</section>", 1)[0]
    # The school: 60 × 84.44 (hearing) + 20 × 50 (rectified) + 10 × 0 (on time), over 90.
    # The office: 20 × 50 + 10 × 20 (1 of the 5 due on time), over 30.
    assert ranking.index("区属中小学") < ranking.index("区城管局")
    assert "67.40" in ranking and "40.00" in ranking
    assert "-21.49" in ranking  # the school scored 88.89 in 2025: 60 × 100 + 20 × 100 + 10 × 0, over 90


def test_units_not_evaluated_this_year_are_listed_apart_without_a_score(client, leader_user, district):
    """A unit outside this year's focus owes deliverables and misses them: it would score 0.00 if it were ranked."""
    for name in ("区房产局", "秦淮公安分局"):
        unit = UnitFactory(name=name, kind=Focus.DEPARTMENTS)
        Participation.objects.create(year=district, unit=unit, is_focus=False)
        problem(district, unit, Source.SELF_CHECK, Status.OPEN)
    client.force_login(leader_user)
    page = client.get(URL).content.decode()
    ranking = page.split('id="ranking"', 1)[1].split("</section>", 1)[0]
    table, apart = ranking.split('id="not-evaluated"', 1)
    assert "区属中小学" in table and "区城管局" in table
    assert "区房产局" not in table and "秦淮公安分局" not in table
    assert re.findall(r"data-score>([^<]*)<", table) == ["67.40", "40.00"]
    assert "本年度未评议（2 个单位）" in apart
    assert "区房产局" in apart and "秦淮公安分局" in apart
    assert "0.00" not in apart and "data-score" not in apart


def test_the_charts_carry_the_figures(client, leader_user, district):
    client.force_login(leader_user)
    charts = charts_of(client.get(URL).content.decode())
    deliverables = charts["deliverables"]
    assert deliverables["labels"] == ["区属中小学", "区城管局"]
    # on time, late, missing, not due yet
    assert [d["data"] for d in deliverables["datasets"]] == [[0, 1], [0, 0], [6, 4], [1, 1]]
    channels = charts["problems_by_channel"]
    found = dict(zip(channels["labels"], channels["datasets"][0]["data"], strict=True))
    assert found[str(Source.SELF_CHECK.label)] == 2 and found[str(Source.MEDIA.label)] == 1
    assert channels["datasets"][3]["data"][0] == 3  # self-check, found in 2025
    by_unit = charts["problems_by_unit"]
    assert [d["data"] for d in by_unit["datasets"]] == [[2, 4], [1, 2], [1, 1]]
    items = charts["satisfaction_industries"]
    assert items["labels"][0] == "依法经营" and len(items["labels"]) == 7
    assert items["datasets"][0]["data"] == [88.89] * 7
    assert items["datasets"][1]["data"] == [100.0] * 7
    assert "satisfaction_departments" not in charts  # no department held a hearing


def test_the_numbers_are_one_click_away(client, leader_user, district):
    client.force_login(leader_user)
    page = client.get(URL).content.decode()
    for key in ("deliverables", "problems_by_channel", "problems_by_unit", "quotas", "satisfaction_industries"):
        box = page.split(f'data-chart="{key}"', 1)[1]
        assert box.index("<details") < box.index("</section>")
    channels = page.split('id="channels"', 1)[1].split("</table>", 1)[0]
    row = channels.split(f'data-channel="{Source.SELF_CHECK}"', 1)[1].split("</tr>", 1)[0]
    assert re.findall(r">(\d+)</td>", row) == ["2", "1", "1", "3"]  # found, rectified, verified, found in 2025


def test_overdue_rectifications_longest_first(client, leader_user, district):
    client.force_login(leader_user)
    page = client.get(URL).content.decode()
    overdue = page.split('id="overdue"', 1)[1].split("</section>", 1)[0]
    days = re.findall(r'class="text-end overdue">(\d+)<', overdue)
    assert days == ["40", "5"]
    opened = Problem.objects.get(due_on=datetime.date(2026, 8, 1))
    assert f"/selfcheck/problems/{opened.pk}/" in overdue


def test_another_year_is_chosen_with_the_year_parameter(client, leader_user, district):
    client.force_login(leader_user)
    page = client.get(URL, {"year": "2025"}).content.decode()
    assert text_of(page, 'data-figure="units">') == "1"
    assert text_of(page, 'data-figure="problems">') == "3"
    assert 'data-last="units"' not in page  # there is no 2024 to compare with
    assert '<option value="2025" selected>' in page


def test_the_current_year_shows_its_calendar(client, leader_user, district):
    client.force_login(leader_user)
    summary_due = Deadline.objects.get(year=district, code="annual_summary").title
    page = client.get(URL).content.decode()
    assert summary_due in page
    assert str(district.phase_on(datetime.date(2026, 9, 10))) in page
    assert summary_due not in client.get(URL, {"year": "2025"}).content.decode()  # a past year's is all passed


def test_an_unknown_year_says_so_and_shows_the_current_one(client, leader_user, district):
    client.force_login(leader_user)
    page = client.get(URL, {"year": "1999"}).content.decode()
    assert str(UNKNOWN_YEAR % {"asked": "1999", "shown": 2026}) in page
    assert text_of(page, 'data-figure="units">') == "2"


def test_without_a_year_the_page_says_so(client, leader_user):
    client.force_login(leader_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert "dashboard-charts" not in response.content.decode()


def test_figures_are_cached_for_at_most_the_configured_seconds(client, leader_user, district, settings, time_machine):
    settings.DASHBOARD_CACHE_SECONDS = 60
    client.force_login(leader_user)
    assert text_of(client.get(URL).content.decode(), 'data-figure="problems">') == "6"
    problem(district, Unit.objects.get(name="区城管局"), Source.FORUM, Status.OPEN)
    time_machine.shift(datetime.timedelta(seconds=40))
    assert text_of(client.get(URL).content.decode(), 'data-figure="problems">') == "6"
    time_machine.shift(datetime.timedelta(seconds=21))
    assert text_of(client.get(URL).content.decode(), 'data-figure="problems">') == "7"


def test_one_request_refreshes_ageing_figures_while_the_others_serve_them(time_machine):
    computed = []

    def compute():
        computed.append(time.time())
        return len(computed)

    assert cached("k", compute, 60) == 1
    time_machine.shift(datetime.timedelta(seconds=44))
    assert cached("k", compute, 60) == 1
    time_machine.shift(datetime.timedelta(seconds=2))  # 46 s: in the last quarter of its minute
    cache.add("k:refreshing", True, 15)  # another request is computing it
    assert cached("k", compute, 60) == 1
    cache.delete("k:refreshing")
    assert cached("k", compute, 60) == 2
    time_machine.shift(datetime.timedelta(seconds=61))
    assert cached("k", compute, 60) == 3
    assert cached("k", compute, 0) == 4  # no cache at all


def test_a_process_serves_its_copy_only_while_it_is_fresh(time_machine):
    assert cached("k", lambda: "mine", 60) == "mine"
    time_machine.shift(datetime.timedelta(seconds=30))
    cache.set("k", {"started": time.time(), "value": "refreshed elsewhere"}, 60)  # by another process
    time_machine.shift(datetime.timedelta(seconds=14))
    assert cached("k", lambda: "recomputed", 60) == "mine"  # this process's copy, fresh
    time_machine.shift(datetime.timedelta(seconds=2))
    assert cached("k", lambda: "recomputed", 60) == "refreshed elsewhere"  # the cache's, as fresh as it gets


def city(year, first, count, results):
    """`count` focus units with two problems, a team member's accepted inspection, a handed-in deliverable and
    a closed hearing each: built in bulk, the same shape as the others."""
    item = EvaluationItem.objects.filter(kind=Focus.DEPARTMENTS).first()
    units = Unit.objects.bulk_create(
        Unit(name=f"测试单位{n:03d}", kind=Focus.DEPARTMENTS, sector="测试") for n in range(first, first + count)
    )
    Participation.objects.bulk_create(Participation(year=year, unit=unit, is_focus=True) for unit in units)
    Problem.objects.bulk_create(
        Problem(year=year, unit=unit, source=source, found_on=datetime.date(2026, 7, 20), item=item, description="问题")
        for unit in units
        for source in (Source.SELF_CHECK, Source.COMPLAINT)
    )
    supervisors = Supervisor.objects.bulk_create(
        Supervisor(name=f"团队监督员{unit.pk}", sector="enterprise", phone=f"136{unit.pk:08d}") for unit in units
    )
    Appointment.objects.bulk_create(
        Appointment(
            supervisor=s, year=year, unit=u, starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2027, 4, 30)
        )
        for s, u in zip(supervisors, units, strict=True)
    )
    at = datetime.datetime(2026, 7, 20, 2, tzinfo=datetime.UTC)
    Inspection.objects.bulk_create(
        Inspection(supervisor=s, year=year, unit=u, occurred_at=at, mode="open", status="accepted")
        for s, u in zip(supervisors, units, strict=True)
    )
    Deliverable.objects.bulk_create(
        Deliverable(year=year, unit=unit, kind="plan", status="submitted", submitted_at=at) for unit in units
    )
    Hearing.objects.bulk_create(
        Hearing(
            year=year, unit=unit, held_on=datetime.date(2026, 9, 1), venue="会议室", status="closed", results=results
        )
        for unit in units
    )


def test_the_query_count_is_the_same_for_5_units_and_for_100(client, leader_user, district, office_user):
    hearing = Hearing.objects.get(year=district, status="closed")
    Participation.objects.filter(year=district).delete()
    city(district, 1, 5, hearing.results)
    client.force_login(leader_user)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        page = client.get(URL).content.decode()
    assert text_of(page, 'data-figure="units">') == "5"
    city(district, 6, 95, hearing.results)
    with CaptureQueriesContext(connection) as large:
        page = client.get(URL).content.decode()
    assert text_of(page, 'data-figure="units">') == "100"
    assert text_of(page, 'data-figure="problems">') == "200"
    assert text_of(page, 'data-figure="inspections_accepted">') == "100"
    assert len(large) == len(small), [query["sql"][:120] for query in large.captured_queries]


def test_the_cached_page_skips_the_computation(client, leader_user, district, settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    client.force_login(leader_user)
    with CaptureQueriesContext(connection) as first:
        client.get(URL)
    with CaptureQueriesContext(connection) as second:
        client.get(URL)
    assert len(second) < len(first) - 10
