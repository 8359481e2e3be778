import pytest
from playwright.sync_api import expect

from appraisal.services import appraisal_year_create
from units.models import Deliverable, Participation

from ..conftest import PASSWORD
from ..factories import MembershipFactory, UnitFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def log_in(page, url, username):
    page.goto(f"{url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_a_liaison_hands_in_the_plan_and_the_office_returns_it(live_server, open_page, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.contrib.auth.models import Group

    year = appraisal_year_create(year=2026, focus="industries")
    school = UnitFactory(name="秦淮区实验小学", kind="industries", sector="教育")
    Participation.objects.create(year=year, unit=school, is_focus=True)
    MembershipFactory(user=UserFactory(username="school"), unit=school)
    office = UserFactory(username="office", is_staff=True)
    office.groups.add(Group.objects.get(name="office"))

    phone = open_page(PHONE)
    log_in(phone, live_server.url, "school")
    phone.get_by_role("link", name="实施方案").click()
    phone.get_by_label("文件").set_input_files(
        {"name": "实验小学实施方案.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    phone.get_by_role("button", name="上传").click()
    expect(phone.get_by_role("link", name="实验小学实施方案.pdf")).to_be_visible()
    phone.get_by_role("button", name="报送区行评办").click()
    expect(phone.get_by_text("已报送区行评办。")).to_be_visible()
    screenshot(phone, "deliverable-submitted-phone")

    desk = open_page(DESKTOP)
    log_in(desk, live_server.url, "office")
    desk.goto(f"{live_server.url}/units/deliverables/")
    screenshot(desk, "deliverable-matrix-desktop")
    desk.get_by_role("row", name="实验小学").get_by_role("link", name="已报送").click()
    desk.get_by_label("退回修改").check()
    desk.get_by_label("给单位的意见").fill("请补充工作进度安排。")
    desk.get_by_role("button", name="保存审核结果").click()
    expect(desk.get_by_text("已连同意见退回单位。")).to_be_visible()

    phone.goto(f"{live_server.url}/")
    expect(phone.locator("#checklist")).to_contain_text("请补充工作进度安排。")
    expect(phone.locator("#notifications")).to_contain_text("请补充工作进度安排。")
    screenshot(phone, "unit-checklist-returned-phone")
    assert Deliverable.objects.get(unit=school, kind="plan").status == "returned"
