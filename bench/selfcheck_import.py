"""How much slower is the register upload than openpyxl merely reading the same file?

    .venv/bin/python bench/selfcheck_import.py [--rows 5000]

Uses DATABASE_URL like the application (default: SQLite in a temporary file) and always works in a throwaway
database created and migrated for the run, then dropped. Builds a register workbook of new rows, times a bare
openpyxl read-only parse of it and `register_import` (parse + validate + write) on it, then the same for an
export of those rows with every row edited (the update path). The last line is
`ratio=<import seconds / parse seconds> rows=<n>` for the new rows; the goal is a ratio of 3 or less.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(workdir):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "appraisal.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    # The test database machinery gives a throwaway copy whatever the engine; never the real database.
    name = f"{workdir}/bench-test.sqlite3" if "sqlite" in database["ENGINE"] else f"bench_selfcheck_{os.getpid()}"
    database["TEST"]["NAME"] = name
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return connection, old_name


def register_rows(count, *, unit, subunits, items, today):
    from selfcheck.models import Problem

    sources = [str(label) for _value, label in Problem.Source.choices]
    dispositions = [str(label) for _value, label in Problem.Disposition.choices]
    statuses = [str(Problem.Status.OPEN.label), str(Problem.Status.IN_PROGRESS.label)]
    for number in range(1, count + 1):
        disposition = dispositions[number % 3]  # immediate, deadline, plan: the last two need a deadline
        found_on = today - datetime.timedelta(days=number % 60)
        yield [
            number,
            unit.name,
            subunits[number % len(subunits)].name if number % 4 else "",
            sources[number % len(sources)],
            found_on,
            items[number % len(items)].name,
            f"第{number}号问题：窗口办事群众反映等候时间过长，预约号源不足，办事指南未及时更新，电话长时间无人接听。",
            "岗位人员配备不足，值班制度执行不到位，服务流程缺少监督。",
            "增设服务岗位，实行弹性排班，公布值班电话并每周检查落实情况。",
            disposition,
            f"责任人{number % 37}",
            found_on + datetime.timedelta(days=45) if number % 3 else None,
            statuses[number % 2],
            '=HYPERLINK("http://example.invalid","备注")' if number % 500 == 0 else "",
        ]


def build_workbook(path, rows):
    from openpyxl import Workbook

    from appraisal.excel import safe_row
    from selfcheck.services.workbook import HEADERS, REGISTER_SHEET

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(REGISTER_SHEET)
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(safe_row(sheet, row))
    workbook.save(path)


def bare_parse(path):
    """What openpyxl alone costs: open read-only, read every cell of the register sheet."""
    import openpyxl

    from selfcheck.services.workbook import REGISTER_SHEET

    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    for _row in workbook[REGISTER_SHEET].iter_rows(values_only=True):
        pass
    workbook.close()
    return time.perf_counter() - started


def timed_import(path, *, year, unit):
    from selfcheck.services import register_import

    started = time.perf_counter()
    with open(path, "rb") as upload:
        result = register_import(year=year, unit=unit, upload=upload, by=None)
    return time.perf_counter() - started, result


def measure(label, path, *, year, unit):
    parse = statistics.median(bare_parse(path) for _ in range(3))
    seconds, result = timed_import(path, year=year, unit=unit)
    size = os.path.getsize(path) / 1024
    print(
        f"{label}: file {size:.0f} KiB; bare openpyxl parse {parse:.3f} s; register_import {seconds:.3f} s "
        f"(added {result.added}, updated {result.updated}, unchanged {result.unchanged}); "
        f"ratio {seconds / parse:.2f}"
    )
    return seconds, parse


def edited_export(path, *, year, unit):
    """The register as exported, with the cause of every row rewritten, as a person would in Excel."""
    import openpyxl

    from selfcheck.services import register_problems_for_export, register_workbook
    from selfcheck.services.workbook import HEADERS, REGISTER_SHEET

    exported = f"{path}.export.xlsx"
    with open(exported, "wb") as file:
        register_workbook(year=year, unit=unit, problems=register_problems_for_export(year=year, unit=unit), file=file)
    workbook = openpyxl.load_workbook(exported)
    sheet = workbook[REGISTER_SHEET]
    cause = HEADERS.index("原因分析") + 1
    for row in range(2, sheet.max_row + 1):
        sheet.cell(row, cause).value = f"复核后的原因分析（第{row - 1}行）"
    workbook.save(exported)
    return exported


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as workdir:
        connection, old_name = setup_django(workdir)
        try:
            from django.utils import timezone

            from appraisal.models import EvaluationItem, Focus
            from appraisal.services import appraisal_year_create
            from units.models import SubUnit, Unit

            today = timezone.localdate()
            year = appraisal_year_create(year=today.year, focus=Focus.DEPARTMENTS)
            unit = Unit.objects.create(name="区基准测试局", kind=Focus.DEPARTMENTS, sector="测试")
            subunits = SubUnit.objects.bulk_create(
                SubUnit(unit=unit, kind=SubUnit.Kind.WINDOW, name=f"第{n}服务窗口") for n in range(1, 21)
            )
            items = list(EvaluationItem.objects.filter(kind=Focus.DEPARTMENTS).order_by("position"))
            path = f"{workdir}/register.xlsx"
            build_workbook(path, register_rows(rows, unit=unit, subunits=subunits, items=items, today=today))

            print(f"database: {connection.vendor}, {rows} rows")
            seconds, parse = measure("new rows", path, year=year, unit=unit)
            measure("same file again", path, year=year, unit=unit)
            measure("export with every row edited", edited_export(path, year=year, unit=unit), year=year, unit=unit)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"ratio={seconds / parse:.2f} rows={rows}")


if __name__ == "__main__":
    main()
