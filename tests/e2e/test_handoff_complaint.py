"""A citizen's complaint handed from the office to the unit: triaged with item, disposition and deadline, the unit
is told, cannot submit until it has completed the problem, then submits; a triage made by mistake is undone."""

import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from appraisal.services import appraisal_year_create
from selfcheck.models import Complaint, Problem
from units.models import Deliverable, Participation

from ..conftest import PASSWORD
from ..factories import MembershipFactory, SubUnitFactory, UnitFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, url, username):
    page.goto(f"{url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


@pytest.fixture
def district(db):
    year = appraisal_year_create(year=datetime.date.today().year, focus="departments")
    unit = UnitFactory(name="区民政局", kind="departments")
    SubUnitFactory(unit=unit, name="婚姻登记处")
    Participation.objects.create(year=year, unit=unit, is_focus=True)
    office = UserFactory(username="office", first_name="王审核", is_staff=True)
    office.groups.add(Group.objects.get(name="office"))
    MembershipFactory(unit=unit, user=UserFactory(username="minzheng"))
    return unit


def test_a_complaint_is_triaged_the_unit_is_told_completes_it_and_submits(live_server, open_page, screenshot, district):
    unit = district
    citizen = open_page(PHONE)
    citizen.goto(f"{live_server.url}/complaints/")
    citizen.locator("#id_unit").select_option(str(unit.pk))
    citizen.locator("#id_what").fill("婚姻登记处窗口中午无人，群众等候一小时。")
    citizen.locator("#id_name").fill("张先生")
    citizen.locator("form button[type=submit]").click()
    code = Complaint.objects.get().code
    expect(citizen.get_by_text(code)).to_be_visible()

    # The office finds it in its queue and triages it.
    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        office = open_page(viewport)
        log_in(office, live_server.url, "office")
        office.locator("#queue").get_by_text("待处理的群众投诉").click()
        office.get_by_text("婚姻登记处窗口中午无人").click()
        form = office.locator("#triage-form")
        expect(form.locator("#id_disposition")).to_have_value("deadline")
        due = (datetime.date.today() + datetime.timedelta(days=15)).isoformat()
        expect(form.locator("#id_due_on")).to_have_value(due)
        expect(form.get_by_text("默认：限期解决，整改时限为今天起 15 天后")).to_be_visible()
        screenshot(office, f"complaint-triage-{name}")
    form.get_by_role("button", name="受理").click()  # no item chosen: the browser asks for it, nothing is sent
    expect(form.locator("#id_item:invalid")).to_be_visible()
    assert not Problem.objects.exists()
    form.locator("#id_item").select_option(label="文明服务")
    form.locator("#id_subunit").select_option(label="婚姻登记处")
    form.get_by_role("button", name="受理").click()
    expect(office.get_by_text("已受理：已转为该单位登记表序号 1 的问题")).to_be_visible()
    problem = Problem.objects.get()
    assert (problem.item.name, problem.disposition, problem.due_on.isoformat()) == ("文明服务", "deadline", due)

    # The liaison is told on the unit page and goes to the problem from the notification.
    liaison = open_page(PHONE)
    log_in(liaison, live_server.url, "minzheng")
    notice = liaison.locator("#notifications")
    expect(notice.get_by_text("一件群众投诉已转入贵单位自查自纠登记表（序号 1）")).to_be_visible()
    expect(notice.get_by_text("张先生")).to_have_count(0)
    screenshot(liaison, "complaint-unit-told-phone")

    # Submitting before the problem is complete is refused, naming what it lacks; the register marks it.
    liaison.goto(f"{live_server.url}/selfcheck/units/{unit.pk}/")
    expect(liaison.locator(f"#problem-{problem.pk}[data-incomplete]")).to_be_visible()
    liaison.get_by_role("button", name="报送登记表").click()
    expect(liaison.get_by_text("序号 1（缺原因分析、整改措施）")).to_be_visible()
    expect(liaison.locator("#incomplete-problems")).to_be_visible()
    screenshot(liaison, "complaint-submit-refused-phone")

    liaison.goto(f"{live_server.url}/")
    liaison.locator("#notifications").get_by_role("link", name="前往办理").first.click()
    expect(liaison.locator("#problem-missing")).to_contain_text("原因分析、整改措施")
    liaison.get_by_role("link", name="编辑", exact=True).click()
    liaison.locator("#id_cause").fill("午间未安排轮岗")
    liaison.locator("#id_measure").fill("实行午间轮岗并公示值班电话")
    liaison.get_by_role("button", name="保存").click()
    expect(liaison.locator("#problem-missing")).to_have_count(0)

    liaison.goto(f"{live_server.url}/selfcheck/units/{unit.pk}/")
    liaison.get_by_role("button", name="报送登记表").click()
    expect(liaison.get_by_text("登记表已报送区行评办")).to_be_visible()
    assert Deliverable.objects.get(unit=unit, kind="selfcheck_register").status == "submitted"


def test_a_triage_made_by_mistake_is_undone_and_the_unit_is_told(live_server, open_page, screenshot, district):
    from selfcheck.services import complaints

    unit = district
    complaint = complaints.complaint_submit(unit=unit, what="应属区司法局的事项", submission_key="k" * 32)
    office = open_page(DESKTOP)
    log_in(office, live_server.url, "office")
    office.goto(f"{live_server.url}/complaints/office/{complaint.pk}/")
    office.locator("#id_item").select_option(label="规范执法")
    office.locator("#triage-form").get_by_role("button", name="受理").click()
    office.goto(f"{live_server.url}/complaints/office/{complaint.pk}/")
    undo = office.locator("#undo-form")
    undo.locator("textarea").fill("应转区司法局")
    undo.get_by_role("button", name="撤销处理决定").click()
    expect(office.get_by_text("处理决定已撤销，投诉重新等待处理。")).to_be_visible()
    expect(office.locator("#complaint-steps").get_by_text("应转区司法局")).to_be_visible()
    expect(office.locator("#triage-form")).to_be_visible()
    screenshot(office, "complaint-undone-desktop")

    liaison = open_page(PHONE)
    log_in(liaison, live_server.url, "minzheng")
    expect(liaison.locator("#notifications").get_by_text("区行评办撤销了问题（序号 1）")).to_be_visible()
    assert Problem.objects.get().status == Problem.Status.WITHDRAWN
