"""Summary 2: 政风行风及基层执法监督员明查暗访登记表 — the supervisors' inspections of a period, one row per problem
found (an inspection that found nothing has one row of its own).

Only inspections that reached the office count (submitted or accepted), as for the quotas. The file names the
supervisor, covert or not: it is the office's, and the access rules keep it from everyone else.
"""

from django.utils import timezone

from appraisal.excel import titled_sheet
from inspections.models import Finding, Inspection
from inspections.selectors import COUNTED

from .common import CHUNK_SIZE, heading, labels, stream, yes_no

TITLE = "政风行风及基层执法监督员明查暗访登记表"
SHEET = "明查暗访登记表"
COLUMNS = [
    ("序号", 6),
    ("检查时间", 18),
    ("被检查单位", 20),
    ("站所/窗口", 20),
    ("检查方式", 8),
    ("检查方法", 24),
    ("监督员", 10),
    ("检查情况", 30),
    ("评议内容", 12),
    ("发现的问题", 40),
    ("地点", 16),
    ("民生问题", 8),
    ("办理状态", 10),
]
FIELDS = (
    "occurred_at",
    "unit__name",
    "subunit__name",
    "mode",
    "methods",
    "other_method",
    "supervisor__name",
    "summary",
    "findings__item__name",
    "findings__observed",
    "findings__place",
    "findings__livelihood",
    "status",
)


def inspections(scope):
    found = Inspection.objects.filter(year=scope.year, status__in=COUNTED)
    if scope.unit:
        found = found.filter(unit=scope.unit)
    if scope.date_from:
        found = found.filter(occurred_at__date__gte=scope.date_from)
    if scope.date_to:
        found = found.filter(occurred_at__date__lte=scope.date_to)
    return found


def total(scope) -> int:
    counted = inspections(scope)
    return Finding.objects.filter(inspection__in=counted).count() + counted.filter(findings__isnull=True).count()


def _methods(codes, other, names):
    text = [names.get(code, code) for code in codes or () if code != Inspection.Method.OTHER]
    if Inspection.Method.OTHER in (codes or ()):
        text.append(other or names[Inspection.Method.OTHER])
    return "、".join(text)


def rows(queryset):
    modes, statuses = labels(Inspection.Mode.choices), labels(Inspection.Status.choices)
    methods = labels(Inspection.Method.choices)
    found = queryset.values_list(*FIELDS).iterator(chunk_size=CHUNK_SIZE)
    for seq, values in enumerate(found, start=1):
        at, unit, subunit, mode, codes, other, name, summary, item, observed, place, livelihood, status = values
        yield (
            seq,
            timezone.localtime(at).replace(tzinfo=None),
            unit,
            subunit or "",
            modes.get(mode, mode),
            _methods(codes, other, methods),
            name,
            summary,
            item or "",
            observed or "未发现问题",
            place or "",
            "" if livelihood is None else yes_no(livelihood),
            statuses.get(status, status),
        )


def write(workbook, scope, progress) -> int:
    sheet = titled_sheet(workbook, SHEET, heading=heading(scope, TITLE), columns=COLUMNS)
    # One row per finding through a left join: an inspection without findings still gives its own row.
    ordered = inspections(scope).order_by("occurred_at", "id", "findings__id")
    return stream(sheet, rows(ordered), progress)
