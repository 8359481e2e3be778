import io

import pytest
from django.contrib.auth.models import Group
from PIL import Image
from playwright.sync_api import expect

from appraisal.services import appraisal_year_create
from inspections.models import Evidence, Inspection
from selfcheck.models import Problem

from ..conftest import PASSWORD
from ..factories import (
    AppointmentFactory,
    MembershipFactory,
    SubUnitFactory,
    SupervisorFactory,
    UnitFactory,
    UserFactory,
)
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def phone_photo():
    """A JPEG as a phone takes it: where, with what, by whom."""
    exif = Image.Exif()
    exif[0x010F], exif[0x013B] = "HUAWEI", "Zhang Guohua"  # Make, Artist
    exif.get_ifd(0x8825).update({1: "N", 2: (32.0, 1.0, 30.0)})  # GPS
    output = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 40, 40)).save(output, "JPEG", exif=exif)
    return output.getvalue()


def log_in(page, url, username):
    page.goto(f"{url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


def test_a_supervisor_files_on_a_phone_the_office_accepts_the_unit_sees_the_problem(live_server, open_page, screenshot):
    year = appraisal_year_create(year=2026, focus="departments")
    unit = UnitFactory(name="区民政局", kind="departments")
    window = SubUnitFactory(unit=unit, name="婚姻登记窗口")
    supervisor = SupervisorFactory(name="张国华", phone="13905141201", user=UserFactory(username="jiandu"))
    AppointmentFactory(supervisor=supervisor, year=year)
    office = UserFactory(username="office", is_staff=True)
    office.groups.add(Group.objects.get(name="office"))
    liaison = MembershipFactory(unit=unit, user=UserFactory(username="minzheng")).user

    phone = open_page(PHONE)
    log_in(phone, live_server.url, "jiandu")
    phone.goto(f"{live_server.url}/inspections/")
    screenshot(phone, "inspections-mine-phone")
    phone.locator("a[href='/inspections/new/']").click()
    phone.locator("#id_unit").select_option(str(unit.pk))
    phone.locator("#id_mode_1").check()
    phone.locator("input[name=methods][value=accompany]").check()
    screenshot(phone, "inspections-new-phone")
    phone.locator("main form button[type=submit]").click()

    phone.locator("#id_subunit").select_option(str(window.pk))
    phone.locator("#id_summary").fill("陪同群众办理婚姻登记，发现一处问题。")
    screenshot(phone, "inspections-edit-phone")
    phone.locator("main form button[type=submit]").first.click()

    phone.locator("#add-finding #id_item").select_option(index=1)
    phone.locator("#add-finding #id_observed").fill("窗口工作人员对群众询问回答生硬")
    phone.locator("#add-finding #id_place").fill("3号窗口")
    phone.locator("#add-finding button[type=submit]").click()
    expect(phone.locator("#findings")).to_contain_text("窗口工作人员对群众询问回答生硬")
    photo = {"name": "IMG_20260720_093012.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()}
    phone.locator("#add-evidence input[type=file]").set_input_files(photo)
    phone.locator("#add-evidence #id_finding").select_option(index=1)
    phone.locator("#add-evidence button[type=submit]").click()
    expect(phone.locator("#evidence")).to_contain_text("IMG_20260720_093012.jpg")
    screenshot(phone, "inspections-detail-phone")
    phone.locator("#submit").click()
    expect(phone.locator("#submit")).to_have_count(0)
    inspection = Inspection.objects.get()
    assert inspection.status == "submitted"

    desk = open_page(DESKTOP)
    log_in(desk, live_server.url, "office")
    desk.goto(f"{live_server.url}/inspections/review/")
    expect(desk.locator(f"#inspection-{inspection.pk}")).to_contain_text("张国华")
    screenshot(desk, "inspections-review-desktop")
    desk.locator(f"#inspection-{inspection.pk} a").click()
    desk.locator("#accept").click()
    expect(desk.locator(f"#inspection-{inspection.pk}")).to_have_count(0)

    problem = Problem.objects.get()
    unit_page = open_page(PHONE)
    log_in(unit_page, live_server.url, liaison.username)
    unit_page.goto(f"{live_server.url}/selfcheck/units/{unit.pk}/")
    expect(unit_page.locator("main")).to_contain_text("窗口工作人员对群众询问回答生硬")
    assert "张国华" not in unit_page.content()
    screenshot(unit_page, "inspections-unit-register-phone")
    unit_page.goto(f"{live_server.url}/selfcheck/problems/{problem.pk}/")
    picture = unit_page.locator("#problem-evidence img")
    expect(picture).to_have_count(1)
    assert Evidence.objects.get().finding.problem == problem
    copy = unit_page.request.get(live_server.url + picture.get_attribute("src"))
    assert copy.status == 200 and b"HUAWEI" not in copy.body() and b"Zhang" not in copy.body()
    assert not Image.open(io.BytesIO(copy.body())).getexif()
    assert "张国华" not in unit_page.content() and "IMG_20260720" not in unit_page.content()
    screenshot(unit_page, "inspections-unit-problem-phone")
    unit_page.goto(f"{live_server.url}/units/{unit.pk}/")
    expect(unit_page.locator("#notifications")).to_contain_text("窗口工作人员对群众询问回答生硬")
    assert "张国华" not in unit_page.content() and problem.created_by == office
