import datetime

import pytest
from playwright.sync_api import expect

from appraisal.models import Focus
from appraisal.services import appraisal_year_create
from hearings import services as hearings
from hearings.models import Hearing
from selfcheck.models import Problem
from units.models import Deliverable, Participation

from ..conftest import PASSWORD
from ..factories import AppointmentFactory, HearingFactory, InspectionFactory, ProblemFactory, UnitFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTS = ["deliverables", "problems_by_channel", "problems_by_unit", "quotas", "satisfaction_industries"]


def closed_hearing(year, unit, answers):
    hearing = HearingFactory(year=year, unit=unit, status=Hearing.Status.VOTING, voters=len(answers))
    for answer in answers:
        hearings.paper_ballot_add(
            hearing=hearing, answers={str(item.position): answer for item in hearings.items_of(hearing)}
        )
    return hearings.hearing_close(hearing=hearing, by=None)


def campaign():
    """This year and last: four units with problems from several channels, deliverables and two hearings."""
    today = datetime.date.today()
    last_year = appraisal_year_create(year=today.year - 1)
    year = appraisal_year_create(year=today.year, focus=Focus.INDUSTRIES)
    names = [("秦淮区实验小学", Focus.INDUSTRIES), ("区人民医院", Focus.INDUSTRIES), ("区城管局", Focus.DEPARTMENTS)]
    units = [UnitFactory(name=name, kind=kind) for name, kind in names]
    for unit in units:
        Participation.objects.create(year=year, unit=unit, is_focus=unit.kind == Focus.INDUSTRIES)
        Participation.objects.create(year=last_year, unit=unit)
    sources = list(Problem.Source.values)
    for n in range(12):
        status = [Problem.Status.VERIFIED, Problem.Status.RECTIFIED, Problem.Status.OPEN][n % 3]
        for when in (year, last_year):
            ProblemFactory(year=when, unit=units[n % 3], source=sources[n % len(sources)], status=status)
    Deliverable.objects.create(
        year=year, unit=units[0], kind="plan", status="accepted", submitted_at=datetime.datetime.now(datetime.UTC)
    )
    closed_hearing(year, units[0], ["satisfied"] * 8 + ["fairly", "dissatisfied"])
    closed_hearing(year, units[1], ["satisfied"] * 5 + ["fairly"] * 5)
    closed_hearing(last_year, units[0], ["satisfied"] * 6 + ["dissatisfied"] * 4)
    for n in range(3):  # district supervisors with 0, 3 and 6 inspections: one meets the quota of 6
        appointment = AppointmentFactory(year=year)
        for _ in range(3 * n):
            InspectionFactory(supervisor=appointment.supervisor, year=year, unit=units[2], status="accepted")
    return year


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_leader_logs_in_and_sees_the_charts(live_server, open_page, screenshot, viewport):
    from django.contrib.auth.models import Group

    campaign()
    leader = UserFactory(username="leader")
    leader.groups.add(Group.objects.get(name="leaders"))
    size = "phone" if viewport is PHONE else "desktop"

    page = open_page(viewport)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill("leader")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/reports/dashboard/")

    for key in CHARTS:
        box = page.locator(f'[data-chart="{key}"]')
        expect(box).to_have_attribute("data-rendered", "true")
        canvas = box.locator("canvas")
        assert canvas.bounding_box()["height"] > 100
        drawn = canvas.evaluate("canvas => Chart.getChart(canvas).data.datasets.map(d => d.data)")
        assert any(value for dataset in drawn for value in dataset if value), key
        # Something was painted: not every pixel of the canvas is transparent.
        painted = canvas.evaluate(
            "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)"
        )
        assert painted, key
    by_unit = page.locator('[data-chart="satisfaction_units_industries"] canvas')
    rates = by_unit.evaluate("canvas => Chart.getChart(canvas).data.datasets[0].data")
    assert rates == [100.0, 90.0]  # the hospital: 10 of 10 satisfied or fairly; the school: 9 of 10
    screenshot(page, f"dashboard-{size}")

    details = page.locator("#deliverables details")
    table = details.locator("table")
    expect(table).to_be_hidden()
    details.locator("summary").click()
    expect(table).to_be_visible()
    expect(table).to_contain_text("秦淮区实验小学")

    page.locator("#year-select").select_option(str(datetime.date.today().year - 1))
    expect(page).to_have_url(f"{live_server.url}/reports/dashboard/?year={datetime.date.today().year - 1}")
    expect(page.locator('[data-chart="problems_by_unit"]')).to_have_attribute("data-rendered", "true")
    screenshot(page, f"dashboard-last-year-{size}")
    assert errors == []
