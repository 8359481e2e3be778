"""A unit asks the office to end an appointment to its team; only the office ends it, and every decision is told,
recorded and can be undone."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from appraisal.queue import office_queue
from supervisors.models import Appointment, AppointmentChange, AppointmentEndRequest
from supervisors.services import (
    appointment_create,
    appointment_end,
    appointment_reinstate,
    end_request_approve,
    end_request_ask,
    end_request_decline,
    end_request_withdraw,
)
from supervisors.services import appointments as rules
from supervisors.services import end_requests as asks
from units.models import Notification, Participation

from ..factories import AppointmentFactory, SupervisorFactory, UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def member(year, unit_a):
    """罗志刚 on unit_a's team, with a login of his own."""
    supervisor = SupervisorFactory(name="罗志刚", user=UserFactory(username="luo", email="luo@example.cn"))
    return AppointmentFactory(year=year, unit=unit_a, supervisor=supervisor)


def refused(call, **kwargs):
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value.messages


# Asking -----------------------------------------------------------------------------------------------------


def test_the_unit_asks_with_a_reason(member, liaison_a):
    request = end_request_ask(appointment=member, by=liaison_a, reason="  本人已调离本区 ")
    assert (request.status, request.reason, request.asked_by) == ("pending", "本人已调离本区", liaison_a)
    member.refresh_from_db()
    assert member.ended_on is None  # asking ends nothing


def test_asking_needs_a_reason(member, liaison_a):
    assert refused(end_request_ask, appointment=member, by=liaison_a, reason=" ") == [str(asks.ASK_REASON_REQUIRED)]


def test_one_waiting_request_per_appointment(member, liaison_a):
    end_request_ask(appointment=member, by=liaison_a, reason="调离")
    assert refused(end_request_ask, appointment=member, by=liaison_a, reason="again") == [str(asks.ALREADY_ASKED)]
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentEndRequest.objects.create(appointment=member, reason="bypassing the service")


def test_the_district_team_and_ended_appointments_cannot_be_asked(year, member, liaison_a, office_user):
    district = AppointmentFactory(year=year)
    assert refused(end_request_ask, appointment=district, by=liaison_a, reason="调离") == [str(asks.NOT_A_UNIT_TEAM)]
    appointment_end(appointment=member, reason="本人辞去", by=office_user)
    assert refused(end_request_ask, appointment=member, by=liaison_a, reason="调离") == [str(rules.ALREADY_ENDED)]


# Withdrawing ------------------------------------------------------------------------------------------------


def test_the_unit_withdraws_and_may_ask_again(member, liaison_a, office_user):
    first = end_request_withdraw(
        end_request=end_request_ask(appointment=member, by=liaison_a, reason="调离"), by=liaison_a
    )
    assert (first.status, first.decided_by) == ("withdrawn", liaison_a) and first.decided_at
    expected = [str(asks.NOT_PENDING) % {"status": "已撤回"}]
    assert refused(end_request_withdraw, end_request=first, by=liaison_a) == expected
    assert refused(end_request_approve, end_request=first, by=office_user) == expected
    assert end_request_ask(appointment=member, by=liaison_a, reason="调离").status == "pending"
    assert not Notification.objects.exists()  # withdrawing tells nobody: the office's queue just shrinks


# Approving --------------------------------------------------------------------------------------------------


def test_approving_ends_the_appointment_with_the_units_reason_and_tells_the_unit(member, liaison_a, office_user):
    request = end_request_ask(appointment=member, by=liaison_a, reason="本人书面辞去")
    request = end_request_approve(end_request=request, by=office_user)
    assert (request.status, request.decided_by) == ("approved", office_user)
    member.refresh_from_db()
    assert (member.ended_on, member.end_reason) == (D(2026, 7, 1), "本人书面辞去")
    change = AppointmentChange.objects.get()
    assert (change.kind, change.reason, change.by, change.effective_on) == (
        "ended",
        "本人书面辞去",
        office_user,
        D(2026, 7, 1),
    )
    told = Notification.objects.get(unit=member.unit)
    assert told.title == "区行评办同意提前解聘罗志刚" and "本人书面辞去" in told.body
    assert told.url == f"/supervisors/units/{member.unit_id}/"
    assert "2026-07-01" in Notification.objects.get(user=member.supervisor.user).body
    assert refused(end_request_approve, end_request=request, by=office_user) == [
        str(asks.NOT_PENDING) % {"status": "已同意"}
    ]


