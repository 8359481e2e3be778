"""Import of the city's 万人评议 survey figures for one year: every row checked first, all rows or none."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from appraisal.excel import Column, SheetSpec, cell_error, open_workbook, parse_int, read_sheet
from units.models import Unit

from .models import Answer, SurveyResult

UNKNOWN_UNIT = _("no evaluated unit named “%(name)s”.")
DUPLICATE_ROW = _("repeats row %(row)s.")
COUNTS_DO_NOT_ADD_UP = _("满意、基本满意、不满意、不了解 add up to %(total)s, not %(respondents)s.")

# Sheet and column names are the city's official form, in Chinese whatever the interface language.
SURVEY_SHEET = SheetSpec(
    "万人评议",
    [
        Column("unit", "单位名称", required=True, max_length=100, width=30),
        Column("respondents", "参评人数", parse_int, required=True),
        Column(Answer.SATISFIED.value, "满意", parse_int, required=True),
        Column(Answer.FAIRLY_SATISFIED.value, "基本满意", parse_int, required=True),
        Column(Answer.DISSATISFIED.value, "不满意", parse_int, required=True),
        Column(Answer.UNKNOWN.value, "不了解", parse_int, required=True),
    ],
    max_rows=1000,
)
SURVEY_INSTRUCTIONS = [
    "万人评议结果导入模板：每行一个被评议单位，填写参评人数及各选项人数，带底色的列为必填。",
    "满意、基本满意、不满意、不了解四项人数之和必须等于参评人数。",
    "按“年度+单位名称”匹配：已导入的结果将被更新，其余新增。",
    "任何一行有错误时整个文件都不会导入，请按提示逐项改正后重新上传。",
]


@dataclass
class SurveyImportResult:
    created: int = 0
    updated: int = 0


def survey_results_import(*, upload, year) -> SurveyImportResult:
    """Validate the whole sheet, then create or update one result per unit for `year`, or raise every error."""
    with open_workbook(upload) as workbook:
        rows, errors = read_sheet(workbook, SURVEY_SHEET)
    units = {unit.name: unit for unit in Unit.objects.all()}
    errors += _row_errors(rows, units)
    if errors:
        raise ValidationError(errors)
    return _write(rows, units, year)


def _row_errors(rows, units):
    errors, seen = [], {}
    for row in rows:
        name = row.values["unit"]
        if name and name not in units:
            errors.append(cell_error(SURVEY_SHEET, row, "unit", UNKNOWN_UNIT % {"name": name}))
        elif name in seen:
            errors.append(cell_error(SURVEY_SHEET, row, "unit", DUPLICATE_ROW % {"row": seen[name]}))
        seen.setdefault(name, row.number)
        if not row.invalid:
            total = sum(row.values[answer] for answer in Answer.values)
            if total != row.values["respondents"]:
                message = COUNTS_DO_NOT_ADD_UP % {"total": total, "respondents": row.values["respondents"]}
                errors.append(cell_error(SURVEY_SHEET, row, "respondents", message))
    return errors


@transaction.atomic
def _write(rows, units, year) -> SurveyImportResult:
    result = SurveyImportResult()
    for row in rows:
        values = dict(row.values)
        unit = units[values.pop("unit")]
        _, created = SurveyResult.objects.update_or_create(year=year, unit=unit, defaults=values)
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result
