"""Every scoped unit page: 404 for what a user may not see, 403 for what they may see but not change."""

import pytest

from ..factories import ContactFactory, SubUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(unit_b):
    subunit = SubUnitFactory(unit=unit_b)
    contact = ContactFactory(unit=unit_b)
    return {
        "detail": (f"/units/{unit_b.pk}/", False),
        "subunit_create": (f"/units/{unit_b.pk}/subunits/new/", True),
        "subunit_update": (f"/units/subunits/{subunit.pk}/edit/", True),
        "subunit_delete": (f"/units/subunits/{subunit.pk}/delete/", True),
        "contact_create": (f"/units/{unit_b.pk}/contacts/new/", True),
        "contact_update": (f"/units/contacts/{contact.pk}/edit/", True),
        "contact_delete": (f"/units/contacts/{contact.pk}/delete/", True),
    }


PAGE_NAMES = [
    "detail",
    "subunit_create",
    "subunit_update",
    "subunit_delete",
    "contact_create",
    "contact_update",
    "contact_delete",
]


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("user", ["liaison_a", "outsider"])
def test_another_units_pages_are_not_found(client, request, pages, page, user):
    client.force_login(request.getfixturevalue(user))
    url, _ = pages[page]
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "x"}).status_code == 404


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_leaders_read_but_may_not_change(client, leader_user, pages, page):
    client.force_login(leader_user)
    url, writes = pages[page]
    assert client.get(url).status_code == (403 if writes else 200)


@pytest.mark.parametrize("page", PAGE_NAMES)
@pytest.mark.parametrize("user", ["liaison_b", "office_user"])
def test_the_units_liaison_and_the_office_may_change(client, request, pages, page, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get(pages[page][0]).status_code == 200


@pytest.mark.parametrize("page", PAGE_NAMES)
def test_anonymous_users_are_sent_to_login(client, pages, page):
    response = client.get(pages[page][0])
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_unit_list_shows_only_a_liaisons_own_unit(client, liaison_a, unit_b):
    client.force_login(liaison_a)
    page = client.get("/units/").content.decode()
    assert "区民政局" in page and unit_b.name not in page


def test_leaders_see_every_unit_in_the_list(client, leader_user, unit_a, unit_b):
    client.force_login(leader_user)
    page = client.get("/units/").content.decode()
    assert unit_a.name in page and unit_b.name in page


def test_a_liaison_page_shows_no_edit_buttons_to_leaders(client, leader_user, unit_a):
    client.force_login(leader_user)
    page = client.get(f"/units/{unit_a.pk}/").content.decode()
    assert "添加联系人" not in page and "只读" in page
