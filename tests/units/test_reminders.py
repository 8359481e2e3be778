"""Deadline reminders: the right days, the right units, the right people, once; the office's texts."""

import datetime
import io
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from appraisal.models import DAYS_BEFORE_INVALID, TEMPLATE_INVALID, ReminderSettings
from units.models import Contact, Deliverable, Participation, Reminder
from units.services import reminders as svc
from units.tasks import reminders_sweep, send_reminders_task

from ..factories import ContactFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = Reminder.Kind
D = datetime.date
MATERIALS = ["plan", "contacts", "subunits", "disclosures"]  # what a focus department owes for July 10


@pytest.fixture
def addresses(unit_a, liaison_a):
    """Unit A's people: its account, its liaison and office head as contacts, and its leadership-group head."""
    liaison_a.email = "liaison.a@qinhuai.gov.cn"
    liaison_a.save()
    ContactFactory(unit=unit_a, role=Contact.Role.LIAISON, email="lly@qinhuai.gov.cn")
    ContactFactory(unit=unit_a, role=Contact.Role.OFFICE_HEAD, email="office.head@qinhuai.gov.cn")
    ContactFactory(unit=unit_a, role=Contact.Role.GROUP_HEAD, email="group.head@qinhuai.gov.cn")
    return ["liaison.a@qinhuai.gov.cn", "lly@qinhuai.gov.cn", "office.head@qinhuai.gov.cn"]


def hand_in(year, unit, kinds, status="submitted"):
    for kind in kinds:
        Deliverable.objects.update_or_create(year=year, unit=unit, kind=kind, defaults={"status": status})


@pytest.fixture
def run(time_machine, django_capture_on_commit_callbacks):
    """`run(day)`: the daily job at 08:00 on `day`, emails sent once its claims are committed."""

    def job(day, **kwargs):
        time_machine.move_to(datetime.datetime.combine(day, datetime.time(8), ZoneInfo("Asia/Shanghai")))
        with django_capture_on_commit_callbacks(execute=True):
            return svc.reminders_send(day=day, **kwargs)

    return job


def sent(reminders):
    return sorted((r.unit.name, r.deadline.code, r.kind, r.days_before) for r in reminders)


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-8, None),
        (-7, (Kind.BEFORE, 7)),
        (-5, (Kind.BEFORE, 7)),  # a missed run is caught up for two days
        (-4, None),
        (-2, None),
        (-1, (Kind.BEFORE, 1)),
        (0, None),  # never a reminder on the due date itself
        (1, (Kind.OVERDUE, 0)),
        (3, (Kind.OVERDUE, 0)),
        (40, (Kind.OVERDUE, 0)),  # owed until sent: a unit added after the deadline gets it on the next run
    ],
)
def test_which_notice_falls_on_which_day(offset, expected):
    due = D(2026, 7, 10)
    assert svc.notice_slot(due=due, day=due + datetime.timedelta(offset), offsets=[7, 1]) == expected


def test_two_reminders_owed_at_once_send_only_the_later_one():
    assert svc.notice_slot(due=D(2026, 7, 10), day=D(2026, 7, 8), offsets=[3, 2]) == (Kind.BEFORE, 2)


def test_reminders_go_out_on_the_right_days_to_the_units_that_owe(year, focus_a, focus_b, unit_b, addresses, run):
    late_submitter = UnitFactory(name="区统计局")
    Participation.objects.create(year=year, unit=late_submitter, is_focus=True)
    Participation.objects.create(year=year, unit=UnitFactory(name="区档案馆"), is_focus=False)
    hand_in(year, unit_b, MATERIALS[:2], status="accepted")
    hand_in(year, unit_b, MATERIALS[2:], status="submitted")

    by_day = {}
    for offset in range(25):
        day = D(2026, 7, 1) + datetime.timedelta(offset)
        if day == D(2026, 7, 5):
            hand_in(year, late_submitter, MATERIALS)
        claimed = run(day)
        if claimed:
            by_day[day] = sent(claimed)

    assert by_day == {
        D(2026, 7, 3): [("区民政局", "materials", "before", 7), ("区统计局", "materials", "before", 7)],
        D(2026, 7, 9): [("区民政局", "materials", "before", 1)],
        D(2026, 7, 11): [("区民政局", "materials", "overdue", 0)],
    }
    assert Reminder.objects.filter(status="sent").count() == 4