def test_an_end_refused_by_the_rules_leaves_the_request_waiting(year, unit_a, liaison_a, office_user):
    later = AppointmentFactory(year=year, unit=unit_a, starts_on=D(2026, 5, 1), ends_on=D(2026, 6, 30))
    request = end_request_ask(appointment=later, by=liaison_a, reason="调离")
    assert refused(end_request_approve, end_request=request, by=office_user) == [
        str(rules.END_OUTSIDE_TERM) % {"start": D(2026, 5, 1), "end": D(2026, 6, 30)}
    ]
    request.refresh_from_db()
    assert request.status == "pending" and not AppointmentChange.objects.exists()


def test_the_office_ending_directly_answers_a_waiting_request(member, liaison_a, office_user):
    request = end_request_ask(appointment=member, by=liaison_a, reason="调离")
    appointment_end(appointment=member, reason="区行评办核实后解聘", by=office_user)
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", office_user)


# Declining --------------------------------------------------------------------------------------------------


def test_declining_needs_a_reason_keeps_the_appointment_and_tells_the_unit(member, liaison_a, office_user):
    request = end_request_ask(appointment=member, by=liaison_a, reason="调离")
    assert refused(end_request_decline, end_request=request, by=office_user, note=" ") == [
        str(asks.DECLINE_REASON_REQUIRED)
    ]
    request = end_request_decline(end_request=request, by=office_user, note="任期将满，请坚持到期满")
    assert (request.status, request.decision_note, request.decided_by) == (
        "declined",
        "任期将满，请坚持到期满",
        office_user,
    )
    member.refresh_from_db()
    assert member.ended_on is None
    told = Notification.objects.get(unit=member.unit)
    assert told.title == "区行评办不同意提前解聘罗志刚" and "任期将满，请坚持到期满" in told.body
    assert end_request_ask(appointment=member, by=liaison_a, reason="本人坚持辞去").status == "pending"


