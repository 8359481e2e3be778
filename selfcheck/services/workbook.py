"""The register as an Excel workbook: the official sheet, its columns, the template and the export.

The header row is the first row, so an exported file can be edited and uploaded again as it is. Two hidden
columns after the official ones carry each problem's number and version: the import updates that problem and
recognises a file exported before someone else changed it. The blank template is the same workbook with no rows.
"""

from itertools import zip_longest

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from appraisal.excel import (
    HEADER_FONT,
    NOT_A_CHOICE,
    REQUIRED_FILL,
    CellError,
    Column,
    SheetSpec,
    parse_choice,
    parse_date,
    parse_int,
    text_cell,
)
from appraisal.models import EvaluationItem

from ..models import Problem

# Sheet names and headers are the official form's, in Chinese whatever the interface language.
REGISTER_SHEET = "自查自纠登记表"
LISTS_SHEET = "下拉选项"
NOTES_SHEET = "填写说明"
HEADERS = [
    "序号",
    "单位",
    "站所/窗口",
    "问题来源",
    "发现日期",
    "评议内容",
    "问题描述",
    "原因分析",
    "整改措施",
    "整改类别",
    "责任人",
    "整改时限",
    "整改状态",
    "备注",
]
HIDDEN_HEADERS = ["编号", "版本"]
MAX_ROWS = 20000
TEXT_LIMIT = 2000
# Which columns get a drop-down list, in the order of the columns of the hidden list sheet.
LIST_COLUMNS = ["source", "item", "disposition", "status", "subunit"]


# The states a row of the workbook may set: its drop-down list offers these and the import accepts no other
# change of state (rectified, explained and verified need a note or the office, on the problem's page).
WORKBOOK_STATES = (Problem.Status.OPEN, Problem.Status.IN_PROGRESS)


def _labels(choices):
    # The labels are computed once, in the language of the request, not once per cell.
    return [(value, str(label)) for value, label in choices]


def parse_status(value, column):
    """A row's state: any state's name is read, since an exported row carries its problem's state whatever it
    is (left as it is, it changes nothing); a wrong name is told the states the drop-down list offers."""
    try:
        return parse_choice(value, column)
    except CellError:
        every = Column(column.key, column.header, choices=_labels(Problem.Status.choices))
        try:
            return parse_choice(value, every)
        except CellError:
            labels = "、".join(label for _value, label in column.choices)
            raise CellError(NOT_A_CHOICE % {"value": str(value).strip(), "choices": labels}) from None


def register_spec(*, items, subunits) -> SheetSpec:
    """The columns of a unit's register: its own evaluation items and sub-units are the allowed values."""
    return SheetSpec(
        REGISTER_SHEET,
        [
            Column("seq", "序号", max_length=20, width=6),
            Column("unit", "单位", max_length=100, width=20),
            Column("subunit", "站所/窗口", parse_choice, choices=[(s.name, s.name) for s in subunits], width=20),
            Column("source", "问题来源", parse_choice, required=True, choices=_labels(Problem.Source.choices)),
            Column("found_on", "发现日期", parse_date, required=True, width=12),
            Column("item", "评议内容", parse_choice, required=True, choices=[(i.name, i.name) for i in items]),
            Column("description", "问题描述", required=True, max_length=TEXT_LIMIT, width=40),
            Column("cause", "原因分析", max_length=TEXT_LIMIT, width=30),
            Column("measure", "整改措施", max_length=TEXT_LIMIT, width=30),
            Column("disposition", "整改类别", parse_choice, choices=_labels(Problem.Disposition.choices)),
            Column("responsible", "责任人", max_length=50, width=10),
            Column("due_on", "整改时限", parse_date, width=12),
            Column(
                "status",
                "整改状态",
                parse_status,
                choices=_labels((state.value, state.label) for state in WORKBOOK_STATES),
                width=12,
            ),
            Column("note", "备注", max_length=TEXT_LIMIT, width=24),
            Column("id", "编号", parse_int, width=8),
            Column("version", "版本", parse_int, width=6),
        ],
        max_rows=MAX_ROWS,
    )


def unit_register_spec(unit) -> SheetSpec:
    items = EvaluationItem.objects.filter(kind=unit.kind).order_by("position")
    return register_spec(items=list(items), subunits=list(unit.subunits.order_by("name")))


