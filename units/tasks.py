"""Reminder jobs. Both are safe to run twice: every notice is claimed by a unique row before it is sent."""

import datetime
import smtplib

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from appraisal.celery import REMINDERS_HOUR
from appraisal.history import recorded

from .services import reminders

# Errors that pass on their own: the database or the mail server restarting, the network.
TRANSIENT = (OperationalError, InterfaceError, smtplib.SMTPException, ConnectionError, TimeoutError)
RELIABLE = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_kwargs": {"countdown": 60, "max_retries": 10},
}


@shared_task(**RELIABLE)
@recorded(task="units.send_reminders_task")
def send_reminders_task(date_iso=None):
    """The daily reminder job for `date_iso` (YYYY-MM-DD), today by default. Returns how many were claimed."""
    day = datetime.date.fromisoformat(date_iso) if date_iso else timezone.localdate()
    return len(reminders.reminders_send(day=day))


@shared_task(**RELIABLE)
@recorded(task="units.reminders_sweep")
def reminders_sweep():
    """Send again what was claimed but never sent, then catch up on today's job in case its task was lost."""
    now = timezone.localtime()
    resent = reminders.reminders_resend_stale(now=now)
    # The daily task can be lost (broker restarted before it was written, beat down at that hour). The job is
    # idempotent, so once the hour has passed the sweep runs it again and it sends only what is still owed.
    claimed = len(reminders.reminders_send(day=now.date())) if now.hour >= REMINDERS_HOUR else 0
    return {"resent": resent, "claimed": claimed}
