"""The build job: progress on the report row, once only, retried after transient errors, swept when lost."""

import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from appraisal.models import Focus
from appraisal.services import appraisal_year_create
from reports.exports import common, services, write_summary
from reports.exports import selfcheck as summary1
from reports.models import Report
from selfcheck.models import Problem

from ..factories import ProblemFactory

pytestmark = pytest.mark.django_db
Status = Report.Status


@pytest.fixture
def year(db):
    return appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)


@pytest.fixture
def register(year, unit_a):
    ProblemFactory.create_batch(7, year=year, unit=unit_a)
    return year


def request(year, office_user, capture, **kwargs):
    """Ask for a summary; returns it and the build jobs that would be enqueued once the request commits."""
    with capture() as callbacks:
        report = services.report_request(kind=kwargs.pop("kind", "selfcheck"), year=year, by=office_user, **kwargs)
    return report, callbacks


def test_asking_records_the_intent_and_enqueues_after_commit(register, office_user, django_capture_on_commit_callbacks):
    report, callbacks = request(register, office_user, django_capture_on_commit_callbacks)
    assert report.status == Status.QUEUED and report.requested_by == office_user
    assert len(callbacks) == 1  # the build is enqueued only once the transaction commits


def test_a_build_records_its_progress_and_stores_the_file(
    register, office_user, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(common, "PROGRESS_EVERY", 3)
    report, _ = request(register, office_user, django_capture_on_commit_callbacks)

    with CaptureQueriesContext(connection) as queries:
        services.report_build(report_id=report.pk)
    progress = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "reports_report"') and "rows_done" in q["sql"]]
    assert len(progress) >= 3  # the total, then every 3 rows, then the rest

    report.refresh_from_db()
    assert report.status == Status.DONE and report.rows_done == report.rows_total == 7
    assert report.percent == 100 and report.attempts == 1
    assert report.started_at and report.finished_at and report.size > 0
    assert report.file.name.startswith("reports/2026/") and report.file.name.endswith(".xlsx")
    with report.file.open("rb") as file:
        sheet = openpyxl.load_workbook(file)[summary1.SHEETS[0][1]]
    assert sheet.max_row == 2 + 7


def test_progress_is_recorded_while_the_rows_are_written(register, office_user, django_capture_on_commit_callbacks):
    report, _ = request(register, office_user, django_capture_on_commit_callbacks)
    seen = []

    class Watched(common.Progress):
        """Reads the report row back after each update, as the page's progress bar would."""

        def _record(self, **fields):
            super()._record(**fields)
            seen.append(Report.objects.values_list("rows_done", "rows_total").get(pk=report.pk))

    write_summary(
        kind="selfcheck", scope=common.Scope(register), file=io.BytesIO(), progress=Watched(report.pk, every=2)
    )
    assert seen == [(0, 7), (2, 7), (4, 7), (6, 7), (7, 7)]


def test_a_second_run_changes_nothing(register, office_user, django_capture_on_commit_callbacks):
    report, _ = request(register, office_user, django_capture_on_commit_callbacks)
    services.report_build(report_id=report.pk)
    report.refresh_from_db()
    ProblemFactory(year=register, unit=Problem.objects.first().unit)

    assert services.report_build(report_id=report.pk) is None
    again = Report.objects.get(pk=report.pk)
    assert (again.file.name, again.rows_done, again.attempts) == (report.file.name, 7, 1)


def test_a_running_build_is_left_alone_until_its_worker_looks_dead(
    register, office_user, django_capture_on_commit_callbacks, time_machine
):
    report, _ = request(register, office_user, django_capture_on_commit_callbacks)
    start = datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    Report.objects.filter(pk=report.pk).update(status=Status.RUNNING, attempts=1, touched_at=start)

    assert services.report_build(report_id=report.pk) is None  # its worker may still be at it
    time_machine.move_to(start + services.STALE_AFTER + datetime.timedelta(seconds=1), tick=False)
    assert services.report_build(report_id=report.pk).status == Status.DONE
    assert Report.objects.get(pk=report.pk).attempts == 2


def test_a_worker_taken_over_cannot_record_its_result(register, office_user, django_capture_on_commit_callbacks):
    report, _ = request(register, office_user, django_capture_on_commit_callbacks)
    attempt = services._claim_report(report.pk)
    Report.objects.filter(pk=report.pk).update(attempts=attempt + 1)  # the sweep gave it to another worker
    report.file.save("x.xlsx", ContentFile(b"PK"), save=False)
    with django_capture_on_commit_callbacks(execute=True):
        services._finish(report, attempt, 7)
    assert Report.objects.get(pk=report.pk).status == Status.RUNNING
    assert not report.file.storage.exists(report.file.name)  # its file is thrown away


def test_a_transient_error_puts_the_build_back_in_the_queue(
    register, office_user, django_capture_on_commit_callbacks, monkeypatch
):
    report, _ = request(register, office_user, django_capture_on_commit_callbacks)

    def unreachable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(summary1, "total", unreachable)
    with pytest.raises(OperationalError):
        services.report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Status.QUEUED and report.attempts == 1 and "server closed" in report.error

    monkeypatch.undo()
    assert services.report_build(report_id=report.pk).status == Status.DONE


def test_any_other_error_fails_the_build_with_its_message(
    register, office_user, django_capture_on_commit_callbacks, monkeypatch
):
    report, _ = request(register, office_user, django_capture_on_commit_callbacks)

    def broken(*args, **kwargs):
        raise ValueError("no such column")

    monkeypatch.setattr(summary1, "rows", broken)
    services.report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == Status.FAILED and "no such column" in report.error and report.finished_at


def test_the_sweep_enqueues_lost_builds_again_and_gives_up_after_the_last_attempt(
    register, office_user, django_capture_on_commit_callbacks, time_machine
):
    start = datetime.datetime(2026, 9, 1, 9, tzinfo=datetime.UTC)
    time_machine.move_to(start, tick=False)
    lost, _ = request(register, office_user, django_capture_on_commit_callbacks)
    dead, _ = request(register, office_user, django_capture_on_commit_callbacks)
    worn, _ = request(register, office_user, django_capture_on_commit_callbacks)
    fresh_start = start + services.STALE_AFTER
    Report.objects.filter(pk=dead.pk).update(status=Status.RUNNING, attempts=1)
    Report.objects.filter(pk=worn.pk).update(status=Status.RUNNING, attempts=services.MAX_ATTEMPTS)

    time_machine.move_to(fresh_start - datetime.timedelta(seconds=1), tick=False)
    fresh, _ = request(register, office_user, django_capture_on_commit_callbacks)
    time_machine.move_to(fresh_start + datetime.timedelta(seconds=1), tick=False)
    with django_capture_on_commit_callbacks() as callbacks:
        done = services.jobs_sweep()

    assert done == {"reports": 2, "dispatches": 0, "failed": 1}
    assert len(callbacks) == 2
    assert Report.objects.get(pk=dead.pk).status == Status.QUEUED
    assert Report.objects.get(pk=fresh.pk).status == Status.QUEUED
    worn.refresh_from_db()
    assert worn.status == Status.FAILED and str(services.MAX_ATTEMPTS) in worn.error
    # What the sweep enqueued builds normally; a second sweep right after enqueues nothing.
    assert services.report_build(report_id=dead.pk).status == Status.DONE
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.jobs_sweep() == {"reports": 0, "dispatches": 0, "failed": 0}
    assert callbacks == []


def test_a_period_is_checked(year, office_user):
    with pytest.raises(ValidationError) as error:
        services.report_request(
            kind="inspections",
            year=year,
            date_from=datetime.date(2026, 8, 1),
            date_to=datetime.date(2026, 7, 1),
            by=office_user,
        )
    assert error.value.messages == [str(services.DATES_REVERSED)]
    with pytest.raises(ValidationError) as error:
        services.report_request(kind="inspections", year=year, date_from=datetime.date(2025, 8, 1), by=office_user)
    assert error.value.messages == [str(services.DATES_OUTSIDE_YEAR % {"year": 2026})]
    assert not Report.objects.exists()


def test_only_the_inspection_register_keeps_a_period(year, office_user):
    day = datetime.date(2026, 7, 1)
    report = services.report_request(kind="hearings", year=year, date_from=day, date_to=day, by=office_user)
    assert report.date_from is None and report.date_to is None
