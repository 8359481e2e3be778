"""The office builds summary 1 in the browser, watches it finish without reloading, and downloads it.

With a broker configured (CI) a real Celery worker builds it; without one, Celery runs the job in-process."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from playwright.sync_api import expect

from appraisal.models import Focus
from appraisal.services import appraisal_year_create
from reports.exports import selfcheck as summary1
from reports.models import Report
from selfcheck.services.workbook import HEADERS
from units.models import Participation

from ..conftest import PASSWORD
from ..factories import ProblemFactory, UnitFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(request):
    """A real worker when there is a broker to reach it through; otherwise the job runs in the web process."""
    if not settings.CELERY_BROKER_URL:
        return None
    return request.getfixturevalue("start_celery_worker")(env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)})


def log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_the_office_builds_summary_1_and_downloads_it(live_server, open_page, screenshot, office_user, worker):
    year = appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)
    minzheng = UnitFactory(name="区民政局")
    school = UnitFactory(name="区属中小学", kind=Focus.INDUSTRIES, sector="教育")
    for unit in (minzheng, school):
        Participation.objects.create(year=year, unit=unit, is_focus=True)
    ProblemFactory.create_batch(3, year=year, unit=minzheng)
    ProblemFactory(year=year, unit=school, description='=HYPERLINK("http://evil.example","详情")')

    page = open_page(DESKTOP)
    log_in(page, live_server.url, office_user.username)
    page.locator("nav a[href='/reports/summaries/']").click()
    form = page.locator("#summary-form-selfcheck")
    expect(form.locator("select[name='selfcheck-year']")).to_have_value(str(year.pk))
    form.get_by_role("button").click()

    report = Report.objects.get()
    status = page.locator(f"#summary-{report.pk}-status")
    expect(status).to_have_attribute("data-status", "done", timeout=60_000)  # htmx swaps it in, no reload
    screenshot(page, "summaries-desktop")
    with page.expect_download() as download:
        status.locator("a[href$='/download/']").click()
    assert download.value.suggested_filename == f"2026年{summary1.TITLE}.xlsx"

    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    departments, industries = (workbook[title] for _kind, title in summary1.SHEETS)
    assert [cell.value for cell in departments[2]] == HEADERS
    assert [row[1].value for row in departments.iter_rows(min_row=3)] == ["区民政局"] * 3
    [hyperlink] = [row[6] for row in industries.iter_rows(min_row=3)]
    assert hyperlink.value.startswith("=HYPERLINK") and hyperlink.data_type == "s"

    phone = open_page(PHONE)
    log_in(phone, live_server.url, office_user.username)
    phone.goto(f"{live_server.url}/reports/summaries/")
    expect(phone.locator(f"#summary-{report.pk}-status a[href$='/download/']")).to_be_visible()
    screenshot(phone, "summaries-phone")
