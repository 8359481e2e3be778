"""Published disclosures edited afterwards: the public keeps the accepted version, the liaison and the office see
已修改，待重新报送, and the new version goes public only once the office accepts it."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from appraisal.roles import OFFICE_GROUP
from appraisal.services import appraisal_year_create
from units.models import DisclosureItem, Participation
from units.services import deliverables as deliverable_services

from ..conftest import PASSWORD
from ..factories import DisclosureItemFactory, MembershipFactory, UnitFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
REVISED = "已修改，待重新报送"


def log_in(page, url, username):
    page.goto(f"{url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_an_edited_disclosure_waits_for_the_offices_acceptance(live_server, open_page, screenshot):
    year = appraisal_year_create(year=2026, focus="departments")
    unit = UnitFactory(name="区民政局", kind="departments")
    Participation.objects.create(year=year, unit=unit, is_focus=True)
    liaison_user = MembershipFactory(user=UserFactory(username="minzheng"), unit=unit).user
    office_user = UserFactory(username="office", is_staff=True)
    office_user.groups.add(Group.objects.get(name=OFFICE_GROUP))
    item = DisclosureItemFactory(year=year, unit=unit, title="结婚登记", statutory_days=20, promised_days=5)
    deliverable = deliverable_services.deliverable_submit(year=year, unit=unit, kind="disclosures", by=liaison_user)
    deliverable_services.deliverable_review(deliverable=deliverable, by=office_user, accept=True)
    accepted_on = timezone.localdate()
    url, public_url = live_server.url, f"{live_server.url}/units/public/{unit.pk}/"

    public = open_page(PHONE)
    public.goto(public_url)
    expect(public.locator("#accepted-on")).to_contain_text(
        f"区行评办于 {accepted_on:%Y}年{accepted_on.month}月{accepted_on.day}日 审核通过"
    )
    expect(public.get_by_text("承诺 5 个工作日")).to_be_visible()

    # The liaison shortens the promised time limit.
    liaison = open_page(PHONE)
    log_in(liaison, url, "minzheng")
    liaison.locator("a.btn", has_text="公开政务（事务）和承诺服务事项").click()
    liaison.get_by_role("link", name="编辑").click()
    liaison.get_by_label("承诺办结时限（工作日）").fill("2")
    liaison.get_by_role("button", name="保存").click()
    expect(liaison.get_by_text("已保存")).to_be_visible()
    expect(liaison.locator("#submit-bar")).to_contain_text(REVISED)
    expect(liaison.locator("#revised")).to_be_visible()
    liaison.goto(f"{url}/units/{unit.pk}/")
    expect(liaison.locator("#checklist")).to_contain_text(REVISED)
    screenshot(liaison, "handoff-unit-revised-phone")

    # The office sees it in the matrix and on the deliverable; the public still reads the accepted version.
    office = open_page(DESKTOP)
    log_in(office, url, "office")
    office.goto(f"{url}/units/deliverables/")
    row = office.get_by_role("row", name="区民政局")
    expect(row).to_contain_text(REVISED)
    row.get_by_role("link", name=REVISED).click()
    expect(office.locator("#revised")).to_be_visible()
    expect(office.locator("#under-review")).to_contain_text("承诺 2 个工作日")
    screenshot(office, "handoff-disclosure-revised-desktop")
    public.reload()
    expect(public.get_by_text("承诺 5 个工作日")).to_be_visible()
    expect(public.get_by_text("承诺 2 个工作日")).to_have_count(0)

    # The liaison hands the revision in; the office accepts it; the public reads the new version.
    liaison.goto(f"{url}/units/{unit.pk}/disclosures/")
    liaison.get_by_role("button", name="报送区行评办").click()
    expect(liaison.get_by_text("已报送区行评办。")).to_be_visible()
    expect(liaison.locator("#submit-bar")).not_to_contain_text(REVISED)
    public.reload()
    expect(public.get_by_text("承诺 5 个工作日")).to_be_visible()

    office.reload()
    office.get_by_label("通过", exact=True).check()
    office.get_by_role("button", name="保存审核结果").click()
    expect(office.get_by_text("已审核通过。")).to_be_visible()
    expect(office.locator("#revised")).to_have_count(0)
    public.reload()
    expect(public.get_by_text("承诺 2 个工作日")).to_be_visible()
    expect(public.get_by_text("承诺 5 个工作日")).to_have_count(0)
    screenshot(public, "handoff-public-disclosures-phone")
    assert DisclosureItem.objects.get(pk=item.pk).promised_days == 2
