"""The disclosure and service-commitment register, its Excel upload, and its publication once accepted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from appraisal.excel import Column, SheetSpec, cell_error, open_workbook, parse_choice, parse_int, read_sheet

from ..models import Deliverable, DisclosureItem, DisclosurePublication

Kind = DisclosureItem.Kind

UNDER_REVIEW = _("The office is reviewing these items; they cannot change until it accepts or returns them.")
FIELD_REQUIRED = _("required for this kind of item.")
PROMISE_TOO_LONG = _("the promised limit (%(promised)s) is longer than the statutory limit (%(statutory)s).")

PUBLISHED_FIELDS = [
    "kind",
    "title",
    "content",
    "legal_basis",
    "statutory_days",
    "promised_days",
    "fee_standard",
    "fee_relief",
    "contact",
    "feedback",
]
# What each kind of item must state, following the district's list of what is to be made public.
REQUIRED_BY_KIND = {
    Kind.APPROVAL: ["legal_basis"],
    Kind.CONDITIONS: ["content", "legal_basis"],
    Kind.TIME_LIMIT: ["statutory_days", "promised_days"],
    Kind.FEE: ["legal_basis", "fee_standard"],
    Kind.CHANNEL: ["contact", "feedback"],
    Kind.SANBANG: ["content"],
    Kind.OTHER: ["content"],
}

DISCLOSURE_SHEET = SheetSpec(
    "公开承诺事项",
    [
        Column("kind", "类别", parse_choice, required=True, choices=Kind.choices, width=22),
        Column("title", "事项名称", required=True, max_length=200, width=30),
        Column("content", "内容", max_length=5000, width=40, note="申办条件、材料目录、具体措施等"),
        Column("legal_basis", "法定依据", max_length=5000, width=30),
        Column("statutory_days", "法定办结时限（工作日）", parse_int, width=14),
        Column("promised_days", "承诺办结时限（工作日）", parse_int, width=14, note="不得长于法定办结时限"),
        Column("fee_standard", "收费标准", max_length=200, width=20),
        Column("fee_relief", "承诺取消/缓缴/减免", max_length=200, width=20),
        Column("contact", "电话或信箱", max_length=100, width=20),
        Column("feedback", "反馈方式", max_length=100, width=16),
    ],
    max_rows=2000,
)
DISCLOSURE_INSTRUCTIONS = [
    "公开政务（事务）和承诺服务事项导入模板：每行一个事项，带底色的列为必填。",
    "审批项目须填法定依据；申办条件须填内容和法定依据；办结时限须填法定和承诺时限（承诺不得长于法定）；"
    "收费项目须填收费标准和法定依据；咨询投诉渠道须填电话或信箱和反馈方式；三帮措施和其他事项须填内容。",
    "按“类别+事项名称”匹配：已有事项将被更新，其余新增；不会删除任何事项。任何一行有错时整个文件都不会导入。",
]


def disclosure_missing_fields(data):
    """(field, message) for each field the item's kind requires but `data` lacks."""
    return [
        (field, FIELD_REQUIRED) for field in REQUIRED_BY_KIND.get(data.get("kind"), []) if data.get(field) in (None, "")
    ]


def _check_not_under_review(year, unit):
    if Deliverable.objects.filter(
        year=year, unit=unit, kind=Deliverable.Kind.DISCLOSURES, status=Deliverable.Status.SUBMITTED
    ).exists():
        raise ValidationError(UNDER_REVIEW)


@transaction.atomic
def disclosure_save(*, year, unit, data: dict, item: DisclosureItem | None = None) -> DisclosureItem:
    _check_not_under_review(year, unit)
    item = item or DisclosureItem(year=year, unit=unit)
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def disclosure_delete(*, item: DisclosureItem) -> None:
    _check_not_under_review(item.year, item.unit)
    item.delete()


def disclosures_import(*, year, unit, upload) -> dict:
    """Add or update items from the template, matched by kind and title; all rows or none."""
    _check_not_under_review(year, unit)
    with open_workbook(upload) as workbook:
        rows, errors = read_sheet(workbook, DISCLOSURE_SHEET)
    seen = {}
    for row in rows:
        values = row.values
        for field, message in disclosure_missing_fields(values):
            errors.append(cell_error(DISCLOSURE_SHEET, row, field, message))
        promised, statutory = values.get("promised_days"), values.get("statutory_days")
        if promised is not None and statutory is not None and promised > statutory:
            message = PROMISE_TOO_LONG % {"promised": promised, "statutory": statutory}
            errors.append(cell_error(DISCLOSURE_SHEET, row, "promised_days", message))
        key = (values["kind"], values["title"])
        if key in seen and all(key):
            errors.append(cell_error(DISCLOSURE_SHEET, row, "title", _("repeats row %(row)s.") % {"row": seen[key]}))
        seen.setdefault(key, row.number)
    if errors:
        raise ValidationError(errors)
    return _write_items(year, unit, rows)


@transaction.atomic
def _write_items(year, unit, rows):
    counts = {"created": 0, "updated": 0}
    for row in rows:
        values = {
            k: ("" if v is None and k not in ("statutory_days", "promised_days") else v) for k, v in row.values.items()
        }
        _item, created = DisclosureItem.objects.update_or_create(
            year=year, unit=unit, kind=values.pop("kind"), title=values.pop("title"), defaults=values
        )
        counts["created" if created else "updated"] += 1
    return counts


def _current_items(year, unit):
    return [
        model_to_dict(item, fields=PUBLISHED_FIELDS) for item in DisclosureItem.objects.filter(year=year, unit=unit)
    ]


def disclosures_changed_since_publication(*, year, unit) -> bool:
    latest = DisclosurePublication.objects.filter(year=year, unit=unit).first()
    return latest is None or latest.items != _current_items(year, unit)


def disclosures_revised(*, year, unit_ids) -> set:
    """Which of the units have changed their items since their last publication (已修改，待重新报送).
    Two queries whatever the number of units; units never published are not listed."""
    latest = DisclosurePublication.objects.filter(year=year, unit=OuterRef("unit")).order_by("-published_at", "-id")
    published = {
        publication.unit_id: publication.items
        for publication in DisclosurePublication.objects.filter(
            year=year, unit_id__in=unit_ids, pk=Subquery(latest.values("pk")[:1])
        )
    }
    current = {unit_id: [] for unit_id in published}
    for item in DisclosureItem.objects.filter(year=year, unit_id__in=list(published)).order_by("unit", "kind", "id"):
        current[item.unit_id].append(model_to_dict(item, fields=PUBLISHED_FIELDS))
    return {unit_id for unit_id, items in published.items() if items != current[unit_id]}


def disclosures_publish(*, year, unit, by) -> DisclosurePublication:
    """Freeze the unit's current items as the public version; later edits stay private until accepted again."""
    return DisclosurePublication.objects.create(year=year, unit=unit, items=_current_items(year, unit), published_by=by)
