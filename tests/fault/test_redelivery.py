"""A build message the broker hands out again (its worker died) takes the report over at once, or fails it when
the attempts are used up, and a redelivered sending to the city goes out at once; a plain duplicate still changes
nothing. The real worker is in test_worker_killed."""

import pytest
from django.utils import timezone

from appraisal.models import Focus
from appraisal.services import appraisal_year_create
from reports.exports import services
from reports.models import CityDispatch, Report

from ..factories import ProblemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(unit_a):
    """A report a worker claimed a moment ago and was building when it died."""
    year = appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)
    ProblemFactory.create_batch(3, year=year, unit=unit_a)
    return Report.objects.create(
        kind="selfcheck", year=year, status=Report.Status.RUNNING, attempts=1, started_at=timezone.now()
    )


def test_a_duplicate_message_leaves_a_running_report_to_its_worker(running):
    assert services.report_build(report_id=running.pk) is None
    running.refresh_from_db()
    assert (running.status, running.attempts) == ("running", 1)


def test_a_redelivered_message_takes_the_report_over(running):
    services.report_build(report_id=running.pk, redelivered=True)
    running.refresh_from_db()
    assert (running.status, running.attempts, running.rows_done) == ("done", 2, 3)


def test_a_redelivered_message_after_the_last_attempt_fails_the_report(running):
    Report.objects.filter(pk=running.pk).update(attempts=services.MAX_ATTEMPTS)

    assert services.report_build(report_id=running.pk, redelivered=True) is None
    running.refresh_from_db()
    assert running.status == "failed" and running.finished_at
    assert running.error == str(
        services.GAVE_UP % {"attempts": services.MAX_ATTEMPTS, "error": services.WORKER_STOPPED}
    )


@pytest.fixture
def sending(running):
    """A summary ready and its sending to the city, claimed a moment ago by a worker that then died."""
    services.report_build(report_id=running.pk, redelivered=True)
    return CityDispatch.objects.create(
        report=running, to="city@example.gov.cn", status=CityDispatch.Status.SENDING, attempts=1
    )


def test_a_duplicate_sending_message_leaves_it_to_its_worker(sending, mailoutbox):
    assert services.city_dispatch_send(dispatch_id=sending.pk) is None
    assert not mailoutbox


def test_a_redelivered_sending_message_sends_at_once(sending, mailoutbox):
    services.city_dispatch_send(dispatch_id=sending.pk, redelivered=True)
    sending.refresh_from_db()
    assert (sending.status, sending.attempts) == ("sent", 2)
    assert [message.to for message in mailoutbox] == [["city@example.gov.cn"]]
