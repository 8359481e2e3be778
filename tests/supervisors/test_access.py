"""Every scoped page: 404 for what a user may not see, 403 for what they may see but not change."""

import pytest

from supervisors.models import Appointment

from ..factories import AppointmentFactory, SupervisorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(year, unit_b):
    """unit_b's team and one of its members: (url, method, changes data)."""
    appointment = AppointmentFactory(year=year, unit=unit_b, supervisor=SupervisorFactory(phone="13912345678"))
    s, a, u = appointment.supervisor.pk, appointment.pk, unit_b.pk
    return {
        "unit_team": (f"/supervisors/units/{u}/", "get", False),
        "supervisor_detail": (f"/supervisors/{s}/", "get", False),
        "unit_team_add": (f"/supervisors/units/{u}/add/", "get", True),
        "appointment_end": (f"/supervisors/appointments/{a}/end/", "get", True),
        "appointment_renew": (f"/supervisors/appointments/{a}/renew/", "post", True),
        "end_request_create": (f"/supervisors/appointments/{a}/end-request/", "get", True),
        "supervisor_update": (f"/supervisors/{s}/edit/", "get", True),
        "appoint": (f"/supervisors/{s}/appoint/", "get", True),
    }


SCOPED = [
    "unit_team",
    "supervisor_detail",
    "unit_team_add",
    "appointment_end",
    "appointment_renew",
    "end_request_create",
]
OFFICE_LISTS = ["/supervisors/", "/supervisors/district/", "/supervisors/units/", "/supervisors/trainings/"]
OFFICE_ONLY = [
    "/supervisors/new/",
    "/supervisors/district/add/",
    "/supervisors/trainings/new/",
    "/supervisors/import/",
    "/supervisors/import/template.xlsx",
]


def call(client, page):
    url, method, _changes = page
    return getattr(client, method)(url)


@pytest.mark.parametrize("name", SCOPED)
def test_outsiders_and_other_units_get_404(client_for, outsider, liaison_a, pages, name):
    for user in (outsider, liaison_a):
        assert call(client_for(user), pages[name]).status_code == 404, (user, name)


@pytest.mark.parametrize("name", SCOPED + ["supervisor_update", "appoint"])
def test_leaders_read_and_get_403_on_changes(client_for, leader_user, pages, name):
    response = call(client_for(leader_user), pages[name])
    assert response.status_code == (403 if pages[name][2] else 200)


@pytest.mark.parametrize("name", ["unit_team", "supervisor_detail", "unit_team_add", "end_request_create"])
def test_the_unit_reads_and_changes_its_own_team(client_for, liaison_b, pages, name):
    assert call(client_for(liaison_b), pages[name]).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_office_ends_an_appointment_the_unit_may_only_ask(client_for, liaison_b, office_user, pages, method):
    url = pages["appointment_end"][0]
    assert getattr(client_for(liaison_b), method)(url, {"ended_on": "2026-07-01", "reason": "调走"}).status_code == 403
    assert not Appointment.objects.filter(ended_on__isnull=False).exists()
    assert client_for(office_user).get(url).status_code == 200
    assert client_for(office_user).get(pages["end_request_create"][0]).status_code == 403


def test_the_unit_may_not_edit_the_supervisor_record(client_for, liaison_b, pages):
    assert call(client_for(liaison_b), pages["supervisor_update"]).status_code == 403


def test_the_unit_sees_its_team_phones_in_full_and_leaders_masked(client_for, liaison_b, leader_user, pages):
    url = pages["unit_team"][0]
    assert "13912345678" in client_for(liaison_b).get(url).content.decode()
    page = client_for(leader_user).get(url).content.decode()
    assert "13912345678" not in page and "139****5678" in page


@pytest.mark.parametrize("url", OFFICE_LISTS)
def test_office_lists_are_for_the_office_and_leaders(client_for, office_user, leader_user, liaison_a, year, url):
    assert client_for(office_user).get(url).status_code == 200
    assert client_for(leader_user).get(url).status_code == 200
    assert client_for(liaison_a).get(url).status_code == 403


@pytest.mark.parametrize("url", OFFICE_ONLY + ["/supervisors/renew-all/"])
def test_office_only_pages_refuse_leaders(client_for, office_user, leader_user, year, url):
    method = "post" if url.endswith("renew-all/") else "get"
    assert getattr(client_for(leader_user), method)(url).status_code == 403
    assert getattr(client_for(office_user), method)(url).status_code in (200, 302)


def test_a_supervisor_sees_only_their_own(client_for, supervisor_user, pages):
    client = client_for(supervisor_user)
    own = supervisor_user.supervisor
    assert client.get(f"/supervisors/{own.pk}/").status_code == 200
    for name in ("supervisor_detail", "unit_team", "appointment_end"):
        assert call(client, pages[name]).status_code == 404, name
    own_appointment = Appointment.objects.get(supervisor=own)
    assert client.get(f"/supervisors/appointments/{own_appointment.pk}/end/").status_code == 403
    assert client.get("/supervisors/").status_code == 403


def test_login_as_a_supervisor_lands_on_their_home(client, supervisor_user, unit_a, unit_b):
    from ..conftest import PASSWORD

    response = client.post("/login/", {"username": "supervisor", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/supervisors/me/"
    page = response.content.decode()
    assert "张国华" in page and unit_a.name in page and unit_b.name in page


def test_the_home_of_a_user_without_a_supervisor_record_is_404(client_for, outsider):
    assert client_for(outsider).get("/supervisors/me/").status_code == 404
