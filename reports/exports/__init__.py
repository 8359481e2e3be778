"""The five Excel summaries for the city office, each written row by row into a write-only workbook.

`SUMMARIES` maps a report kind to its module's `TITLE`, `total(scope)` and `write(workbook, scope, progress)`;
`write_summary` is what the job, the management command and the benchmark all call.
"""

import contextlib
import tempfile
from dataclasses import dataclass
from types import ModuleType

from django.conf import settings
from django.utils import translation
from openpyxl import Workbook

from ..models import Report
from . import deliverables, hearings, inspections, selfcheck, statistics
from .common import Progress, Scope

__all__ = ["SUMMARIES", "Progress", "Scope", "Summary", "summary_named", "write_summary"]


@dataclass(frozen=True)
class Summary:
    kind: str
    number: int
    module: ModuleType
    uses_dates: bool = False

    @property
    def title(self):
        return self.module.TITLE

    def filename(self, scope: Scope) -> str:
        unit = f"（{scope.unit.name}）" if scope.unit else ""
        return f"{scope.year.year}年{self.title}{unit}.xlsx"


SUMMARIES = {
    summary.kind: summary
    for summary in [
        Summary(Report.Kind.SELFCHECK, 1, selfcheck),
        Summary(Report.Kind.INSPECTIONS, 2, inspections, uses_dates=True),
        Summary(Report.Kind.HEARINGS, 3, hearings),
        Summary(Report.Kind.DELIVERABLES, 4, deliverables),
        Summary(Report.Kind.STATISTICS, 5, statistics),
    ]
}


def summary_named(name: str) -> Summary | None:
    """The summary of a short name (selfcheck, inspections, …) or number (1–5); None for anything else."""
    name = str(name).strip().lower()
    return SUMMARIES.get(name) or next((s for s in SUMMARIES.values() if str(s.number) == name), None)


def write_summary(*, kind: str, scope: Scope, file, progress: Progress | None = None) -> int:
    """Write summary `kind` for `scope` to `file` (a path or a binary file); returns the rows written.

    The workbook is in Chinese whatever the language of whoever asked: it goes to the city office."""
    summary = SUMMARIES[kind]
    progress = progress or Progress()
    with translation.override(settings.LANGUAGE_CODE):
        progress.start(summary.module.total(scope))
        workbook = Workbook(write_only=True)
        workbook.properties.title = summary.title
        workbook.properties.subject = f"{settings.DISTRICT_NAME} {scope.year.year}"
        try:
            rows = summary.module.write(workbook, scope, progress)
        except BaseException:
            _discard(workbook)
            raise
        workbook.save(file)
    return rows


def _discard(workbook):
    """Finish a half-written workbook into a throwaway file: that closes its sheets' temporary files, which a
    write-only workbook otherwise leaves behind until the process exits."""
    with contextlib.suppress(Exception), tempfile.TemporaryFile() as sink:
        workbook.save(sink)
