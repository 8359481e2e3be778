"""How fast and how lean is the summary-1 export next to openpyxl writing the same values on its own?

    .venv/bin/python bench/export.py [--rows 100000]

Uses DATABASE_URL like the application (default: SQLite in a temporary file) and always works in a throwaway
database created and migrated for the run, then dropped. Creates N problems in one year and N/10 in the year
before, then runs each measurement in a fresh process of its own, so that each peak of memory is its own:

- the real summary-1 job (`report_build`: claim, stream the rows from the database, progress every few
  thousand rows, store the file) for the N problems, and for the N/10;
- a bare openpyxl write-only workbook writing the very same cell values, taken from the database beforehand so
  that only openpyxl's writing is timed.

Peak memory is how far the process's resident size rose above where it stood when the measured work began. The last line is
`ratio=<export rows/s / bare rows/s> peak_mb_10k=<n> peak_mb_100k=<n>`; the goals are a ratio of at least 0.7
and a 100k export's peak within 30 MB of a 10k export's.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
UNITS = 40
TIMED_RUNS = 3


def setup_django(workdir):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "appraisal.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    # Jobs run in this process: the benchmark never talks to a broker.
    os.environ["CELERY_BROKER_URL"] = os.environ["REDIS_URL"] = ""
    os.environ["MEDIA_ROOT"] = f"{workdir}/media"
    import django

    django.setup()


def create_database(workdir):
    """A throwaway copy of the database, whatever the engine; returns (connection, old name, its URL)."""
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    sqlite = "sqlite" in database["ENGINE"]
    database["TEST"]["NAME"] = f"{workdir}/bench-test.sqlite3" if sqlite else f"bench_export_{os.getpid()}"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    if sqlite:
        url = f"sqlite:///{connection.settings_dict['NAME']}"
    else:
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    return connection, old_name, url


def create_problems(year, count, units, items):
    """`count` problems spread over `units`, with text as long as a real register's, some of it formula-like."""
    import datetime

    from selfcheck.models import Problem

    sources = [value for value, _label in Problem.Source.choices]
    statuses = [value for value, _label in Problem.Status.choices]
    batch = []
    for number in range(1, count + 1):
        unit, subunits = units[number % len(units)]
        found_on = datetime.date(year.year, 7, 1) + datetime.timedelta(days=number % 60)
        deadline = number % 3 == 0
        batch.append(
            Problem(
                year=year,
                unit=unit,
                subunit=subunits[number % len(subunits)] if number % 4 else None,
                source=sources[number % len(sources)],
                found_on=found_on,
                item=items[unit.kind][number % len(items[unit.kind])],
                description=(
                    '=HYPERLINK("http://example.invalid","详情")'
                    if number % 500 == 0
                    else f"第{number}号问题：窗口办事群众反映等候时间过长，预约号源不足，办事指南未及时更新。"
                ),
                cause="岗位人员配备不足，值班制度执行不到位，服务流程缺少监督。",
                measure="增设服务岗位，实行弹性排班，公布值班电话并每周检查落实情况。",
                disposition="deadline" if deadline else "immediate",
                responsible=f"责任人{number % 37}",
                due_on=found_on + datetime.timedelta(days=45) if deadline else None,
                status=statuses[number % len(statuses)],
                note="" if number % 5 else "-已列入下季度督查",
            )
        )
        if len(batch) == 5000:
            Problem.objects.bulk_create(batch)
            batch = []
    Problem.objects.bulk_create(batch)


