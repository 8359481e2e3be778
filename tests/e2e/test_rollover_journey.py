"""新建下一年度 in Chromium: the office starts next year from the demo's year, renews the supervisors in the next
step, and is asked to confirm a repeated focus; a bad calendar typed in the admin's year form is refused in
Chinese, naming the field."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.models import AppraisalYear, Focus
from appraisal.services import appraisal_year_create
from supervisors.models import Appointment

from ..factories import ParticipationFactory, UnitFactory
from .conftest import DESKTOP, PHONE
from .demo_site import log_in, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_office_creates_next_year_and_renews_the_supervisors(live_server, open_page, screenshot):
    seed_demo()
    year = AppraisalYear.objects.current()
    before = AppraisalYear.objects.filter(pk=year.pk).values().get()

    phone = open_page(PHONE)
    log_in(phone, live_server, "office")
    phone.goto(f"{live_server.url}/units/years/next/")
    expect(phone.locator("#create-year")).to_have_text(f"创建 {year.year + 1} 年度")
    screenshot(phone, "rollover-preview-phone")

    page = open_page(DESKTOP)
    log_in(page, live_server, "office")
    page.get_by_role("link", name="新建下一年度").click()
    expect(page.locator("h1")).to_have_text("新建下一年度")
    expect(page.locator("#focus-units")).to_contain_text("秦淮公安分局")  # departments, after industries
    expect(page.locator("#calendar")).to_contain_text(f"{year.year + 1}年7月10日")
    screenshot(page, "rollover-preview-desktop")
    page.locator("#create-year").click()

    expect(page.locator(".alert-success")).to_contain_text(f"{year.year + 1} 年度已创建")
    created = AppraisalYear.objects.get(year=year.year + 1)
    assert created.focus == Focus.DEPARTMENTS
    expect(page.locator("#created")).to_contain_text("重点评议部门")
    due = Appointment.objects.filter(year=year, ended_on__isnull=True).count()
    expect(page.locator("[data-renewal]")).to_have_count(due)
    screenshot(page, "rollover-created-desktop")
    page.locator("#renew-all").click()

    expect(page.locator(".alert-success").first).to_contain_text(f"已续聘 {due} 人")
    expect(page.locator("#renewed-count")).to_be_visible()
    expect(page.locator("#renewals-none")).to_be_visible()
    assert Appointment.objects.filter(year=created, renewed_from__year=year).count() == due
    phone.goto(page.url)
    screenshot(phone, "rollover-created-phone")

    # Going back to 新建下一年度 offers nothing to create twice; the year it started from is untouched.
    page.goto(f"{live_server.url}/office/")
    page.get_by_role("link", name="新建下一年度").click()
    expect(page.locator("#created")).to_contain_text(f"{year.year + 1} 年度已经存在")
    assert AppraisalYear.objects.count() == 3
    assert AppraisalYear.objects.filter(pk=year.pk).values().get() == before


def test_repeating_the_focus_asks_for_a_confirmation(live_server, open_page, office_user):
    year = appraisal_year_create(year=timezone.localdate().year, focus=Focus.INDUSTRIES)
    ParticipationFactory(year=year, unit=UnitFactory(name="秦淮区实验小学", kind=Focus.INDUSTRIES))
    page = open_page(PHONE)
    log_in(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/units/years/next/")
    page.get_by_label("新年度的评议重点").select_option(Focus.INDUSTRIES)
    page.locator("#create-year").click()

    expect(page.locator("#focus-error")).to_contain_text(f"评议重点与 {year.year} 年相同")
    assert not AppraisalYear.objects.filter(year=year.year + 1).exists()
    page.get_by_label("我知道评议重点与上一年度相同").check()
    page.locator("#create-year").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{year.year + 1} 年度已创建")
    assert AppraisalYear.objects.get(year=year.year + 1).focus == Focus.INDUSTRIES


def test_a_bad_calendar_in_the_admin_year_form_is_refused_in_chinese(live_server, open_page, screenshot, office_user):
    appraisal_year_create(year=2026, focus=Focus.INDUSTRIES)
    page = open_page(DESKTOP)
    log_in(page, live_server, office_user.username)
    page.goto(f"{live_server.url}/admin/appraisal/appraisalyear/add/")
    expect(page.locator("#id_year")).to_have_value("2027")  # the next free year, not an existing one
    expect(page.locator("#id_mobilisation_start")).to_have_value("2027/05/01")
    page.locator("#id_selfcheck_start").fill("2026/07/11")
    page.locator("#id_evaluation_start").fill("2027/08/20")
    page.locator("input[name=_save]").click()

    expect(page.locator(".field-selfcheck_start .errorlist")).to_have_text("自查自纠开始日期必须在 2027 年内")
    expect(page.locator(".field-evaluation_start .errorlist")).to_contain_text(
        "民主评议开始日期必须晚于自查自纠结束日期"
    )
    screenshot(page, "rollover-admin-bad-calendar")
    assert not AppraisalYear.objects.filter(year=2027).exists()