def test_a_returned_deliverable_still_counts_as_owed(year, focus_a, unit_a, addresses, run):
    hand_in(year, unit_a, MATERIALS, status="accepted")
    Deliverable.objects.filter(unit=unit_a, kind="plan").update(status="returned")
    assert sent(run(D(2026, 7, 9))) == [("区民政局", "materials", "before", 1)]
    assert "实施方案" in mail.outbox[0].body and "服务窗口" not in mail.outbox[0].body


def test_deadlines_of_the_office_remind_nobody(year, unit_a, focus_a, addresses, run):
    # June 30 (hotline) and October 31 (hearing) carry no deliverable of a unit.
    hand_in(year, unit_a, [*MATERIALS, "selfcheck_register"])
    assert run(D(2026, 6, 29)) == [] and run(D(2026, 10, 30)) == [] and run(D(2026, 11, 1)) == []
    assert sent(run(D(2026, 11, 14))) == [("区民政局", "annual_summary", "before", 1)]


def test_reminders_reach_the_liaison_and_contacts_and_the_overdue_notice_copies_the_group_head(
    year, focus_a, addresses, run
):
    run(D(2026, 7, 3))
    run(D(2026, 7, 11))
    reminder, notice = mail.outbox
    assert reminder.to == addresses and reminder.cc == []
    assert notice.to == addresses and notice.cc == ["group.head@qinhuai.gov.cn"]
    assert "区民政局" in reminder.subject and "7" in reminder.body and "实施方案" in reminder.body
    assert "\n" not in notice.subject and "报送实施方案及有关资料" in notice.body
    stored = Reminder.objects.get(kind="overdue")
    assert (stored.recipients, stored.cc, stored.subject) == (addresses, notice.cc, notice.subject)


def test_a_unit_without_any_address_gets_the_notice_on_its_page_only(year, focus_a, run):
    assert len(run(D(2026, 7, 3))) == 1
    assert mail.outbox == [] and Reminder.objects.get().status == "sent"


def test_the_offices_edited_texts_and_days_are_used(year, focus_a, addresses, run):
    ReminderSettings.objects.create(
        year=year,
        days_before="3",
        before_subject="请注意：{{ unit.short_name|default:unit.name }}还有{{ days }}天",
        before_body='{{ deliverable }}，{{ date|date:"n月j日" }}前报送{{ deadline.title }}。',
    )
    assert run(D(2026, 7, 3)) == []
    assert sent(run(D(2026, 7, 7))) == [("区民政局", "materials", "before", 3)]
    [message] = mail.outbox
    assert message.subject == "请注意：区民政局还有3天"
    owed = "、".join(str(Deliverable.Kind(kind).label) for kind in MATERIALS)
    assert message.body == f"{owed}，7月10日前报送报送实施方案及有关资料。"


def test_a_second_run_the_same_day_sends_nothing(year, focus_a, focus_b, addresses, run):
    assert len(run(D(2026, 7, 3))) == 2
    assert run(D(2026, 7, 3)) == [] and run(D(2026, 7, 4)) == []
    assert len(mail.outbox) == 1 and Reminder.objects.count() == 2  # unit B has no address


