"""A Celery worker killed in the middle of an export: the export is taken up again and completes, or, once its
attempts are used up, is visibly failed; it never stays "being built".

A real worker (prefork, one child) builds summary 1 from PostgreSQL. To kill it at a known point, the test holds
the report's row lock from another connection once rows are being written: the build then waits at its next
progress update with part of the file written, and is killed there with SIGKILL.
"""

import datetime
import json
import re
from contextlib import contextmanager

import openpyxl
import psycopg
import pytest
import redis
from django.conf import settings
from django.utils import translation

from appraisal.models import Focus
from appraisal.services import appraisal_year_create
from reports.exports import services
from reports.models import Report
from selfcheck.models import Problem

from ..factories import first_item_of
from .conftest import blocked_on, children, database_url, kill, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

# The workers record progress every PROGRESS rows: with this many the build records PROGRESS and 2 × PROGRESS rows
# written before its last update, and is stopped at one of those.
PROGRESS = 1000
ROWS = 2 * PROGRESS + 500
PROGRESS_UPDATE = 'UPDATE "reports_report"'


@pytest.fixture
def register(postgresql, unit_a):
    year = appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)
    item = first_item_of(unit_a)
    Problem.objects.bulk_create(
        (
            Problem(
                year=year,
                unit=unit_a,
                source="self_check",
                found_on=datetime.date(2026, 7, 20),
                item=item,
                description=f"第{number}号问题：窗口午间无人值守，群众反映等候时间长",
                cause="值班制度执行不到位",
                measure="实行午间轮班，公布值班电话",
                disposition="immediate",
                responsible="王芳",
            )
            for number in range(1, ROWS + 1)
        ),
        batch_size=2000,
    )
    return year


@pytest.fixture
def start_worker(start_celery_worker):
    """A worker whose database connections are named after it and which stores files where the test reads."""
    # Messages that the workers of an interrupted earlier run left unacknowledged would come back under the short
    # visibility timeout below and run against this database: forget them (the queue itself is purged already).
    redis.Redis.from_url(settings.CELERY_BROKER_URL).delete("unacked", "unacked_index")

    def start(**env):
        name = f"fault-{len(started)}"
        env = {"PGAPPNAME": name, "MEDIA_ROOT": str(settings.MEDIA_ROOT), "REPORT_PROGRESS_ROWS": str(PROGRESS), **env}
        worker = start_celery_worker(env=env)
        worker.appname = name
        started.append(worker)
        return worker

    started = []
    return start


def state(report):
    return Report.objects.values("status", "attempts", "rows_done", "rows_total", "error").get(pk=report.pk)


@contextmanager
def report_locked(report_id):
    """Hold the report's row lock from another connection: the build's next UPDATE of the row waits for it."""
    with psycopg.connect(database_url()) as other:
        other.execute("SELECT 1 FROM reports_report WHERE id = %s FOR UPDATE", [report_id])
        try:
            yield
        finally:
            other.rollback()


def kill_mid_export(worker, report, *, attempt, victims):
    """Kill `victims()` (pids) while attempt `attempt` of the build has written part of the file: held at a
    progress update with rows written. Returns the rows it had written."""
    watched = [(worker.popen, worker.log_path)]
    wait_for(lambda: state(report)["attempts"] == attempt, what=f"attempt {attempt}", processes=watched)
    while True:
        with report_locked(report.pk):
            what = "the build waiting at a progress update"
            backend = wait_for(lambda: blocked_on(worker.appname, PROGRESS_UPDATE), what=what, processes=watched)
            written = int(re.search(r'"rows_done" = (\d+)', backend["query"]).group(1))
            assert written < ROWS, "the build wrote every row before it could be stopped"
            if written:  # not the update that starts the count
                for pid in victims():
                    kill(pid)
                return written


def rows_in(report) -> int:
    """The problems in the stored workbook, checked to be numbered 1…n on each sheet without a gap."""
    report.refresh_from_db()
    total = 0
    with report.file.open("rb") as file:
        workbook = openpyxl.load_workbook(file, read_only=True)
        for sheet in workbook.worksheets:
            numbers = [row[0] for row in sheet.iter_rows(min_row=3, max_col=1, values_only=True)]
            assert numbers == list(range(1, len(numbers) + 1))
            total += len(numbers)
        workbook.close()
    return total


def test_a_worker_process_killed_mid_export_hands_it_on_and_it_completes(start_worker, register, office_user):
    worker = start_worker()
    report = services.report_request(kind="selfcheck", year=register, by=office_user)

    # The pool's child dies; the parent survives and, with reject_on_worker_lost, puts the message back.
    kill_mid_export(worker, report, attempt=1, victims=lambda: children(worker.popen.pid))

    watched = [(worker.popen, worker.log_path)]
    wait_for(lambda: state(report)["status"] != "running", what="the export to end", processes=watched)
    assert state(report) == {
        "status": "done",
        "attempts": 2,
        "rows_done": ROWS,
        "rows_total": ROWS,
        "error": "",
    }
    assert rows_in(report) == ROWS
    assert "WorkerLostError" in worker.log()


def test_a_whole_worker_killed_mid_export_is_taken_up_by_another_worker(start_worker, register, office_user):
    first = start_worker()
    report = services.report_request(kind="selfcheck", year=register, by=office_user)

    # Parent first, so that nobody is left to put the message back: it stays unacknowledged in Redis.
    def everything():
        pool = children(first.popen.pid)
        return [first.popen.pid, *pool]

    kill_mid_export(first, report, attempt=1, victims=everything)
    first.popen.wait(10)
    assert state(report)["status"] == "running"

    # Redis hands the unacknowledged message to the next worker after the visibility timeout, shortened here.
    options = {"visibility_timeout": 5, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
    second = start_worker(CELERY_BROKER_TRANSPORT_OPTIONS=json.dumps(options))
    watched = [(second.popen, second.log_path)]
    wait_for(lambda: state(report)["status"] != "running", what="the export to end", timeout=40, processes=watched)
    assert (state(report)["status"], state(report)["attempts"]) == ("done", 2)
    assert rows_in(report) == ROWS
    # The very message the first worker took, not a new one.
    [message] = re.findall(r"build_report\[([0-9a-f-]+)\] received", first.log())
    assert f"build_report[{message}] succeeded" in second.log()


def test_an_export_that_kills_its_worker_every_time_is_failed_visibly(start_worker, register, office_user):
    worker = start_worker()
    report = services.report_request(kind="selfcheck", year=register, by=office_user)

    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        kill_mid_export(worker, report, attempt=attempt, victims=lambda: children(worker.popen.pid))

    watched = [(worker.popen, worker.log_path)]
    wait_for(lambda: state(report)["status"] != "running", what="the export to be given up", processes=watched)
    with translation.override(settings.LANGUAGE_CODE):
        expected = str(services.GAVE_UP % {"attempts": services.MAX_ATTEMPTS, "error": services.WORKER_STOPPED})
    final = state(report)
    assert (final["status"], final["attempts"], final["error"]) == ("failed", services.MAX_ATTEMPTS, expected)
    assert not Report.objects.get(pk=report.pk).file
