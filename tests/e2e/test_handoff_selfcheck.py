"""A rectification handed between the unit and the office: marked rectified with a note and evidence, sent back
with a comment (the unit is told, its earlier note and evidence stay), done again, verified, and reopened."""

import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from appraisal.models import EvaluationItem
from appraisal.services import appraisal_year_create
from selfcheck.models import Problem
from selfcheck.services import problem_create

from ..conftest import PASSWORD
from ..factories import MembershipFactory, UnitFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_in(page, url, username):
    page.goto(f"{url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


def timeline(page):
    return page.locator("#timeline .timeline-step")


def test_a_rectification_is_sent_back_redone_verified_and_reopened(live_server, open_page, screenshot):
    today = datetime.date.today()
    year = appraisal_year_create(year=today.year, focus="departments")
    unit = UnitFactory(name="区民政局", kind="departments")
    office_user = UserFactory(username="office", first_name="王审核", is_staff=True)
    office_user.groups.add(Group.objects.get(name="office"))
    liaison_user = MembershipFactory(unit=unit, user=UserFactory(username="minzheng", first_name="李联络")).user
    problem = problem_create(
        year=year,
        unit=unit,
        source="self_check",
        found_on=today,
        item=EvaluationItem.objects.get(kind="departments", name="文明服务"),
        description="婚姻登记处窗口午休时段无人值守",
        cause="排班不合理",
        measure="实行午间轮岗",
        disposition="deadline",
        due_on=today + datetime.timedelta(days=15),
        by=liaison_user,
    )
    url = f"{live_server.url}/selfcheck/problems/{problem.pk}/"

    liaison = open_page(PHONE)
    log_in(liaison, live_server.url, "minzheng")
    liaison.goto(url)
    liaison.get_by_role("link", name="标记为已整改").click()
    liaison.locator("#id_note").fill("已排出午间轮岗表并公示")
    liaison.locator("#id_evidence").set_input_files(
        {"name": "轮岗表.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    liaison.get_by_role("button", name="保存").click()
    expect(timeline(liaison)).to_have_count(2)

    office = open_page(DESKTOP)
    log_in(office, live_server.url, "office")
    office.locator("#queue").get_by_text("待验证的整改").click()
    office.get_by_text("婚姻登记处窗口午休时段无人值守").click()
    form = office.locator("#send-back-form")
    form.locator("textarea").fill("轮岗表未盖章，请补充盖章件")
    form.get_by_role("button", name="退回单位").click()
    expect(office.get_by_text("已连同意见退回单位，并已通知该单位。")).to_be_visible()
    expect(timeline(office).nth(2)).to_contain_text("区行评办（王审核）")

    # The liaison is told, with the comment and a link; the earlier note and evidence are still on the page.
    liaison.goto(f"{live_server.url}/")
    notice = liaison.locator("#notifications")
    expect(notice.get_by_text("区行评办退回了问题（序号 1）的整改")).to_be_visible()
    expect(notice.get_by_text("轮岗表未盖章，请补充盖章件")).to_be_visible()
    notice.get_by_role("link", name="前往办理").first.click()
    expect(liaison.locator("#office-comment")).to_contain_text("轮岗表未盖章，请补充盖章件")
    expect(liaison.locator("#rectification-note")).to_contain_text("已排出午间轮岗表并公示")
    expect(liaison.locator("#rectification-note").get_by_text("轮岗表.pdf")).to_be_visible()
    steps = timeline(liaison)
    expect(steps).to_have_count(3)
    expect(steps.nth(1)).to_contain_text("报整改完成")
    expect(steps.nth(1)).to_contain_text("已排出午间轮岗表并公示")
    expect(steps.nth(1).get_by_role("link", name="下载佐证材料")).to_be_visible()
    expect(steps.nth(2)).to_contain_text("区行评办退回整改")
    expect(steps.nth(2)).to_contain_text("轮岗表未盖章，请补充盖章件")
    expect(steps.nth(2)).not_to_contain_text("王审核")
    screenshot(liaison, "problem-timeline-sent-back-phone")

    liaison.get_by_role("link", name="标记为已整改").click()
    liaison.locator("#id_note").fill("已补充盖章的轮岗表")
    stamped = {"name": "轮岗表（盖章）.pdf", "mimeType": "application/pdf", "buffer": PDF}
    liaison.locator("#id_evidence").set_input_files(stamped)
    liaison.get_by_role("button", name="保存").click()
    expect(timeline(liaison)).to_have_count(4)
    expect(timeline(liaison).nth(1).get_by_text("轮岗表.pdf")).to_be_visible()
    expect(timeline(liaison).nth(3).get_by_text("轮岗表（盖章）.pdf")).to_be_visible()

    office.goto(url)
    office.get_by_role("button", name="验证整改情况").click()
    expect(office.get_by_text("已验证").first).to_be_visible()
    reopen = office.locator("#reopen-form")
    reopen.locator("textarea").fill("回访发现午间仍无人值守")
    reopen.get_by_role("button", name="重新打开").click()
    expect(office.get_by_text("已重新打开，并已将原因通知该单位。")).to_be_visible()
    steps = timeline(office)
    expect(steps).to_have_count(6)
    expect(steps.nth(5)).to_contain_text("区行评办重新打开")
    expect(steps.nth(5)).to_contain_text("回访发现午间仍无人值守")
    screenshot(office, "problem-timeline-desktop")
    assert Problem.objects.get().status == Problem.Status.IN_PROGRESS

    liaison.goto(url)
    expect(liaison.locator("#office-comment")).to_contain_text("回访发现午间仍无人值守")
    screenshot(liaison, "problem-timeline-phone")
    office.set_viewport_size(PHONE)
    screenshot(office, "problem-timeline-office-phone")
    liaison.set_viewport_size(DESKTOP)
    screenshot(liaison, "problem-timeline-unit-desktop")
