"""A unit that comes to owe a deadline after it passed gets its overdue notice on the next run; the command's dry
run works without a date."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from units.models import Participation, Reminder
from units.services import reminders as svc

from ..factories import UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date
BULLETIN = "/units/overdue/"


@pytest.fixture
def run(time_machine, django_capture_on_commit_callbacks):
    def job(day):
        time_machine.move_to(datetime.datetime.combine(day, datetime.time(8), ZoneInfo("Asia/Shanghai")))
        with django_capture_on_commit_callbacks(execute=True):
            return svc.reminders_send(day=day)

    return job


def overdue(reminders):
    return sorted((r.unit.name, r.deadline.code) for r in reminders if r.kind == Reminder.Kind.OVERDUE)


def test_a_unit_added_after_the_deadline_gets_its_overdue_notice_on_the_next_run(
    year, focus_a, run, client_for, office_user, time_machine
):
    assert overdue(run(D(2026, 7, 11))) == [("区民政局", "materials")]
    late = UnitFactory(name="区城管局")
    Participation.objects.create(year=year, unit=late, is_focus=True)

    time_machine.move_to("2026-07-20 10:00 +0800")
    rows = {row.unit.name: row for row in client_for(office_user).get(BULLETIN).context["rows"]}
    assert rows["区城管局"].notice is None
    assert "将在下次每日提醒时发送" in client_for(office_user).get(BULLETIN).content.decode()

    assert overdue(run(D(2026, 7, 21))) == [("区城管局", "materials")]
    assert run(D(2026, 7, 22)) == []  # once
    time_machine.move_to("2026-07-22 10:00 +0800")
    rows = {row.unit.name: row for row in client_for(office_user).get(BULLETIN).context["rows"]}
    assert rows["区城管局"].notice.sent_at.date() == D(2026, 7, 21)
    assert "将在下次每日提醒时发送" not in client_for(office_user).get(BULLETIN).content.decode()


def test_a_unit_made_a_focus_unit_after_the_deadline_is_notified_too(year, unit_a, run):
    participation = Participation.objects.create(year=year, unit=unit_a, is_focus=False)
    assert run(D(2026, 7, 11)) == []
    participation.is_focus = True
    participation.save()
    assert overdue(run(D(2026, 8, 3))) == [("区民政局", "materials")]
    assert Reminder.objects.get().status == "sent"


def test_the_dry_run_without_a_date_runs_for_today(year, focus_a, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to("2026-07-03 08:30 +0800")
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "2026-07-03" in out.getvalue() and "区民政局" in out.getvalue()
    assert not Reminder.objects.exists()

    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "2026-07-03" in out.getvalue() and Reminder.objects.get().status == "sent"
    assert len(mail.outbox) == 0  # unit A has no address: the notice is on its page only


def test_the_dry_run_with_a_date(year, focus_a, time_machine):
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2026-07-11", stdout=out)
    assert "2026-07-11" in out.getvalue() and "逾期" in out.getvalue()
    assert not Reminder.objects.exists()
