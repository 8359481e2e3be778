"""Summary 4: units × deliverables — for each unit of the year and each deliverable it owes, where it stands,
when it was handed in and when the office reviewed it. The rows are the office's matrix page's."""

from django.utils import timezone

from appraisal.excel import titled_sheet
from appraisal.models import Focus
from units.models import Deliverable
from units.selectors import deliverables_matrix
from units.services.deliverables import due_dates

from .common import heading, labels, stream, yes_no

TITLE = "被评议部门和行业(单位)材料报送情况表"
SHEET = "材料报送情况"
NOT_OWED = "不需报送"


def columns(year):
    dates = due_dates(year)
    result = [("序号", 6), ("单位", 20), ("类别", 8), ("重点评议", 8)]
    for kind, label in Deliverable.Kind.choices:
        day = dates.get(kind)
        due = f"（{day.month}月{day.day}日前）" if day else ""
        result += [(f"{label}{due}", 16), ("报送时间", 12), ("审核时间", 12)]
    return result


def matrix(scope):
    rows = deliverables_matrix(year=scope.year)
    return [row for row in rows if row.unit.pk == scope.unit.pk] if scope.unit else rows


def total(scope) -> int:
    return len(matrix(scope))


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def _status(cell):
    if cell.days_overdue:
        return f"{cell.status_label}（逾期{cell.days_overdue}天）"
    return str(cell.status_label)


def rows(scope):
    kinds = labels(Focus.choices)
    for seq, row in enumerate(matrix(scope), start=1):
        values = [seq, row.unit.name, kinds.get(row.unit.kind, row.unit.kind), yes_no(row.is_focus)]
        for cell in row.cells:
            if cell is None:
                values += [NOT_OWED, None, None]
                continue
            deliverable = cell.deliverable
            values += [
                _status(cell),
                _day(deliverable.submitted_at) if deliverable else None,
                _day(deliverable.reviewed_at) if deliverable else None,
            ]
        yield values


def write(workbook, scope, progress) -> int:
    sheet = titled_sheet(workbook, SHEET, heading=heading(scope, TITLE), columns=columns(scope.year))
    return stream(sheet, rows(scope), progress)
