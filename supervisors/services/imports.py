"""Import of supervisors and their appointments for the current year: every row checked first, all or nothing."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.excel import (
    Column,
    SheetSpec,
    cell_error,
    open_workbook,
    parse_choice,
    parse_date,
    parse_email,
    parse_phone,
    read_sheet,
)
from appraisal.models import AppraisalYear
from units.models import Unit

from ..models import Appointment, Supervisor
from .appointments import DISTRICT_TEAM_FULL, appointment_create, appointment_rule_errors, term_end

DISTRICT_TEAM_CELL = "区监督员队伍"
NO_YEAR = _("No appraisal year has been created yet; the office creates it before appointing supervisors.")
UNKNOWN_UNIT = _("no evaluated unit named “%(name)s”.")
UNKNOWN_TEAM = _("write “%(district)s” or the name of an evaluated unit; there is no unit named “%(name)s”.")
DUPLICATE_ROW = _("repeats row %(row)s (same name and phone).")

SUPERVISOR_SHEET = SheetSpec(
    "监督员",
    [
        Column("name", "姓名", required=True, max_length=50),
        Column("sector", "界别", parse_choice, required=True, choices=Supervisor.Sector.choices, width=22),
        Column("employer", "工作单位", max_length=100, width=30),
        Column("employer_unit", "所在被评议单位", max_length=100, width=24, note="工作单位是被评议单位时填写其名称"),
        Column("phone", "联系电话", parse_phone, required=True, max_length=40),
        Column("email", "电子信箱", parse_email, max_length=254, width=26),
        Column("team", "所属队伍", required=True, max_length=100, width=24, note="填写“区监督员队伍”或被评议单位名称"),
        Column("starts_on", "任期开始", parse_date, note="不填则为导入当天；任期一年"),
    ],
    max_rows=2000,
)
SUPERVISOR_INSTRUCTIONS = [
    "政风行风及基层执法监督员导入模板：每行一名监督员及其本年度的聘任，带底色的列为必填。",
    "按“姓名+联系电话”匹配：已有的监督员资料将被更新，其余新增；已在同一队伍任职的不重复聘任。不收集身份证号码。",
    "区监督员不得同时担任单位监督员，反之亦然；任何人不得监督其工作单位；区监督员队伍人数以本年度设定为限。",
    "任何一行有错误时整个文件都不会导入，请按提示逐项改正后重新上传。",
]


@dataclass
class SupervisorImportResult:
    created: int = 0
    updated: int = 0
    appointed: int = 0


def supervisors_import(*, upload) -> SupervisorImportResult:
    """Validate the whole workbook against the cells and the appointment rules, then write it all or raise."""
    year = AppraisalYear.objects.current()
    if year is None:
        raise ValidationError(NO_YEAR)
    with open_workbook(upload) as workbook:
        rows, errors = read_sheet(workbook, SUPERVISOR_SHEET)
    units = {unit.name: unit for unit in Unit.objects.all()}
    errors += _unit_errors(rows, units) + _duplicates(rows)
    if not errors:
        errors += _rule_errors(rows, units, year)
    if errors:
        raise ValidationError(errors)
    return _write(rows, units, year)


def _unit_errors(rows, units):
    errors = []
    for row in rows:
        name = row.values["employer_unit"]
        if name and name not in units:
            errors.append(cell_error(SUPERVISOR_SHEET, row, "employer_unit", UNKNOWN_UNIT % {"name": name}))
        team = row.values["team"]
        if team and team != DISTRICT_TEAM_CELL and team not in units:
            message = UNKNOWN_TEAM % {"district": DISTRICT_TEAM_CELL, "name": team}
            errors.append(cell_error(SUPERVISOR_SHEET, row, "team", message))
    return errors


def _duplicates(rows):
    seen, errors = {}, []
    for row in rows:
        key = (row.values["name"], row.values["phone"])
        if key in seen and all(key):
            errors.append(cell_error(SUPERVISOR_SHEET, row, "phone", DUPLICATE_ROW % {"row": seen[key]}))
        seen.setdefault(key, row.number)
    return errors


def _planned(row, units, existing):
    """(the supervisor as the row would leave it, unsaved; the team's unit or None; start; end)."""
    values = row.values
    supervisor = existing.get((values["name"], values["phone"])) or Supervisor(name=values["name"])
    supervisor.employer_unit = units.get(values["employer_unit"])
    unit = None if values["team"] == DISTRICT_TEAM_CELL else units[values["team"]]
    starts_on = values["starts_on"] or timezone.localdate()
    return supervisor, unit, starts_on, term_end(starts_on)


def _holds(supervisor, year, unit):
    return supervisor.pk is not None and (
        Appointment.objects.filter(supervisor=supervisor, year=year, unit=unit, ended_on__isnull=True).exists()
    )


def _rule_errors(rows, units, year):
    existing = {(s.name, s.phone): s for s in Supervisor.objects.all()}
    errors, district_added = [], 0
    for row in rows:
        supervisor, unit, starts_on, ends_on = _planned(row, units, existing)
        if _holds(supervisor, year, unit):
            continue
        messages = appointment_rule_errors(
            supervisor=supervisor, year=year, unit=unit, starts_on=starts_on, ends_on=ends_on
        )
        if unit is None:
            district = Appointment.objects.filter(year=year, unit=None).overlapping(starts_on, ends_on).count()
            district_added += 1
            full = DISTRICT_TEAM_FULL % {"size": year.district_team_size, "year": year.year}
            if district + district_added > year.district_team_size and full not in messages:
                messages.append(full)
        errors += [cell_error(SUPERVISOR_SHEET, row, "team", message) for message in messages]
    return errors


@transaction.atomic
def _write(rows, units, year) -> SupervisorImportResult:
    result = SupervisorImportResult()
    for row in rows:
        values = row.values
        defaults = {
            "sector": values["sector"],
            "employer": values["employer"],
            "employer_unit": units.get(values["employer_unit"]),
            "email": values["email"],
        }
        supervisor, created = Supervisor.objects.update_or_create(
            name=values["name"], phone=values["phone"], defaults=defaults
        )
        if created:
            result.created += 1
        else:
            result.updated += 1
        unit = None if values["team"] == DISTRICT_TEAM_CELL else units[values["team"]]
        if not _holds(supervisor, year, unit):
            appointment_create(supervisor=supervisor, year=year, unit=unit, starts_on=values["starts_on"])
            result.appointed += 1
    return result
