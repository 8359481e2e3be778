"""Safe Excel reading and writing shared by every import and export of the project.

Reading: size and zip-entry limits are checked before openpyxl sees the file; openpyxl parses with defusedxml
in read-only mode; formulas are read as their text and never evaluated; no cell's type is trusted. A sheet is
described by a `SheetSpec` of `Column`s that parse and validate each cell; every problem is reported as
"工作表「…」第 N 行，第 X 列（列名）：…" and the caller writes nothing unless the list of errors is empty.

Units paste their data into their own workbooks: a workbook with a single sheet is read whatever the sheet is
called, and the header row is the first of the top rows that carries the expected headers (a title row above
it is normal). Errors name the sheet, row and column as they are in the file.

Writing: text that a spreadsheet would run as a formula is written as a plain string.
"""

import datetime
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

FILE_TOO_LARGE = _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
NOT_XLSX = _("This is not an Excel workbook (.xlsx). Save the file as “Excel 工作簿 (*.xlsx)” and upload it again.")
ZIP_BOMB = _("The workbook unpacks to more than %(limit)s MB or has too many parts; it cannot be read safely.")
SHEET_MISSING = _(
    "The workbook has no sheet named “%(sheet)s”; its sheets are: %(names)s. Rename the sheet that holds the data "
    "to “%(sheet)s”, or upload a workbook with that sheet only."
)
COLUMN_MISSING = _("Sheet “%(sheet)s” has no column “%(header)s”. Keep the template's header row.")
# The header row is looked for in this many rows from the top: enough for a title and a note above it.
HEADER_SEARCH_ROWS = 10
TOO_MANY_ROWS = _("Sheet “%(sheet)s” has more than %(limit)s rows; split it into several files.")
CELL_ERROR = _("Sheet “%(sheet)s”, row %(row)s, column %(column)s (%(header)s): %(message)s")

REQUIRED = _("this cell is required.")
TOO_LONG = _("at most %(limit)s characters, this cell has %(length)s.")
NOT_A_CHOICE = _("“%(value)s” is not allowed; use one of: %(choices)s.")
NOT_A_DATE = _("“%(value)s” is not a date; write it as 2026-07-10.")
NOT_A_NUMBER = _("“%(value)s” is not a whole number.")
NOT_YES_NO = _("write “是” or “否”.")
NOT_AN_EMAIL = _("“%(value)s” is not an email address.")
NOT_A_PHONE = _("“%(value)s” is not a phone number; use digits, spaces, “-” and “转”.")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The `accept` attribute of every workbook upload field.
XLSX_ACCEPT = f".xlsx,{XLSX_CONTENT_TYPE}"

MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
FORMULA_PREFIXES = ("=", "+", "-", "@")


class CellError(ValueError):
    """Raised by a column's parser; its message says what is wrong with the cell."""


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def parse_text(value, column):
    text = _text(value)
    if len(text) > column.max_length:
        raise CellError(TOO_LONG % {"limit": column.max_length, "length": len(text)})
    return text


def parse_choice(value, column):
    text = _text(value)
    for stored, label in column.choices:
        if text in (str(label), str(stored)):
            return stored
    raise CellError(NOT_A_CHOICE % {"value": text, "choices": "、".join(str(label) for _, label in column.choices)})


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")


def parse_date(value, column):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(NOT_A_DATE % {"value": text})


