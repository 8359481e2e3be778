import pytest
from playwright.sync_api import expect

from units.models import Contact

from ..conftest import PASSWORD
from ..factories import ContactFactory, MembershipFactory, SubUnitFactory, UnitFactory, UserFactory
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_liaison_logs_in_edits_a_contact_and_sees_it_saved(live_server, open_page, screenshot, viewport):
    unit = UnitFactory(name="区民政局")
    SubUnitFactory(unit=unit, name="婚姻登记处")
    contact = ContactFactory(unit=unit, name="刘海燕", phone="025-84560001")
    MembershipFactory(user=UserFactory(username="minzheng"), unit=unit)
    size = "phone" if viewport is PHONE else "desktop"

    page = open_page(viewport)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    screenshot(page, f"login-{size}")
    page.get_by_label("用户名").fill("minzheng")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="区民政局")).to_be_visible()
    screenshot(page, f"unit-{size}")
    page.locator(f"#contact-{contact.pk}").get_by_role("link", name="编辑").click()
    page.get_by_label("常用电话").fill("abc")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("只能使用数字")).to_be_visible()
    screenshot(page, f"contact-error-{size}")

    page.get_by_label("常用电话").fill("025-84569999")
    page.get_by_label("职务").fill("科长")
    page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("已保存")).to_be_visible()
    expect(page.locator(f"#contact-{contact.pk}")).to_contain_text("025-84569999")
    screenshot(page, f"unit-saved-{size}")
    contact.refresh_from_db()
    assert (contact.phone, contact.title) == ("025-84569999", "科长")
    assert Contact.objects.count() == 1
