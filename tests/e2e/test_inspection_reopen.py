"""The office undoes its acceptance of an inspection: the unit sees the problem withdrawn and is told, the
supervisor gets the inspection back with the reason, resubmits it, and accepting again puts the problem back in
the register. Refused, naming the problem's 序号, once the unit has acted on it."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.services import appraisal_year_create
from inspections import services
from inspections.models import Inspection
from selfcheck.models import Problem
from selfcheck.services.problems import problem_start

from ..conftest import PASSWORD
from ..factories import (
    AppointmentFactory,
    MembershipFactory,
    SupervisorFactory,
    UnitFactory,
    UserFactory,
    first_item_of,
)
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "问题发生的窗口记录有误，请监督员核实后重新提交"
OBSERVED = "3号窗口工作人员态度生硬"


def log_in(page, url, username):
    page.goto(f"{url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


def seed():
    year = appraisal_year_create(year=timezone.localdate().year, focus="departments")
    unit = UnitFactory(name="区民政局", kind="departments")
    MembershipFactory(unit=unit, user=UserFactory(username="minzheng", first_name="李联络"))
    user = UserFactory(username="jiandu", email="zhang@example.cn")
    supervisor = SupervisorFactory(name="张国华", user=user)
    AppointmentFactory(supervisor=supervisor, year=year)
    office = UserFactory(username="office", is_staff=True, first_name="王审核")
    office.groups.add(Group.objects.get(name="office"))
    inspection = services.inspection_create(
        supervisor=supervisor,
        unit=unit,
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        mode="covert",
        methods=["accompany"],
    )
    services.inspection_update(inspection=inspection, summary="陪同群众办理婚姻登记")
    services.finding_add(inspection=inspection, item=first_item_of(unit), observed=OBSERVED)
    services.inspection_submit(inspection=inspection, by=user)
    return inspection


def test_undone_acceptance_reaches_the_unit_and_the_supervisor_and_is_accepted_again(
    live_server, open_page, screenshot
):
    inspection = seed()
    url, unit_pk = live_server.url, inspection.unit_id
    detail, register = (
        f"{live_server.url}/inspections/{inspection.pk}/",
        f"{live_server.url}/selfcheck/units/{unit_pk}/",
    )

    office = open_page(DESKTOP)
    log_in(office, url, "office")
    office.goto(detail)
    office.locator("#accept").click()
    expect(office).to_have_url(f"{url}/inspections/review/")
    first = Problem.objects.get()

    liaison = open_page(PHONE)
    log_in(liaison, url, "minzheng")
    liaison.goto(register)
    expect(liaison.locator(f"#problem-{first.pk}")).to_contain_text(OBSERVED)
    expect(liaison.locator(f"#problem-{first.pk}")).to_contain_text("未整改")

    office.goto(detail)
    undo = office.locator("#reopen")
    expect(undo.get_by_role("button", name="撤销采纳")).to_be_visible()
    screenshot(office, "inspection-reopen-form-desktop")
    office.set_viewport_size(PHONE)
    screenshot(office, "inspection-reopen-form-phone")
    office.set_viewport_size(DESKTOP)
    undo.get_by_role("button", name="撤销采纳").click()  # without a reason: refused at the field
    expect(office.locator("#reopen")).to_contain_text("请填写撤销采纳的原因")
    office.locator("#reopen textarea").fill(REASON)
    office.locator("#reopen").get_by_label("退回监督员，修改后重新提交").check()
    office.locator("#reopen").get_by_role("button", name="撤销采纳").click()
    expect(office.get_by_text("已撤销采纳：记录已退回监督员。")).to_be_visible()
    expect(office.locator("#returned")).to_contain_text(REASON)
    expect(office.locator("#decisions [data-step=reopened]")).to_contain_text(REASON)
    expect(office.locator("#reopen")).to_have_count(0)

    liaison.goto(register)
    expect(liaison.locator(f"#problem-{first.pk}")).to_contain_text("已撤销")
    liaison.goto(f"{url}/units/{unit_pk}/")
    notice = liaison.locator("#notifications details").first
    expect(notice).to_contain_text("区行评办撤销了问题（序号 1）")
    expect(notice).to_contain_text(REASON)
    expect(liaison.locator("#notifications")).not_to_contain_text("张国华")

    supervisor = open_page(PHONE)
    log_in(supervisor, url, "jiandu")
    expect(supervisor).to_have_url(f"{url}/supervisors/me/")
    notice = supervisor.locator("#notifications details").first
    expect(notice).to_contain_text("区行评办撤销了对您")
    expect(notice).to_contain_text(REASON)
    notice.get_by_role("link", name="前往办理").click()
    expect(supervisor).to_have_url(detail)
    expect(supervisor.locator("#returned")).to_contain_text(REASON)
    screenshot(supervisor, "inspection-reopened-supervisor-phone")
    supervisor.locator("#submit").click()
    expect(supervisor.locator("#submit")).to_have_count(0)

    office.goto(f"{url}/inspections/review/")
    office.locator(f"#inspection-{inspection.pk} a").click()
    office.locator("#accept").click()
    expect(office).to_have_url(f"{url}/inspections/review/")
    second = Problem.objects.exclude(pk=first.pk).get()

    liaison.goto(register)
    expect(liaison.locator(f"#problem-{second.pk}")).to_contain_text(OBSERVED)
    expect(liaison.locator(f"#problem-{second.pk}")).to_contain_text("未整改")
    expect(liaison.locator(f"#problem-{first.pk}")).to_contain_text("已撤销")
    screenshot(liaison, "inspection-reopen-register-phone")
    assert Inspection.objects.get().status == Inspection.Status.ACCEPTED


def test_undo_back_to_review_and_a_refusal_naming_the_number(live_server, open_page, screenshot):
    inspection = seed()
    detail = f"{live_server.url}/inspections/{inspection.pk}/"
    office = open_page(PHONE)
    log_in(office, live_server.url, "office")
    office.goto(detail)
    office.locator("#accept").click()

    office.goto(detail)
    office.locator("#reopen textarea").fill("审核有误，需重新审核")
    office.locator("#reopen").get_by_label("退回区行评办待审核队列").check()
    office.locator("#reopen").get_by_role("button", name="撤销采纳").click()
    expect(office.get_by_text("已撤销采纳：记录已回到待审核队列。")).to_be_visible()
    office.goto(f"{live_server.url}/inspections/review/")
    office.locator(f"#inspection-{inspection.pk} a").click()
    office.locator("#accept").click()

    problem_start(problem=Problem.objects.get(status="open"), by=None)
    office.goto(detail)
    office.locator("#reopen textarea").fill("审核有误")
    office.locator("#reopen").get_by_role("button", name="撤销采纳").click()
    expect(office.locator("#reopen")).to_contain_text("单位已处理其自查自纠登记表中序号为 2 的问题")
    expect(office.locator("#findings [data-problem-number]")).to_have_text("登记表序号 2")
    screenshot(office, "inspection-reopen-refused-phone")
    assert Inspection.objects.get().status == Inspection.Status.ACCEPTED
