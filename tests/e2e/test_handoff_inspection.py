"""The office returns an inspection; the supervisor is told, corrects it and resubmits; it is back in the queue."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.services import appraisal_year_create
from inspections import services
from inspections.models import Inspection
from units.models import Notification

from ..conftest import PASSWORD
from ..factories import AppointmentFactory, SupervisorFactory, UnitFactory, UserFactory, first_item_of
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COMMENT = "请补充发现问题的具体窗口号和时间"


def log_in(page, url, username):
    page.goto(f"{url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


def submitted_inspection():
    year = appraisal_year_create(year=timezone.localdate().year, focus="departments")
    unit = UnitFactory(name="区民政局", kind="departments")
    user = UserFactory(username="jiandu", email="zhang@example.cn")
    supervisor = SupervisorFactory(name="张国华", user=user)
    AppointmentFactory(supervisor=supervisor, year=year)
    office = UserFactory(username="office", is_staff=True, first_name="王", last_name="")
    office.groups.add(Group.objects.get(name="office"))
    inspection = services.inspection_create(
        supervisor=supervisor,
        unit=unit,
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        mode="covert",
        methods=["accompany"],
    )
    services.inspection_update(inspection=inspection, summary="陪同群众办事")
    services.finding_add(inspection=inspection, item=first_item_of(unit), observed="窗口人员态度生硬")
    services.inspection_submit(inspection=inspection, by=user)
    return inspection


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_returned_inspection_reaches_the_supervisor_and_comes_back_to_the_queue(
    live_server, open_page, screenshot, viewport
):
    inspection = submitted_inspection()
    size = "phone" if viewport is PHONE else "desktop"

    office = open_page(DESKTOP)
    log_in(office, live_server.url, "office")
    office.goto(f"{live_server.url}/office/")
    expect(office.locator("#queue")).to_contain_text("待审核的明查暗访")
    office.locator("#queue a[href='/inspections/review/']").click()
    office.locator(f"#inspection-{inspection.pk} a").click()
    office.locator("#id_comment").fill(COMMENT)
    office.get_by_role("button", name="退回监督员").click()
    expect(office.locator(f"#inspection-{inspection.pk}")).to_have_count(0)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.RETURNED and inspection.review_comment == COMMENT
    assert [message.to for message in mail.outbox] == [["zhang@example.cn"]] and COMMENT in mail.outbox[0].body

    phone = open_page(viewport)
    log_in(phone, live_server.url, "jiandu")
    expect(phone).to_have_url(f"{live_server.url}/supervisors/me/")
    expect(phone.locator("#notifications")).to_contain_text(COMMENT)
    expect(phone.locator("#quotas")).to_contain_text("0 / 6")
    screenshot(phone, f"handoff-supervisor-home-returned-{size}")
    phone.locator("#notifications a", has_text="前往办理").first.click()
    expect(phone).to_have_url(f"{live_server.url}/inspections/{inspection.pk}/")
    expect(phone.locator("#returned")).to_contain_text(COMMENT)
    screenshot(phone, f"handoff-inspection-returned-{size}")

    phone.locator("#entry a", has_text="编辑").click()
    expect(phone.locator("#returned")).to_contain_text(COMMENT)
    phone.locator("#id_summary").fill("陪同群众办事：3号窗口，上午9时许，工作人员态度生硬。")
    phone.get_by_role("button", name="保存草稿").click()
    phone.locator("#submit").click()
    expect(phone.locator("#submit")).to_have_count(0)
    expect(phone.locator("#returned")).to_have_count(0)
    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.SUBMITTED

    office.goto(f"{live_server.url}/office/")
    expect(office.locator("#queue a[href='/inspections/review/']")).to_contain_text("1")
    office.goto(f"{live_server.url}/inspections/review/")
    expect(office.locator(f"#inspection-{inspection.pk}")).to_contain_text("区民政局")
    office.locator(f"#inspection-{inspection.pk} a").click()
    expect(office.locator("#decisions")).to_contain_text(COMMENT)
    office.locator("#accept").click()
    expect(office.locator(f"#inspection-{inspection.pk}")).to_have_count(0)

    phone.goto(f"{live_server.url}/supervisors/me/")
    expect(phone.locator("#notifications details").first).to_contain_text("审核通过")
    expect(phone.locator("#quotas")).to_contain_text("1 / 6")
    phone.goto(f"{live_server.url}/inspections/{inspection.pk}/")
    expect(phone.locator("#decided")).to_contain_text("审核通过")
    screenshot(phone, f"handoff-inspection-accepted-{size}")
    assert Notification.objects.filter(user__username="jiandu").count() == 2