def create_district(rows):
    from appraisal.models import EvaluationItem, Focus
    from appraisal.services import appraisal_year_create
    from units.models import SubUnit, Unit

    years = [appraisal_year_create(year=2025, focus=Focus.INDUSTRIES), appraisal_year_create(year=2026)]
    units = []
    for number in range(UNITS):
        kind = Focus.DEPARTMENTS if number % 2 else Focus.INDUSTRIES
        unit = Unit.objects.create(name=f"基准测试单位{number:02d}", kind=kind, sector="测试")
        subunits = SubUnit.objects.bulk_create(
            SubUnit(unit=unit, kind=SubUnit.Kind.WINDOW, name=f"第{n}服务窗口") for n in range(1, 6)
        )
        units.append((unit, subunits))
    items = {kind: list(EvaluationItem.objects.filter(kind=kind).order_by("position")) for kind in Focus.values}
    create_problems(years[1], rows, units, items)
    create_problems(years[0], max(rows // 10, 1), units, items)
    return {"large": 2026, "small": 2025}


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


def start_peak():
    """Reset the kernel's peak-RSS mark of this process (Linux) and return the resident size now.

    getrusage's ru_maxrss is no use here: it keeps the parent's peak across fork and exec."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        pass  # then the peak counts from the process's start, which only makes it larger
    return rss_mb()


def peak_mb():
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def measure_export(year_number):
    """The real job: a report row, claimed, built and stored as the worker does it."""
    from appraisal.models import AppraisalYear
    from reports.exports.services import report_build
    from reports.models import Report

    year = AppraisalYear.objects.get(year=year_number)
    report = Report.objects.create(kind=Report.Kind.SELFCHECK, year=year)
    before = start_peak()
    started = time.perf_counter()
    report = report_build(report_id=report.pk)
    seconds = time.perf_counter() - started
    assert report.status == Report.Status.DONE, report.error
    return {"rows": report.rows_done, "seconds": seconds, "peak_mb": peak_mb() - before, "bytes": report.size}


def measure_bare(year_number, workdir):
    """openpyxl alone: the same two sheets, header row and cell values, appended as plain lists."""
    from django.conf import settings
    from django.utils import translation
    from openpyxl import Workbook

    from appraisal.models import AppraisalYear
    from reports.exports import Scope
    from reports.exports import selfcheck as summary1

    year = AppraisalYear.objects.get(year=year_number)
    scope = Scope(year)
    with translation.override(settings.LANGUAGE_CODE):
        headers = [header for header, _width in summary1.columns()]
        sheets = [
            (title, list(summary1.rows(summary1.problems(scope).filter(unit__kind=kind).order_by("unit__name", "id"))))
            for kind, title in summary1.SHEETS
        ]
    before = start_peak()
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    workbook.save(f"{workdir}/bare.xlsx")
    seconds = time.perf_counter() - started
    rows = sum(len(rows) for _title, rows in sheets)
    size = os.path.getsize(f"{workdir}/bare.xlsx")
    return {"rows": rows, "seconds": seconds, "peak_mb": peak_mb() - before, "bytes": size}


def child(args):
    with tempfile.TemporaryDirectory() as workdir:
        os.environ["DATABASE_URL"] = args.database
        setup_django(workdir)
        result = measure_export(args.year) if args.child == "export" else measure_bare(args.year, workdir)
    print(json.dumps(result))


def run_child(measure, year, database):
    command = [sys.executable, __file__, "--child", measure, "--year", str(year), "--database", database]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"The {measure} measurement failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(label, result):
    rate = result["rows"] / result["seconds"]
    print(
        f"{label}: {result['rows']} rows in {result['seconds']:.2f} s = {rate:,.0f} rows/s, "
        f"peak +{result['peak_mb']:.1f} MB, file {result['bytes'] / 1048576:.1f} MiB"
    )
    return rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--child", choices=["export", "bare"], help=argparse.SUPPRESS)
    parser.add_argument("--year", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    with tempfile.TemporaryDirectory() as workdir:
        setup_django(workdir)
        connection, old_name, url = create_database(workdir)
        try:
            started = time.perf_counter()
            years = create_district(args.rows)
            print(
                f"database: {connection.vendor}; {args.rows} problems created in {time.perf_counter() - started:.1f} s"
            )
            connection.close()  # the measurements run in processes of their own
            exports, bares = [], []
            for _ in range(TIMED_RUNS):  # alternated, so that a busy moment of the machine hits both alike
                exports.append(run_child("export", years["large"], url))
                bares.append(run_child("bare", years["large"], url))
            small = run_child("export", years["small"], url)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)

    export = min(exports, key=lambda result: result["seconds"])
    bare = min(bares, key=lambda result: result["seconds"])
    export_rate = report("summary 1 export (best of 3)", export)
    bare_rate = report("bare openpyxl    (best of 3)", bare)
    report("summary 1 export, a tenth of the rows", small)
    print(f"median rows/s: export {statistics.median(r['rows'] / r['seconds'] for r in exports):,.0f}, "
          f"bare {statistics.median(r['rows'] / r['seconds'] for r in bares):,.0f}")  # fmt: skip
    peak_large = max(result["peak_mb"] for result in exports)
    print(f"ratio={export_rate / bare_rate:.2f} peak_mb_10k={small['peak_mb']:.1f} peak_mb_100k={peak_large:.1f}")


if __name__ == "__main__":
    main()
