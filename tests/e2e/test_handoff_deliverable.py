"""A deliverable handed back and forth: submitted, returned with a comment, resubmitted, accepted, reopened by the
office with a reason, changed and resubmitted; at each step the next person sees what happened."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from appraisal.roles import OFFICE_GROUP
from appraisal.services import appraisal_year_create
from units.models import Contact, Deliverable, DeliverableStep, Participation

from ..conftest import PASSWORD
from ..factories import ContactFactory, MembershipFactory, UnitFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
CONTACTS = "领导小组、办公室负责人及联络员名单"


def log_in(page, url, username):
    page.goto(f"{url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


@pytest.fixture
def bureau(db):
    year = appraisal_year_create(year=2026, focus="departments")
    unit = UnitFactory(name="区民政局", kind="departments")
    Participation.objects.create(year=year, unit=unit, is_focus=True)
    ContactFactory(unit=unit, role=Contact.Role.GROUP_HEAD, name="王建国", phone="025-84561111")
    ContactFactory(unit=unit, role=Contact.Role.OFFICE_HEAD, name="陈丽", phone="025-84562222")
    ContactFactory(unit=unit, role=Contact.Role.LIAISON, name="刘海燕", phone="025-84563333")
    MembershipFactory(user=UserFactory(username="minzheng"), unit=unit)
    office = UserFactory(username="office", is_staff=True)
    office.groups.add(Group.objects.get(name=OFFICE_GROUP))
    return unit


def test_returned_accepted_reopened_and_resubmitted(live_server, open_page, screenshot, bureau):
    url = live_server.url
    liaison = open_page(PHONE)
    log_in(liaison, url, "minzheng")
    liaison.locator("#checklist").get_by_role("link", name=CONTACTS).click()
    liaison.get_by_role("button", name="报送区行评办").click()
    expect(liaison.get_by_text("已报送区行评办。")).to_be_visible()

    # The office finds it in its queue and reviews what is handed in on the page itself.
    office = open_page(DESKTOP)
    log_in(office, url, "office")
    office.goto(f"{url}/office/")
    office.locator("#queue").get_by_role("link", name="待审核的报送材料").click()
    office.get_by_role("row", name="区民政局").get_by_role("link", name="已报送").first.click()
    review = office.locator("#under-review")
    expect(review).to_contain_text("王建国")
    expect(review).to_contain_text("025-84563333")
    screenshot(office, "handoff-deliverable-review-desktop")
    office.get_by_label("退回修改").check()
    office.get_by_label("给单位的意见").fill("办公室负责人的传真未填写，请补充。")
    office.get_by_role("button", name="保存审核结果").click()
    expect(office.get_by_text("已连同意见退回单位。")).to_be_visible()
    expect(office.locator("#decision")).to_contain_text("office 于")

    # The liaison is told on the unit page, with the comment, and resubmits.
    liaison.goto(f"{url}/")
    notice = liaison.locator("#notifications details").first
    expect(notice).to_contain_text(f"“{CONTACTS}”被区行评办退回修改")
    expect(notice).to_contain_text("办公室负责人的传真未填写，请补充。")
    screenshot(liaison, "handoff-unit-returned-phone")
    notice.get_by_role("link", name="前往办理").click()
    expect(liaison.locator("#decision")).to_contain_text("办公室负责人的传真未填写，请补充。")
    screenshot(liaison, "handoff-deliverable-returned-phone")
    liaison.get_by_role("button", name="报送区行评办").click()
    expect(liaison.get_by_text("已报送区行评办。")).to_be_visible()

    # The office accepts, then finds it accepted by mistake and reopens it with a reason.
    office.reload()
    office.get_by_label("通过", exact=True).check()
    office.get_by_role("button", name="保存审核结果").click()
    expect(office.get_by_text("已审核通过。")).to_be_visible()
    office.locator("#reopen summary").click()
    office.get_by_label("重新打开的原因").fill("误点通过：陈丽的传真仍未填写。")
    office.get_by_role("button", name="重新打开").click()
    expect(office.get_by_text("已重新打开，并已通知单位。")).to_be_visible()
    expect(office.locator("#history [data-step]")).to_have_count(5)
    screenshot(office, "handoff-deliverable-reopened-desktop")

    # The liaison sees the reopening, corrects the contact and submits again.
    liaison.goto(f"{url}/")
    notice = liaison.locator("#notifications details").first
    expect(notice).to_contain_text(f"区行评办重新打开了“{CONTACTS}”")
    expect(notice).to_contain_text("误点通过：陈丽的传真仍未填写。")
    office_head = Contact.objects.get(name="陈丽")
    liaison.locator(f"#contact-{office_head.pk}").get_by_role("link", name="编辑").click()
    liaison.get_by_label("传真").fill("025-84562299")
    liaison.get_by_role("button", name="保存").click()
    expect(liaison.get_by_text("已保存")).to_be_visible()
    screenshot(liaison, "handoff-unit-reopened-phone")
    liaison.locator("#checklist").get_by_role("link", name=CONTACTS).click()
    expect(liaison.locator("#under-review")).to_contain_text("025-84562299")
    liaison.get_by_role("button", name="报送区行评办").click()
    expect(liaison.get_by_text("已报送区行评办。")).to_be_visible()
    screenshot(liaison, "handoff-deliverable-review-phone")

    deliverable = Deliverable.objects.get(unit=bureau, kind="contacts")
    assert deliverable.status == "submitted"
    assert list(deliverable.steps.values_list("action", flat=True)) == [
        DeliverableStep.Action.SUBMITTED,
        DeliverableStep.Action.RETURNED,
        DeliverableStep.Action.SUBMITTED,
        DeliverableStep.Action.ACCEPTED,
        DeliverableStep.Action.REOPENED,
        DeliverableStep.Action.SUBMITTED,
    ]


def test_the_office_submits_for_a_unit_only_by_saying_so(live_server, open_page, screenshot, bureau):
    url = live_server.url
    office = open_page(PHONE)
    log_in(office, url, "office")
    office.goto(f"{url}/units/{bureau.pk}/deliverables/contacts/")
    expect(office.get_by_role("button", name="报送区行评办")).to_have_count(0)
    office.locator("#submit-for-unit summary").click()
    office.get_by_label("代为报送的原因").fill("7月9日收到纸质名单。")
    office.get_by_role("button", name="代为报送").click()
    expect(office.get_by_text("已代为报送，并已通知单位。")).to_be_visible()
    expect(office.locator("#submitted-for-unit")).to_contain_text("区行评办代为报送")
    expect(office.locator("#submitted-for-unit")).to_contain_text("7月9日收到纸质名单。")
    screenshot(office, "handoff-submitted-for-unit-phone")

    liaison = open_page(DESKTOP)
    log_in(liaison, url, "minzheng")
    expect(liaison.locator("#notifications")).to_contain_text("区行评办已为你单位代为报送")
    screenshot(liaison, "handoff-unit-desktop")
