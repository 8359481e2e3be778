"""Import of the unit roster: units, sub-units and contacts in one workbook, all rows or none."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from appraisal.excel import (
    Column,
    SheetSpec,
    cell_error,
    open_workbook,
    parse_bool,
    parse_choice,
    parse_email,
    parse_phone,
    read_sheet,
)
from appraisal.models import AppraisalYear, Focus

from ..models import Contact, SubUnit, Unit
from .roster import participations_enrol

UNKNOWN_UNIT = _("no unit named “%(name)s” on sheet “单位” or in the system.")
DUPLICATE_ROW = _("repeats row %(row)s.")

# Sheet and column names are the office's official form, in Chinese whatever the interface language.
UNIT_SHEET = SheetSpec(
    "单位",
    [
        Column("name", "单位名称", required=True, max_length=100, width=30),
        Column("short_name", "简称", max_length=30),
        Column("kind", "类别", parse_choice, required=True, choices=Focus.choices, note="部门或行业"),
        Column("sector", "领域", required=True, max_length=30, note="如 教育、卫生、旅游、公安"),
        Column("is_focus", "本年度重点评议", parse_bool, note="是/否；不填则按本年度重点（部门或行业）确定"),
    ],
    max_rows=2000,
)
SUBUNIT_SHEET = SheetSpec(
    "基层站所",
    [
        Column("unit", "所属单位", required=True, max_length=100, width=30),
        Column("kind", "类型", parse_choice, required=True, choices=SubUnit.Kind.choices),
        Column("name", "名称", required=True, max_length=100, width=30),
        Column("address", "地址", max_length=200, width=36),
        Column("head", "负责人", max_length=50),
        Column("liaison", "联络员", max_length=50),
        Column("phone", "联系电话", parse_phone, max_length=40),
    ],
    max_rows=10000,
)
CONTACT_SHEET = SheetSpec(
    "联系人",
    [
        Column("unit", "所属单位", required=True, max_length=100, width=30),
        Column("role", "职责", parse_choice, required=True, choices=Contact.Role.choices),
        Column("name", "姓名", required=True, max_length=50),
        Column("title", "职务", max_length=50),
        Column("phone", "常用电话", parse_phone, required=True, max_length=40),
        Column("fax", "传真电话", parse_phone, max_length=40),
        Column("address", "通讯地址", max_length=200, width=36),
        Column("email", "电子信箱", parse_email, max_length=254, width=26),
    ],
    max_rows=10000,
)
ROSTER_SHEETS = [UNIT_SHEET, SUBUNIT_SHEET, CONTACT_SHEET]
ROSTER_INSTRUCTIONS = [
    "单位名册导入模板：第一行为表头，请勿修改工作表名称和表头；带底色的列为必填。",
    "按单位名称匹配：已有的单位、基层站所（所属单位+名称）和联系人（所属单位+职责+姓名）将被更新，其余新增；不会删除任何数据。",
    "任何一行有错误时整个文件都不会导入，请按提示逐项改正后重新上传。",
]


@dataclass
class RosterImportResult:
    created: dict = field(default_factory=lambda: {"units": 0, "subunits": 0, "contacts": 0})
    updated: dict = field(default_factory=lambda: {"units": 0, "subunits": 0, "contacts": 0})


def roster_import(*, upload) -> RosterImportResult:
    """Validate the whole workbook, then write every row in one transaction, or raise with every error."""
    with open_workbook(upload) as workbook:
        units, unit_errors = read_sheet(workbook, UNIT_SHEET)
        subunits, subunit_errors = read_sheet(workbook, SUBUNIT_SHEET, required=False)
        contacts, contact_errors = read_sheet(workbook, CONTACT_SHEET, required=False)
    known_names = set(Unit.objects.values_list("name", flat=True)) | {row.values["name"] for row in units}
    errors = [
        *unit_errors,
        *_duplicates(UNIT_SHEET, units, ["name"]),
        *subunit_errors,
        *_duplicates(SUBUNIT_SHEET, subunits, ["unit", "name"]),
        *_unknown_units(SUBUNIT_SHEET, subunits, known_names),
        *contact_errors,
        *_duplicates(CONTACT_SHEET, contacts, ["unit", "role", "name"]),
        *_unknown_units(CONTACT_SHEET, contacts, known_names),
    ]
    if errors:
        raise ValidationError(errors)
    return _write(units, subunits, contacts)


def _duplicates(spec, rows, keys):
    seen, errors = {}, []
    for row in rows:
        key = tuple(row.values[k] for k in keys)
        if None in key or "" in key:
            continue
        if key in seen:
            errors.append(cell_error(spec, row, keys[-1], DUPLICATE_ROW % {"row": seen[key]}))
        else:
            seen[key] = row.number
    return errors


def _unknown_units(spec, rows, known_names):
    return [
        cell_error(spec, row, "unit", UNKNOWN_UNIT % {"name": row.values["unit"]})
        for row in rows
        if row.values["unit"] and row.values["unit"] not in known_names
    ]


def _count(result, kind, created):
    (result.created if created else result.updated)[kind] += 1


@transaction.atomic
def _write(unit_rows, subunit_rows, contact_rows) -> RosterImportResult:
    result = RosterImportResult()
    focus = {}
    for row in unit_rows:
        values = dict(row.values)
        is_focus = values.pop("is_focus")
        unit, created = Unit.objects.update_or_create(name=values.pop("name"), defaults=values)
        _count(result, "units", created)
        if is_focus is not None:
            focus[unit.pk] = is_focus
    units = {unit.name: unit for unit in Unit.objects.all()}
    for row in subunit_rows:
        values = dict(row.values)
        unit = units[values.pop("unit")]
        _, created = SubUnit.objects.update_or_create(unit=unit, name=values.pop("name"), defaults=values)
        _count(result, "subunits", created)
    for row in contact_rows:
        values = dict(row.values)
        lookup = {"unit": units[values.pop("unit")], "role": values.pop("role"), "name": values.pop("name")}
        _, created = Contact.objects.update_or_create(**lookup, defaults=values)
        _count(result, "contacts", created)
    year = AppraisalYear.objects.current()
    if year is not None and unit_rows:
        imported = [units[row.values["name"]] for row in unit_rows]
        participations_enrol(year=year, units=imported, focus=focus)
    return result
