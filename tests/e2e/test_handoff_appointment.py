"""A unit asks the office to end an appointment to its team; the office declines, then approves, then undoes it.
The unit never ends an appointment itself, and sees every decision."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.services import appraisal_year_create
from supervisors.models import Appointment, AppointmentEndRequest

from ..conftest import PASSWORD
from ..factories import AppointmentFactory, MembershipFactory, SupervisorFactory, UnitFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, url, username):
    page.goto(f"{url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


def ask(page, appointment, reason):
    page.locator(f"#appointment-{appointment.pk}").get_by_role("link", name="申请提前解聘").click()
    page.locator("#id_reason").fill(reason)
    page.get_by_role("button", name="报区行评办").click()
    expect(page.locator(f"#appointment-{appointment.pk}")).to_contain_text("已申请提前解聘")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_unit_asks_the_office_decides_and_the_unit_sees_it(live_server, open_page, screenshot, viewport):
    year = appraisal_year_create(year=timezone.localdate().year)
    unit = UnitFactory(name="秦淮区实验小学", kind="industries")
    appointment = AppointmentFactory(year=year, unit=unit, supervisor=SupervisorFactory(name="罗志刚"))
    MembershipFactory(unit=unit, user=UserFactory(username="xiaoxue"))
    office = UserFactory(username="office", is_staff=True)
    office.groups.add(Group.objects.get(name="office"))
    size = "phone" if viewport is PHONE else "desktop"
    team_url = f"{live_server.url}/supervisors/units/{unit.pk}/"

    liaison = open_page(viewport)
    log_in(liaison, live_server.url, "xiaoxue")
    liaison.goto(team_url)
    expect(liaison.get_by_role("link", name="提前解聘", exact=True)).to_have_count(0)
    ask(liaison, appointment, "本人已调离本区")
    liaison.get_by_role("button", name="撤回申请").click()
    expect(liaison.locator("#end-requests")).to_contain_text("已撤回")
    ask(liaison, appointment, "本人长期在外地工作，无法履职")
    screenshot(liaison, f"handoff-unit-team-asked-{size}")

    desk = open_page(viewport)
    log_in(desk, live_server.url, "office")
    desk.goto(f"{live_server.url}/office/")
    entry = desk.locator("#queue a[href='/supervisors/end-requests/']")
    expect(entry).to_contain_text("单位申请提前解聘")
    expect(entry).to_contain_text("1")
    entry.click()
    pending = AppointmentEndRequest.objects.get(status="pending")
    card = desk.locator(f"#end-request-{pending.pk}")
    expect(card).to_contain_text("本人长期在外地工作，无法履职")
    screenshot(desk, f"handoff-end-requests-{size}")
    card.get_by_role("button", name="不同意，继续聘任").click()
    expect(desk.locator(".invalid-feedback, .errorlist").first).to_be_visible()  # a reason is needed
    desk.locator(f"#id_r{pending.pk}-note").fill("任期将满，请坚持到期满")
    desk.locator(f"#end-request-{pending.pk}").get_by_role("button", name="不同意，继续聘任").click()
    expect(desk.locator("#nothing-pending")).to_be_visible()
    expect(desk.locator("#decided")).to_contain_text("任期将满，请坚持到期满")

    liaison.goto(f"{live_server.url}/units/{unit.pk}/")
    expect(liaison.locator("#notifications")).to_contain_text("区行评办不同意提前解聘罗志刚")
    expect(liaison.locator("#notifications")).to_contain_text("任期将满，请坚持到期满")
    liaison.goto(team_url)
    expect(liaison.locator(f"#end-request-{pending.pk}")).to_contain_text("未同意")
    expect(liaison.locator(f"#end-request-{pending.pk}")).to_contain_text("任期将满，请坚持到期满")
    ask(liaison, appointment, "本人书面提出辞去监督员")

    desk.goto(f"{live_server.url}/office/")
    desk.locator("#queue a[href='/supervisors/end-requests/']").click()
    desk.get_by_role("button", name="同意并解聘").click()
    expect(desk.locator("#nothing-pending")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.ended_on == timezone.localdate() and appointment.end_reason == "本人书面提出辞去监督员"

    liaison.goto(f"{live_server.url}/units/{unit.pk}/")
    expect(liaison.locator("#notifications details").first).to_contain_text("区行评办同意提前解聘罗志刚")
    liaison.goto(team_url)
    expect(liaison.locator(f"#appointment-{appointment.pk}")).to_have_count(0)
    expect(liaison.locator("#end-requests")).to_contain_text("已同意")
    expect(liaison.locator("a[href$='/end/']")).to_have_count(0)
    screenshot(liaison, f"handoff-unit-team-decided-{size}")

    desk.goto(f"{live_server.url}/supervisors/{appointment.supervisor_id}/")
    expect(desk.locator("#appointments")).to_contain_text("本人书面提出辞去监督员")
    desk.get_by_text("误解聘了？撤销解聘").click()
    desk.locator(f"#reinstate-{appointment.pk}").fill("单位撤回辞职申请，本人继续履职")
    desk.get_by_role("button", name="撤销解聘，恢复聘任").click()
    expect(desk.locator("#appointments .changes")).to_contain_text("单位撤回辞职申请，本人继续履职")
    appointment.refresh_from_db()
    assert appointment.ended_on is None and appointment.changes.count() == 2
    liaison.goto(team_url)
    expect(liaison.locator(f"#appointment-{appointment.pk}")).to_be_visible()
    assert Appointment.objects.get().end_requests.count() == 3