def _text(value):
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _cells(sheet, values):
    return [text_cell(sheet, _text(value)) for value in values]


def problem_row(problem, *, seq, unit) -> list:
    """The cells of one problem, in the official order, then its number and version."""
    return [
        seq,
        unit.name,
        problem.subunit.name if problem.subunit_id else "",
        problem.get_source_display(),
        problem.found_on,
        problem.item.name,
        problem.description,
        problem.cause,
        problem.measure,
        problem.get_disposition_display() if problem.disposition else "",
        problem.responsible,
        problem.due_on,
        problem.get_status_display(),
        problem.note,
        problem.pk,
        problem.version,
    ]


def _header(sheet, spec):
    cells = []
    for column in spec.columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = HEADER_FONT
        if column.required:
            cell.fill = REQUIRED_FILL
        cells.append(cell)
    return cells


def _layout(sheet, spec, lists):
    """Widths, hidden key columns, frozen header and the drop-down lists (kept on the hidden list sheet)."""
    for index, column in enumerate(spec.columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        dimension.hidden = column.header in HIDDEN_HEADERS
    sheet.freeze_panes = "A2"
    for position, key in enumerate(LIST_COLUMNS, start=1):
        labels = lists[key]
        if not labels:
            continue
        source = get_column_letter(position)
        validation = DataValidation(
            type="list",
            formula1=f"'{LISTS_SHEET}'!${source}$2:${source}${len(labels) + 1}",
            allow_blank=not spec.column(key).required,
            showErrorMessage=True,
        )
        validation.error = _("Choose one of the values of the drop-down list.")
        letter = spec.letter(key)
        validation.add(f"{letter}2:{letter}{spec.max_rows + 1}")
        sheet.data_validations.append(validation)


def _instructions(*, year, unit, exported_at):
    return [
        _("Self-check and correction register of %(unit)s, %(year)s.") % {"unit": unit.name, "year": year.year},
        _("Exported at %(time)s.") % {"time": timezone.localtime(exported_at).strftime("%Y-%m-%d %H:%M")},
        _("Keep the sheet names and the header row. Columns with a coloured header are required."),
        _("Rows you add without a number are added as new problems; the same row uploaded twice is added once."),
        _(
            "Rows exported from the system keep their hidden number and version: change them in place, never copy "
            "them to new rows. If a problem was changed in the system after this export, export again."
        ),
        _("Rectified, explained and verified problems are recorded on each problem's page, not in this workbook."),
        _("A deadline (整改时限) is required for problems solved by a deadline or put in the rectification plan."),
        _("Nothing is imported while any row has an error; every error is listed with its row and column."),
    ]


def register_workbook(*, year, unit, problems, file) -> None:
    """Write the register of `unit` (or, with no problems, its blank template) to `file`, streaming the rows."""
    spec = unit_register_spec(unit)
    lists = {key: [str(label) for _value, label in spec.column(key).choices] for key in LIST_COLUMNS}
    exported_at = timezone.now()
    workbook = Workbook(write_only=True)
    workbook.properties.title = REGISTER_SHEET
    workbook.properties.subject = f"{year.year} {unit.name}"
    workbook.properties.created = exported_at.replace(tzinfo=None)
    sheet = workbook.create_sheet(REGISTER_SHEET)
    _layout(sheet, spec, lists)
    sheet.append(_header(sheet, spec))
    for seq, problem in enumerate(problems, start=1):
        sheet.append(_cells(sheet, problem_row(problem, seq=seq, unit=unit)))

    list_sheet = workbook.create_sheet(LISTS_SHEET)
    list_sheet.sheet_state = "hidden"
    list_sheet.append(_cells(list_sheet, [spec.column(key).header for key in LIST_COLUMNS]))
    for values in zip_longest(*(lists[key] for key in LIST_COLUMNS)):
        list_sheet.append(_cells(list_sheet, values))

    notes = workbook.create_sheet(NOTES_SHEET)
    notes.column_dimensions["A"].width = 110
    for line in _instructions(year=year, unit=unit, exported_at=exported_at):
        notes.append(_cells(notes, [line]))
    workbook.save(file)


def register_problems_for_export(*, year, unit):
    return (
        Problem.objects.filter(year=year, unit=unit)
        .select_related("item", "subunit")
        .order_by("id")
        .iterator(chunk_size=1000)
    )
