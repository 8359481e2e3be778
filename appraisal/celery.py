"""The one Celery app. Every periodic schedule of the project is declared in beat_schedule below."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "appraisal.settings")

app = Celery("appraisal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs, one entry each with why it runs when it does.
app.conf.beat_schedule = {}
