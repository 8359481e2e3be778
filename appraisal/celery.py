"""The one Celery app. Every periodic schedule of the project is declared in beat_schedule below."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "appraisal.settings")

app = Celery("appraisal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The hour (local time, CELERY_TIMEZONE = TIME_ZONE) at which units are reminded of deadlines.
REMINDERS_HOUR = 8

# Periodic jobs, one entry each with why it runs when it does.
app.conf.beat_schedule = {
    # Reminders before each deadline and overdue notices after it: once a day, at the start of office hours.
    "send-reminders": {
        "task": "units.tasks.send_reminders_task",
        "schedule": crontab(hour=REMINDERS_HOUR, minute=0),
    },
    # Reminders claimed but never sent (a worker died, the mail server was down), and the daily job again in
    # case its message was lost: often enough that a lost notice goes out within the quarter hour.
    "reminders-sweep": {
        "task": "units.tasks.reminders_sweep",
        "schedule": crontab(minute="*/10"),
    },
    # Excel summaries and sendings to the city office that a lost message or a dead worker left behind are
    # enqueued again, and marked failed after their last attempt: every five minutes, so a page's progress
    # bar does not hang for long.
    "reports-sweep": {
        "task": "reports.tasks.reports_sweep",
        "schedule": crontab(minute="*/5"),
    },
    # Summary 1 to the city office on the calendar's August 31, summary 5 on November 25 (each once; a day
    # missed while the server was down is caught up within a week): checked every morning before office hours.
    "city-summaries": {
        "task": "reports.tasks.scheduled_city_summaries",
        "schedule": crontab(hour=7, minute=0),
    },
}