def test_the_task_runs_the_job_for_today_by_default(
    year, focus_a, addresses, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-07-03 08:00 +0800")
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders_task() == 1
        assert send_reminders_task(date_iso="2026-07-03") == 0
        assert send_reminders_task(date_iso="2026-07-09") == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; PostgreSQL only")
def test_concurrent_runs_send_each_notice_once(year, focus_a, focus_b, unit_b, addresses):
    unit_b.memberships.create(user=UserFactory(username="liaison_b2", email="liaison.b@qinhuai.gov.cn"))
    threads_count = 8
    barrier, claimed, errors = threading.Barrier(threads_count), [], []

    def job():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            claimed.extend(svc.reminders_send(day=D(2026, 7, 3)))
        except Exception as error:  # noqa: BLE001 - any error fails the test below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=job) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sent(claimed) == [("区司法局", "materials", "before", 7), ("区民政局", "materials", "before", 7)]
    assert sorted(tuple(m.to) for m in mail.outbox) == [tuple(addresses), ("liaison.b@qinhuai.gov.cn",)]
    assert Reminder.objects.filter(status="sent").count() == 2
    assert svc.reminders_send(day=D(2026, 7, 3)) == [] and len(mail.outbox) == 2


def test_the_command_prints_what_it_would_send_then_sends_it_once(
    year, focus_a, addresses, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-07-01 09:00 +0800")
    out = io.StringIO()
    call_command("send_reminders", "--date", "2026-07-03", "--dry-run", stdout=out)
    assert "区民政局" in out.getvalue() and "liaison.a@qinhuai.gov.cn" in out.getvalue()
    assert not Reminder.objects.exists() and mail.outbox == []

    for attempt in range(2):
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", "--date", "2026-07-03", stdout=out)
        assert ("区民政局" in out.getvalue()) == (attempt == 0)
    assert len(mail.outbox) == 1 and Reminder.objects.get().status == "sent"
    with pytest.raises(CommandError, match="7月3日"):
        call_command("send_reminders", "--date", "7月3日")


def test_the_sweep_resends_a_lost_reminder_once(year, focus_a, addresses, time_machine):
    time_machine.move_to("2026-07-03 07:00 +0800")
    # Claimed, but the email never left: the test's transaction is never committed, so nothing was sent.
    [stuck] = svc.reminders_send(day=D(2026, 7, 3))
    assert mail.outbox == [] and svc.reminders_resend_stale() == 0  # not stale yet

    time_machine.move_to("2026-07-03 07:11 +0800")
    assert reminders_sweep() == {"resent": 1, "claimed": 0}  # before 08:00: no catch-up run
    assert reminders_sweep() == {"resent": 0, "claimed": 0}
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts, len(mail.outbox)) == ("sent", 2, 1)


def test_the_sweep_catches_up_a_lost_daily_run(
    year, focus_a, addresses, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to("2026-07-03 08:10 +0800")
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_sweep() == {"resent": 0, "claimed": 1}
        assert reminders_sweep() == {"resent": 0, "claimed": 0}
    assert len(mail.outbox) == 1


def test_a_refused_email_stays_pending_then_fails_after_the_last_attempt(year, focus_a, addresses, run, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens there
    [reminder] = run(D(2026, 7, 3))
    reminder.refresh_from_db()
    assert reminder.status == "pending" and reminder.error
    Reminder.objects.update(attempts=svc.MAX_ATTEMPTS - 1)
    later = reminder.claimed_at + svc.STALE_AFTER + datetime.timedelta(minutes=1)
    assert svc.reminders_resend_stale(now=later) == 0
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("failed", svc.MAX_ATTEMPTS)


def test_broken_texts_and_days_are_refused_with_a_message(year):
    settings = ReminderSettings(year=year, days_before="7,abc", overdue_body="{% if %}逾期")
    with pytest.raises(ValidationError) as caught:
        settings.full_clean()
    errors = caught.value.error_dict
    assert errors["days_before"][0].message == DAYS_BEFORE_INVALID
    assert errors["overdue_body"][0].message == TEMPLATE_INVALID
    assert set(errors) == {"days_before", "overdue_body"}

    fixed = ReminderSettings(year=year, days_before="1，7,7")
    fixed.full_clean()
    assert fixed.days_before == "7,1" and fixed.offsets == [7, 1]


def test_the_office_edits_the_texts_in_the_admin(client, office_user, year):
    client.force_login(office_user)
    settings = ReminderSettings.objects.for_year(year)
    url = f"/admin/appraisal/remindersettings/{settings.pk}/change/"
    form = {
        "days_before": "10,3,1",
        "bulletin_days": "4",
        "before_subject": "{{ unit.name }}：还有{{ days }}天",
        "before_body": settings.before_body,
        "overdue_subject": "{{ unit.name }}逾期",
        "overdue_body": "{% for x in %}",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert set(response.context["adminform"].form.errors) == {"overdue_body"}
    response = client.post(url, form | {"overdue_body": "{{ deliverable }}逾期{{ days }}天"})
    assert response.status_code == 302
    settings.refresh_from_db()
    assert (settings.offsets, settings.bulletin_days, settings.overdue_subject) == (
        [10, 3, 1],
        4,
        "{{ unit.name }}逾期",
    )
