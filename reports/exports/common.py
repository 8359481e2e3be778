"""What every summary shares: its scope, the progress record, the title row and the row streaming."""

import datetime
import os
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from appraisal.excel import export_row
from appraisal.models import AppraisalYear
from units.models import Unit

# One UPDATE of the report row every this many rows: cheap, and often enough for a progress bar.
PROGRESS_EVERY = int(os.environ.get("REPORT_PROGRESS_ROWS", "5000"))
# Rows fetched from the database at a time: memory stays flat whatever the number of rows.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Scope:
    """What one summary covers: a year, optionally one unit and (the inspection register) a period."""

    year: AppraisalYear
    unit: Unit | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


class Progress:
    """Counts the rows written; with a report, records the count on it every `every` rows."""

    def __init__(self, report_id=None, *, every=None):
        self.report_id, self.every, self.done = report_id, every or PROGRESS_EVERY, 0

    def start(self, total):
        self._record(rows_total=total, rows_done=0)

    def add(self, rows):
        if rows:
            self.done += rows
            self._record(rows_done=self.done)

    def _record(self, **fields):
        if self.report_id is not None:
            from ..models import Report

            Report.objects.filter(pk=self.report_id).update(touched_at=timezone.now(), **fields)


def heading(scope: Scope, title: str) -> str:
    """The title row: district, year, the summary's name, and the unit or period when it is narrowed."""
    parts = [f"{settings.DISTRICT_NAME}{scope.year.year}年度{title}"]
    if scope.unit is not None:
        parts.append(f"（{scope.unit.name}）")
    if scope.date_from or scope.date_to:
        start = scope.date_from.isoformat() if scope.date_from else ""
        end = scope.date_to.isoformat() if scope.date_to else ""
        parts.append(f"（{start} 至 {end}）")
    return "".join(parts)


def stream(sheet, rows, progress: Progress) -> int:
    """Append every row of the iterable `rows` to the write-only `sheet`; returns how many were written."""
    append, every = sheet.append, progress.every
    written = 0
    for values in rows:
        append(export_row(sheet, values))
        written += 1
        if written % every == 0:
            progress.add(every)
    progress.add(written % every)
    return written


def labels(choices) -> dict:
    """{stored value: label} in the active language, computed once rather than once per row."""
    return {value: str(label) for value, label in choices} | {"": ""}


def yes_no(value) -> str:
    return "是" if value else "否"
