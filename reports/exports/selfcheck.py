"""Summary 1: 区县被评议部门和行业(单位)自查自纠登记表 — every unit's register merged for the city office.

The columns are the unit register's (selfcheck.services.workbook), in the official order, without its hidden
number and version columns; one sheet for the departments, one for the industry units.
"""

from appraisal.excel import titled_sheet
from appraisal.models import Focus
from selfcheck.models import Problem
from selfcheck.services.workbook import HIDDEN_HEADERS, register_spec

from .common import CHUNK_SIZE, heading, labels, stream

TITLE = "区县被评议部门和行业(单位)自查自纠登记表"
SHEETS = [(Focus.DEPARTMENTS, "被评议部门"), (Focus.INDUSTRIES, "被评议行业(单位)")]
# The database fields behind the official columns after 序号, in their order.
FIELDS = (
    "unit__name",
    "subunit__name",
    "source",
    "found_on",
    "item__name",
    "description",
    "cause",
    "measure",
    "disposition",
    "responsible",
    "due_on",
    "status",
    "note",
)


def columns():
    spec = register_spec(items=[], subunits=[])
    return [(column.header, column.width) for column in spec.columns if column.header not in HIDDEN_HEADERS]


def problems(scope):
    found = Problem.objects.filter(year=scope.year).exclude(status=Problem.Status.WITHDRAWN)
    return found.filter(unit=scope.unit) if scope.unit else found


def total(scope) -> int:
    return problems(scope).count()


def rows(queryset):
    """The official columns of each problem, from plain tuples: no model instance per row."""
    sources, dispositions = labels(Problem.Source.choices), labels(Problem.Disposition.choices)
    statuses = labels(Problem.Status.choices)
    problems = queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK_SIZE)
    for seq, values in enumerate(problems, start=1):
        unit, subunit, source, found, item, text, cause, measure, disposition, person, due, status, note = values
        yield (
            seq,
            unit,
            subunit or "",
            sources.get(source, source),
            found,
            item,
            text,
            cause,
            measure,
            dispositions.get(disposition, disposition),
            person,
            due,
            statuses.get(status, status),
            note,
        )


def write(workbook, scope, progress) -> int:
    written = 0
    for kind, sheet_title in SHEETS:
        title = heading(scope, f"{TITLE}（{sheet_title}）")
        sheet = titled_sheet(workbook, sheet_title, heading=title, columns=columns())
        ordered = problems(scope).filter(unit__kind=kind).order_by("unit__name", "id")
        written += stream(sheet, rows(ordered), progress)
    return written
