"""Every page: 404 for who may not see the inspection, 403 for who may see but not change it."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(make_inspection):
    """(url, method, changes the supervisor's entry) for a draft of the supervisor."""
    inspection = make_inspection()
    i, f = inspection.pk, inspection.findings.get().pk
    return {
        "detail": (f"/inspections/{i}/", "get", False),
        "edit": (f"/inspections/{i}/edit/", "get", True),
        "delete": (f"/inspections/{i}/delete/", "post", True),
        "submit": (f"/inspections/{i}/submit/", "post", True),
        "finding_add": (f"/inspections/{i}/findings/", "post", True),
        "finding_edit": (f"/inspections/findings/{f}/edit/", "get", True),
        "finding_delete": (f"/inspections/findings/{f}/delete/", "post", True),
        "accept": (f"/inspections/{i}/accept/", "post", True),
        "return": (f"/inspections/{i}/return/", "post", True),
    }


def call(client, page):
    url, method, _changes = page
    return getattr(client, method)(url)


NAMES = ["detail", "edit", "delete", "submit", "finding_add", "finding_edit", "finding_delete", "accept", "return"]


@pytest.mark.parametrize("name", NAMES)
def test_outsiders_liaisons_and_other_supervisors_get_404(
    client_for, outsider, liaison_a, other_supervisor_user, pages, name
):
    for user in (outsider, liaison_a, other_supervisor_user):
        assert call(client_for(user), pages[name]).status_code == 404, (user, name)


@pytest.mark.parametrize("name", NAMES)
def test_leaders_read_and_get_403_on_changes(client_for, leader_user, pages, name):
    assert call(client_for(leader_user), pages[name]).status_code == (403 if pages[name][2] else 200)


@pytest.mark.parametrize("name", ["detail", "edit", "finding_edit"])
def test_the_supervisor_works_on_their_draft(client_for, supervisor_user, pages, name):
    assert call(client_for(supervisor_user), pages[name]).status_code == 200


def test_only_the_office_reviews(client_for, supervisor_user, pages):
    client = client_for(supervisor_user)
    assert call(client, pages["accept"]).status_code == 403
    assert call(client, pages["return"]).status_code == 403


@pytest.mark.parametrize("name", ["edit", "delete", "submit", "finding_add", "finding_edit", "finding_delete"])
def test_a_submitted_inspection_is_read_only_to_the_supervisor(client_for, supervisor_user, make_inspection, name):
    inspection = make_inspection(submit=True)
    i, f = inspection.pk, inspection.findings.get().pk
    urls = {
        "edit": ("get", f"/inspections/{i}/edit/"),
        "delete": ("post", f"/inspections/{i}/delete/"),
        "submit": ("post", f"/inspections/{i}/submit/"),
        "finding_add": ("post", f"/inspections/{i}/findings/"),
        "finding_edit": ("get", f"/inspections/findings/{f}/edit/"),
        "finding_delete": ("post", f"/inspections/findings/{f}/delete/"),
    }
    method, url = urls[name]
    client = client_for(supervisor_user)
    assert getattr(client, method)(url).status_code == 403
    assert client.get(f"/inspections/{i}/").status_code == 200


@pytest.mark.parametrize("url", ["/inspections/", "/inspections/new/"])
def test_the_supervisor_pages_are_for_supervisors(client_for, outsider, liaison_a, office_user, url):
    for user in (outsider, liaison_a, office_user):
        assert client_for(user).get(url).status_code == 404


@pytest.mark.parametrize("url", ["/inspections/review/", "/inspections/quotas/"])
def test_the_office_pages(client_for, outsider, liaison_a, supervisor_user, leader_user, office_user, year, url):
    for user in (outsider, liaison_a, supervisor_user):
        assert client_for(user).get(url).status_code == 403
    assert client_for(leader_user).get(url).status_code == (200 if "quotas" in url else 403)
    assert client_for(office_user).get(url).status_code == 200


def test_anonymous_users_log_in_first(client, pages):
    assert client.get(pages["detail"][0]).status_code == 302
