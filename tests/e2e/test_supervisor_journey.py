import pytest
from playwright.sync_api import expect

from appraisal.services import appraisal_year_create
from supervisors.models import Appointment
from units.models import Participation

from ..conftest import PASSWORD
from ..factories import AppointmentFactory, SupervisorFactory, UnitFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_office_appoints_a_supervisor_and_the_unit_flag_clears(live_server, open_page, screenshot, viewport):
    from django.contrib.auth.models import Group

    year = appraisal_year_create(year=2026)  # industries in focus
    unit = UnitFactory(name="秦淮区实验小学", kind="industries", sector="教育")
    Participation.objects.create(year=year, unit=unit, is_focus=True)
    for sector in ("service_object", "service_object", "npc_deputy"):
        AppointmentFactory(year=year, unit=unit, supervisor=SupervisorFactory(sector=sector))
    office = UserFactory(username="office", is_staff=True)
    office.groups.add(Group.objects.get(name="office"))
    size = "phone" if viewport is PHONE else "desktop"

    page = open_page(viewport)
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill("office")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.goto(f"{live_server.url}/supervisors/units/")
    expect(page.locator(f"#unit-{unit.pk} .text-bg-danger")).to_be_visible()
    screenshot(page, f"supervisor-unit-teams-flagged-{size}")

    page.locator(f"#unit-{unit.pk}").click()
    expect(page.locator("#team-status .alert-warning")).to_be_visible()
    page.locator(f"a[href='/supervisors/units/{unit.pk}/add/']").click()
    page.locator("#id_name").fill("罗志刚")
    page.locator("#id_sector").select_option("enterprise")
    page.locator("#id_employer").fill("南京新华书店秦淮分店")
    page.locator("#id_phone").fill("13813901304")
    screenshot(page, f"supervisor-add-member-{size}")
    page.get_by_role("button", name="保存").click()

    expect(page.locator("#team-status .alert-success")).to_be_visible()
    expect(page.get_by_role("link", name="罗志刚")).to_be_visible()
    screenshot(page, f"supervisor-unit-team-{size}")
    page.goto(f"{live_server.url}/supervisors/units/")
    expect(page.locator(f"#unit-{unit.pk} .text-bg-success")).to_be_visible()
    assert Appointment.objects.filter(unit=unit, supervisor__name="罗志刚").count() == 1
