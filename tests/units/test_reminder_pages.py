"""The notices on the unit's page and the office's overdue bulletin: who sees what."""

import datetime

import pytest

from appraisal.models import ReminderSettings
from units.models import Deliverable, Participation
from units.services import reminders as svc

from ..factories import UnitFactory

pytestmark = pytest.mark.django_db
BULLETIN = "/units/overdue/"


@pytest.fixture
def notices(year, focus_a, focus_b, time_machine, django_capture_on_commit_callbacks):
    """Both units missed the July 10 materials: reminded on July 3 and 9, notified on July 11; today is July 20."""
    for day in [datetime.date(2026, 7, 3), datetime.date(2026, 7, 9), datetime.date(2026, 7, 11)]:
        time_machine.move_to(f"{day} 08:00 +0800")
        with django_capture_on_commit_callbacks(execute=True):
            svc.reminders_send(day=day)
    time_machine.move_to("2026-07-20 10:00 +0800")


def test_the_liaison_sees_the_notices_of_their_unit_only(client_for, notices, liaison_a, unit_a, unit_b):
    page = client_for(liaison_a).get(f"/units/{unit_a.pk}/").content.decode()
    mine = unit_a.reminders.order_by("-sent_at")
    assert 'id="reminders"' in page and all(reminder.subject in page for reminder in mine)
    assert not any(reminder.subject in page for reminder in unit_b.reminders.all())


def test_leaders_read_a_units_notices_and_other_users_do_not_find_the_page(
    client, client_for, notices, leader_user, liaison_b, outsider, supervisor_user, unit_a
):
    subject = unit_a.reminders.first().subject
    assert subject in client_for(leader_user).get(f"/units/{unit_a.pk}/").content.decode()
    for user in [liaison_b, outsider, supervisor_user]:
        assert client_for(user).get(f"/units/{unit_a.pk}/").status_code == 404


def test_a_pending_notice_is_not_shown(client_for, notices, liaison_a, unit_a):
    unit_a.reminders.update(status="pending")
    assert 'id="reminders"' not in client_for(liaison_a).get(f"/units/{unit_a.pk}/").content.decode()


def test_the_bulletin_lists_units_overdue_past_the_notice_and_bulletin_days(
    client_for, notices, office_user, unit_a, unit_b, year, time_machine
):
    Deliverable.objects.create(year=year, unit=unit_b, kind="plan", status="submitted")
    for kind in ["contacts", "subunits", "disclosures"]:
        Deliverable.objects.create(year=year, unit=unit_b, kind=kind, status="accepted")
    client = client_for(office_user)
    time_machine.move_to("2026-07-15 10:00 +0800")  # 5 days overdue: 1 + 5 not reached yet
    assert client.get(BULLETIN).context["rows"] == []

    time_machine.move_to("2026-07-16 10:00 +0800")
    response = client.get(BULLETIN)
    [row] = response.context["rows"]
    assert (row.unit, row.deadline.code, row.days_overdue) == (unit_a, "materials", 6)
    assert row.notice.sent_at.date() == datetime.date(2026, 7, 11)
    page = response.content.decode()
    assert unit_a.display_name in page and unit_b.display_name not in page


def test_the_bulletin_follows_the_years_setting(client_for, notices, office_user, year, time_machine):
    ReminderSettings.objects.filter(year=year).update(bulletin_days=2)  # created by the job
    time_machine.move_to("2026-07-13 10:00 +0800")
    assert len(client_for(office_user).get(BULLETIN).context["rows"]) == 2


def test_leaders_read_the_bulletin(client_for, notices, leader_user):
    assert client_for(leader_user).get(BULLETIN).status_code == 200


@pytest.mark.parametrize("user", ["liaison_a", "liaison_b", "outsider", "supervisor_user"])
def test_the_bulletin_does_not_exist_for_anyone_else(client_for, request, notices, user):
    assert client_for(request.getfixturevalue(user)).get(BULLETIN).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(BULLETIN)
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_bulletin_has_a_fixed_number_of_queries(
    client_for, notices, office_user, year, django_assert_max_num_queries
):
    client = client_for(office_user)
    with django_assert_max_num_queries(20) as few:
        client.get(BULLETIN)
    for _ in range(10):
        Participation.objects.create(year=year, unit=UnitFactory(), is_focus=True)
    with django_assert_max_num_queries(len(few)):
        response = client.get(BULLETIN)
    assert len(response.context["rows"]) == 12
