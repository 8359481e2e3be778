"""A real Celery worker on the real Redis broker (not eager mode) runs the reminder job against PostgreSQL."""

import datetime
import re
import time
from email import policy
from email.parser import BytesParser

import pytest

from appraisal.services import appraisal_year_create
from units.models import Contact, Participation, Reminder
from units.tasks import send_reminders_task

from .factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(condition, *, worker, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if worker.popen.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"Gave up waiting (worker exit code {worker.popen.poll()}):\n{worker.log()[-4000:]}")
        time.sleep(0.2)


def emails_in(directory):
    """Every message the file backend wrote, parsed."""
    messages = []
    for path in sorted(directory.iterdir()):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                messages.append(BytesParser(policy=policy.default).parsebytes(chunk))
    return messages


def test_a_worker_sends_the_reminders_once_whatever_the_number_of_messages(celery_worker_process, unit_a, liaison_a):
    worker = celery_worker_process
    year = appraisal_year_create(year=2026, focus="industries")
    Participation.objects.create(year=year, unit=unit_a, is_focus=True)
    liaison_a.email = "liaison.a@qinhuai.gov.cn"
    liaison_a.save()
    ContactFactory(unit=unit_a, role=Contact.Role.GROUP_HEAD, email="group.head@qinhuai.gov.cn")

    # The same day's job enqueued twice, as two beats or a redelivered message would.
    for _ in range(2):
        send_reminders_task.delay(date_iso="2026-07-11")
    wait_for(lambda: len(re.findall(r"send_reminders_task\[.*\] succeeded", worker.log())) == 2, worker=worker)

    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.status, reminder.deadline.due_date) == (
        "overdue",
        "sent",
        datetime.date(2026, 7, 10),
    )
    assert sorted(re.findall(r"succeeded in [\d.]+s: (\d)", worker.log())) == ["0", "1"]
    [message] = emails_in(worker.mail_dir)
    assert message["To"] == "liaison.a@qinhuai.gov.cn" and message["Cc"] == "group.head@qinhuai.gov.cn"
    # Compared without whitespace: a long encoded subject is folded over several header lines.
    assert "".join(message["Subject"].split()) == "".join(reminder.subject.split())
    assert "区民政局" in reminder.subject
    assert message.get_content().strip() == reminder.body.strip()