def parse_int(value, column):
    text = _text(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(NOT_A_NUMBER % {"value": text}) from None
    if number != number.to_integral_value() or number < 0:
        raise CellError(NOT_A_NUMBER % {"value": text})
    return int(number)


def parse_bool(value, column):
    text = _text(value).lower()
    if text in {"是", "y", "yes", "true", "1"}:
        return True
    if text in {"否", "n", "no", "false", "0"}:
        return False
    raise CellError(NOT_YES_NO)


def parse_email(value, column):
    text = parse_text(value, column)
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(NOT_AN_EMAIL % {"value": text}) from None
    return text


PHONE_RE = re.compile(r"^[0-9+()（）\-\s转/、,，]{3,40}$")


def parse_phone(value, column):
    text = parse_text(value, column)
    if not PHONE_RE.match(text):
        raise CellError(NOT_A_PHONE % {"value": text})
    return text


@dataclass
class Column:
    key: str
    header: str
    parse: object = parse_text
    required: bool = False
    max_length: int = 200
    choices: list = field(default_factory=list)
    width: int = 18
    note: str = ""

    def clean(self, value):
        if _text(value) == "":
            if self.required:
                raise CellError(REQUIRED)
            return "" if self.parse in TEXTUAL else None
        return self.parse(value, self)


TEXTUAL = (parse_text, parse_email, parse_phone, parse_choice)


@dataclass
class SheetSpec:
    title: str
    columns: list
    max_rows: int = 20000

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    def letter(self, key):
        return get_column_letter(self.columns.index(self.column(key)) + 1)


@dataclass
class Row:
    number: int  # the row's number in the sheet, as the spreadsheet shows it
    values: dict
    invalid: set = field(default_factory=set)  # keys of the cells that failed to parse (their value is None)
    sheet: str = ""  # the sheet's name in the file
    letters: dict = field(default_factory=dict)  # column key -> the column's letter in the file


def cell_error(spec: SheetSpec, row, key: str, message) -> str:
    """The one wording of a cell's error, also used by imports for checks across rows.

    `row` is a `Row` read by `read_sheet` (the sheet and column as they are in the file) or a row number (the
    sheet and column of the template)."""
    column = spec.column(key)
    if isinstance(row, Row):
        sheet, number, letter = row.sheet or spec.title, row.number, row.letters.get(key) or spec.letter(key)
    else:
        sheet, number, letter = spec.title, row, spec.letter(key)
    return CELL_ERROR % {"sheet": sheet, "row": number, "column": letter, "header": column.header, "message": message}


def _file_size(upload):
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    upload.seek(0)
    return size


def check_xlsx(upload, *, max_bytes=None):
    """Refuse files that are too large, not xlsx by content, or that would unpack to too much."""
    max_bytes = max_bytes or settings.EXCEL_MAX_UPLOAD_BYTES
    size = _file_size(upload)
    if size > max_bytes:
        raise ValidationError(
            FILE_TOO_LARGE, params={"size": round(size / 1048576, 1), "limit": round(max_bytes / 1048576, 1)}
        )
    if not zipfile.is_zipfile(upload):
        raise ValidationError(NOT_XLSX)
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise ValidationError(NOT_XLSX) from None
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise ValidationError(NOT_XLSX)
    unpacked = sum(entry.file_size for entry in entries)
    too_packed = any(entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1024) for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or unpacked > MAX_UNCOMPRESSED_BYTES or too_packed:
        raise ValidationError(ZIP_BOMB, params={"limit": MAX_UNCOMPRESSED_BYTES // 1048576})
    upload.seek(0)


@contextmanager
def open_workbook(upload, *, max_bytes=None):
    """Yield a read-only workbook of a checked upload; closes the file afterwards."""
    check_xlsx(upload, max_bytes=max_bytes)
    try:
        # data_only=False: a formula is read as its text, so it is stored as text and never evaluated.
        workbook = openpyxl.load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds for a damaged file; all mean the same to the user.
        raise ValidationError(NOT_XLSX) from None
    try:
        yield workbook
    finally:
        workbook.close()


def _find_sheet(workbook, spec: SheetSpec, *, required):
    """(the worksheet, an error): the sheet named as the template's, else the only sheet of the workbook."""
    names = workbook.sheetnames
    if spec.title in names:
        return workbook[spec.title], None
    if not required:
        return None, None
    if len(names) == 1:
        return workbook[names[0]], None
    return None, SHEET_MISSING % {"sheet": spec.title, "names": "、".join(f"“{name}”" for name in names)}


def _headers(cells):
    return [_text(value).rstrip("*＊ ") for value in cells]


def _find_header(rows_iter, spec: SheetSpec):
    """(the header row's number, its headers): the first of the top rows that has every required header and at
    least one header of the spec; otherwise the top row that has the most of them, for the error message."""
    wanted = {column.header for column in spec.columns}
    required = {column.header for column in spec.columns if column.required}
    best = (0, 1, [])
    for number, cells in enumerate(rows_iter, start=1):
        header = _headers(cells)
        found = wanted.intersection(header)
        if found and required <= found:
            return number, header
        if len(found) > best[0]:
            best = (len(found), number, header)
        if number >= HEADER_SEARCH_ROWS:
            break
    return best[1], best[2]


def read_sheet(workbook, spec: SheetSpec, *, required=True):
    """Parse every row of one sheet. Returns (rows, errors); a missing optional sheet gives ([], [])."""
    worksheet, missing = _find_sheet(workbook, spec, required=required)
    if worksheet is None:
        return [], [missing] if missing else []
    sheet = worksheet.title
    rows_iter = worksheet.iter_rows(values_only=True)
    header_number, header = _find_header(rows_iter, spec)
    positions, errors = {}, []
    for column in spec.columns:
        if column.header in header:
            positions[column.key] = header.index(column.header)
        elif column.required:
            errors.append(COLUMN_MISSING % {"sheet": sheet, "header": column.header})
    if errors:
        return [], errors
    letters = {key: get_column_letter(position + 1) for key, position in positions.items()}
    rows = []
    for number, cells in enumerate(rows_iter, start=header_number + 1):
        if all(_text(value) == "" for value in cells):
            continue
        if len(rows) >= spec.max_rows:
            errors.append(TOO_MANY_ROWS % {"sheet": sheet, "limit": spec.max_rows})
            break
        row = Row(number, {}, set(), sheet, letters)
        for column in spec.columns:
            position = positions.get(column.key)
            raw = cells[position] if position is not None and position < len(cells) else None
            try:
                row.values[column.key] = column.clean(raw)
            except CellError as error:
                row.values[column.key] = None
                row.invalid.add(column.key)
                errors.append(cell_error(spec, row, column.key, str(error)))
        rows.append(row)
    return rows, errors


def xlsx_response(workbook, filename):
    """A download of `workbook` as `filename`."""
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    workbook.save(response)
    return response


def text_cell(worksheet, value):
    """A write-only cell whose text is never taken for a formula by a spreadsheet."""
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
    return cell


def safe_row(worksheet, values):
    return [text_cell(worksheet, value) for value in values]


HEADER_FONT = Font(bold=True)
REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")


def template_workbook(specs: list[SheetSpec], *, instructions: list[str] = ()):
    """A blank import template: one sheet per spec with its headers, widths and drop-down lists."""
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = gettext("Instructions")
    notes.column_dimensions["A"].width = 110
    for line in instructions:
        notes.append([line])
    for spec in specs:
        sheet = workbook.create_sheet(spec.title)
        sheet.append([column.header for column in spec.columns])
        sheet.freeze_panes = "A2"
        notes.append([])
        notes.append([gettext("Sheet “%(sheet)s”:") % {"sheet": spec.title}])
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            header = sheet.cell(row=1, column=index)
            header.font = HEADER_FONT
            if column.required:
                header.fill = REQUIRED_FILL
            notes.append([_column_note(column)])
            if column.choices:
                labels = ",".join(str(label) for _, label in column.choices)
                validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=not column.required)
                validation.error = NOT_A_CHOICE % {"value": "", "choices": labels}
                sheet.add_data_validation(validation)
                validation.add(f"{letter}2:{letter}{spec.max_rows + 1}")
    return workbook


def _column_note(column):
    parts = [f"  {column.header}：", gettext("required") if column.required else gettext("optional")]
    if column.choices:
        parts.append(
            gettext("; one of: %(choices)s") % {"choices": "、".join(str(label) for _, label in column.choices)}
        )
    if column.note:
        parts.append(f"；{column.note}")
    return "".join(str(part) for part in parts)


TITLE_FONT = Font(bold=True, size=14)


def titled_sheet(workbook, title, *, heading, columns):
    """A write-only sheet of a summary: `heading` (the title with district and year) on row 1, the headers of
    `columns`, (header, width) pairs, on row 2, both frozen so they stay in view while scrolling."""
    sheet = workbook.create_sheet(title)
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    heading_cell = WriteOnlyCell(sheet, value=heading)
    heading_cell.font = TITLE_FONT
    sheet.append([heading_cell])
    headers = []
    for header, _width in columns:
        cell = text_cell(sheet, header)
        cell.font = HEADER_FONT
        headers.append(cell)
    sheet.append(headers)
    return sheet


def export_row(sheet, values):
    """A row for a write-only sheet, cheap enough for 100k rows: plain values stay plain (dates stay dates),
    characters a workbook cannot hold are dropped, text a spreadsheet would run as a formula becomes a text cell,
    and aware datetimes are written in local time (Excel has no time zones)."""
    row = []
    for value in values:
        if type(value) is str:
            if ILLEGAL_CHARACTERS_RE.search(value):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith(FORMULA_PREFIXES):
                value = text_cell(sheet, value)
        elif isinstance(value, datetime.datetime) and value.tzinfo is not None:
            value = timezone.localtime(value).replace(tzinfo=None)
        row.append(value)
    return row