def test_a_declined_request_carries_the_offices_reason_in_the_database(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentEndRequest.objects.create(appointment=member, reason="调离", status="declined")


# Undoing an end ---------------------------------------------------------------------------------------------


def test_the_office_undoes_an_end_with_a_reason_and_the_end_stays_on_record(member, office_user):
    appointment_end(appointment=member, reason="误操作", by=office_user)
    assert refused(appointment_reinstate, appointment=member, by=office_user, reason=" ") == [
        str(rules.REINSTATE_REASON_REQUIRED)
    ]
    appointment_reinstate(appointment=member, by=office_user, reason="解聘有误，恢复聘任")
    member.refresh_from_db()
    assert (member.ended_on, member.end_reason) == (None, "")
    assert list(member.changes.values_list("kind", "reason")) == [
        ("ended", "误操作"),
        ("reinstated", "解聘有误，恢复聘任"),
    ]
    assert Notification.objects.filter(unit=member.unit, title__contains="已恢复").exists()
    assert refused(appointment_reinstate, appointment=member, by=office_user, reason="again") == [str(rules.NOT_ENDED)]


def test_an_undo_that_breaks_a_rule_is_refused(year, member, office_user):
    appointment_end(appointment=member, reason="改任区监督员", by=office_user)
    appointment_create(supervisor=member.supervisor, year=year)  # on the district team since
    messages = refused(appointment_reinstate, appointment=member, by=office_user, reason="恢复")
    assert messages and "不得兼任" in messages[0]
    member.refresh_from_db()
    assert member.ended_on is not None


# The office's queue -----------------------------------------------------------------------------------------


def test_the_office_queue_counts_waiting_requests_and_teams_below_the_rule(year, focus_a, member, liaison_a):
    end_request_ask(appointment=member, by=liaison_a, reason="调离")
    entries = {entry.url: entry.count for entry in office_queue(year)}
    assert entries["/supervisors/end-requests/"] == 1
    assert entries["/supervisors/units/?flagged=1"] == 1  # one member where four are needed
    assert "/supervisors/units/?flagged=1" not in {entry.url for entry in office_queue(None)}


def test_the_unit_team_list_filters_the_teams_below_the_rule(client_for, office_user, year, focus_a, unit_b, team_of):
    Participation.objects.create(year=year, unit=unit_b, is_focus=True)
    team_of(unit_b, 4, 2)
    page = client_for(office_user).get("/supervisors/units/?flagged=1").content.decode()
    assert f'id="unit-{focus_a.pk}"' in page and f'id="unit-{unit_b.pk}"' not in page
    page = client_for(office_user).get("/supervisors/units/").content.decode()
    assert f'id="unit-{unit_b.pk}"' in page


# The pages --------------------------------------------------------------------------------------------------


def test_asking_through_the_page(client_for, member, liaison_a):
    client = client_for(liaison_a)
    response = client.post(f"/supervisors/appointments/{member.pk}/end-request/", {"reason": "本人已调离"})
    assert response.status_code == 302 and response["Location"] == f"/supervisors/units/{member.unit_id}/"
    page = client.get(response["Location"]).content.decode()
    assert (
        "已申请提前解聘" in page and "本人已调离" in page and f"/supervisors/appointments/{member.pk}/end/" not in page
    )
    response = client.post(f"/supervisors/appointments/{member.pk}/end-request/", {"reason": "again"})
    assert str(asks.ALREADY_ASKED) in response.content.decode()


def test_declining_through_the_page_without_a_reason_keeps_it_waiting(client_for, member, liaison_a, office_user):
    request = end_request_ask(appointment=member, by=liaison_a, reason="调离")
    client = client_for(office_user)
    response = client.post(f"/supervisors/end-requests/{request.pk}/decline/", {f"r{request.pk}-note": ""})
    assert response.status_code == 200 and f'id="end-request-{request.pk}"' in response.content.decode()
    request.refresh_from_db()
    assert request.status == "pending"
    client.post(f"/supervisors/end-requests/{request.pk}/decline/", {f"r{request.pk}-note": "请坚持到期满"})
    request.refresh_from_db()
    assert request.status == "declined" and len(mail.outbox) == 0  # unit_a has no address in these tests


@pytest.fixture
def request_pages(member, liaison_a):
    r = end_request_ask(appointment=member, by=liaison_a, reason="调离").pk
    return {
        "list": ("get", "/supervisors/end-requests/"),
        "approve": ("post", f"/supervisors/end-requests/{r}/approve/"),
        "decline": ("post", f"/supervisors/end-requests/{r}/decline/"),
        "withdraw": ("post", f"/supervisors/end-requests/{r}/withdraw/"),
        "reinstate": ("post", f"/supervisors/appointments/{member.pk}/reinstate/"),
    }


def status(client, page):
    method, url = page
    return getattr(client, method)(url).status_code


def test_outsiders_and_other_units_get_404_on_a_request(client_for, outsider, liaison_b, leader_user, request_pages):
    for user in (outsider, liaison_b, leader_user):
        for name in ("approve", "decline", "withdraw"):
            assert status(client_for(user), request_pages[name]) == 404, (user, name)


def test_the_unit_may_withdraw_but_not_decide(client_for, liaison_a, request_pages):
    client = client_for(liaison_a)
    for name in ("list", "approve", "decline", "reinstate"):
        assert status(client, request_pages[name]) == 403, name
    assert status(client, request_pages["withdraw"]) == 302
    assert AppointmentEndRequest.objects.get().status == "withdrawn"


def test_the_office_decides_but_does_not_withdraw_for_the_unit(client_for, office_user, leader_user, request_pages):
    assert status(client_for(leader_user), request_pages["list"]) == 403
    assert status(client_for(leader_user), request_pages["reinstate"]) == 403
    client = client_for(office_user)
    assert status(client, request_pages["withdraw"]) == 403
    assert status(client, request_pages["list"]) == 200
    assert status(client, request_pages["approve"]) == 302
    assert Appointment.objects.get(end_requests__status="approved").ended_on == D(2026, 7, 1)


def test_the_request_list_takes_a_constant_number_of_queries(client_for, office_user, year, unit_a, liaison_a):
    client = client_for(office_user)
    client.get("/supervisors/end-requests/")

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/supervisors/end-requests/").status_code == 200
        return len(captured)

    end_request_ask(appointment=AppointmentFactory(year=year, unit=unit_a), by=liaison_a, reason="调离")
    one = queries()
    for _ in range(3):
        end_request_ask(appointment=AppointmentFactory(year=year, unit=unit_a), by=liaison_a, reason="调离")
    assert queries() == one


def test_the_pages_nest_no_form(client_for, member, liaison_a, office_user):
    from ..inspections.test_handoffs import forms_of

    request = end_request_ask(appointment=member, by=liaison_a, reason="调离")
    ended = appointment_end(appointment=AppointmentFactory(year=member.year, unit=member.unit), reason="辞去")
    office = client_for(office_user)
    for url in (
        "/supervisors/end-requests/",
        f"/supervisors/{ended.supervisor_id}/",
        f"/supervisors/units/{member.unit_id}/",
    ):
        parsed = forms_of(office.get(url))
        assert (parsed.nested, parsed.orphans) == (0, 0), url
    parsed = forms_of(client_for(liaison_a).get(f"/supervisors/units/{member.unit_id}/"))
    assert (parsed.nested, parsed.orphans) == (0, 0) and request.pk
