"""An import of a unit's register interrupted while it writes leaves none of its rows behind; run again, it
imports them all. A database error on one row at write time takes back the rows written before it.

The import writes its rows in batches of 500 in one transaction. To catch it in the middle, another transaction
holds a conflicting value of the unique import key of row 1,200: the import's third batch then waits for that
transaction, two batches written, and is killed there with SIGKILL.
"""

import os
import subprocess
import sys

import psycopg
import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from appraisal.models import EvaluationItem, Focus
from appraisal.services import appraisal_year_create
from bench.selfcheck_import import build_workbook, register_rows
from selfcheck.models import Problem
from selfcheck.services import register_import

from ..factories import ProblemFactory, SubUnitFactory
from .conftest import backends, blocked_on, database_url, kill, tail, wait_for

ROWS = 1500
STOPPED_AT = 1200  # in the third batch of 500
INSERT = 'INSERT INTO "selfcheck_problem"'


@pytest.fixture
def register(db, unit_a, tmp_path):
    """This year's register workbook of unit A (ROWS new problems), and last year's register with one problem."""
    today = timezone.localdate()
    year = appraisal_year_create(year=today.year, focus=Focus.DEPARTMENTS)
    last_year = appraisal_year_create(year=today.year - 1, focus=Focus.DEPARTMENTS)
    subunits = SubUnitFactory.create_batch(5, unit=unit_a)
    items = list(EvaluationItem.objects.filter(kind=unit_a.kind).order_by("position"))
    path = tmp_path / "register.xlsx"
    build_workbook(path, register_rows(ROWS, unit=unit_a, subunits=subunits, items=items, today=today))
    return {"year": year, "last_year": last_year, "unit": unit_a, "path": path}


def keys_of_rows(register, *numbers) -> list[str]:
    """The import keys the import gives those rows, from an import rolled back."""
    with transaction.atomic():
        with open(register["path"], "rb") as upload:
            register_import(year=register["year"], unit=register["unit"], upload=upload, by=None)
        problems = Problem.objects.filter(year=register["year"])
        keys = [problems.get(description__startswith=f"第{number}号问题：").import_key for number in numbers]
        transaction.set_rollback(True)
    return keys


def imported(register) -> int:
    return Problem.objects.filter(year=register["year"], unit=register["unit"]).count()


def import_command(register, log, name):
    command = [sys.executable, "manage.py", "import_selfcheck", "--unit", str(register["unit"].pk)]
    env = os.environ | {"DATABASE_URL": database_url(), "PGAPPNAME": name}
    with open(log, "ab") as output:
        return subprocess.Popen(
            [*command, str(register["path"])], cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def holding(register, key, problem):
    """Another transaction gives `problem` (of last year) the import key `key`, and keeps it uncommitted."""
    other = psycopg.connect(database_url())
    other.execute("UPDATE selfcheck_problem SET import_key = %s WHERE id = %s", [key, problem.pk])
    return other


def conflicts(key, problem) -> bool:
    """Whether an uncommitted row holds the import key `key`: giving it to `problem` has to wait for it."""
    with psycopg.connect(database_url()) as probe:
        probe.execute("SET lock_timeout = '500ms'")
        try:
            probe.execute("UPDATE selfcheck_problem SET import_key = %s WHERE id = %s", [key, problem.pk])
        except psycopg.errors.LockNotAvailable:
            return True
        finally:
            probe.rollback()
    return False


def test_an_import_killed_while_it_writes_leaves_no_row_and_the_next_run_imports_all(
    postgresql, register, processes, tmp_path
):
    first_key, stopped_key = keys_of_rows(register, 1, STOPPED_AT)
    held, probe = ProblemFactory.create_batch(2, year=register["last_year"], unit=register["unit"])
    log = tmp_path / "import.log"

    blocker = holding(register, stopped_key, held)
    try:
        popen = import_command(register, log, "fault-import")
        processes.append(popen)
        wait_for(
            lambda: blocked_on("fault-import", INSERT),
            what="the import waiting in the middle of its writes",
            timeout=60,
            processes=[(popen, log)],
        )
        assert conflicts(first_key, probe)  # row 1 is written, in the import's open transaction
        kill(popen.pid)
        popen.wait(10)
    finally:
        blocker.rollback()
        blocker.close()
    wait_for(lambda: not backends("fault-import"), what="PostgreSQL to end the killed import's transaction")
    assert imported(register) == 0
    assert not conflicts(first_key, probe)

    again = import_command(register, log, "fault-import-again")
    processes.append(again)
    assert again.wait(120) == 0, tail(log)
    assert imported(register) == ROWS
    assert Problem.objects.filter(year=register["last_year"]).count() == 2


def test_a_database_error_on_one_row_takes_back_the_rows_before_it(register):
    # Last year's problem already has row 1,200's import key: only the unique index finds out, at the insert.
    ProblemFactory(year=register["last_year"], unit=register["unit"], import_key=keys_of_rows(register, STOPPED_AT)[0])

    with pytest.raises(IntegrityError), open(register["path"], "rb") as upload:
        register_import(year=register["year"], unit=register["unit"], upload=upload, by=None)
    assert imported(register) == 0
