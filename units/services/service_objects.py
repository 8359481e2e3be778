"""The unit's list of service objects: typed or uploaded, at least 100 for a complete deliverable."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from appraisal.excel import Column, SheetSpec, cell_error, open_workbook, parse_email, parse_phone, read_sheet

from ..models import ServiceObject

SERVICE_OBJECT_SHEET = SheetSpec(
    "服务对象",
    [
        Column("name", "姓名或单位名称", required=True, max_length=100, width=24),
        Column("occupation", "职业", max_length=50, note="个人填写"),
        Column("address", "地址", max_length=200, width=36),
        Column("phone", "常用电话", parse_phone, required=True, max_length=40),
        Column("fax", "传真电话", parse_phone, max_length=40),
        Column("email", "电子信箱", parse_email, max_length=254, width=26),
    ],
    max_rows=5000,
)
SERVICE_OBJECT_INSTRUCTIONS = [
    "服务对象资料导入模板：每行一个服务对象（个人或单位），带底色的列为必填；重点评议单位须报送不少于100份。",
    "按“姓名或单位名称+常用电话”匹配：已有的将被更新，其余新增；不会删除任何数据。任何一行有错时整个文件都不会导入。",
    "这些是服务对象的个人信息，仅用于民主评议工作，请妥善保管。",
]
DUPLICATE = _("repeats row %(row)s.")


@transaction.atomic
def service_object_save(*, year, unit, data: dict, service_object: ServiceObject | None = None) -> ServiceObject:
    service_object = service_object or ServiceObject(year=year, unit=unit)
    for name, value in data.items():
        setattr(service_object, name, value)
    service_object.full_clean()
    service_object.save()
    return service_object


def service_object_delete(*, service_object: ServiceObject) -> None:
    service_object.delete()


def service_objects_import(*, year, unit, upload) -> dict:
    with open_workbook(upload) as workbook:
        rows, errors = read_sheet(workbook, SERVICE_OBJECT_SHEET)
    seen = {}
    for row in rows:
        key = (row.values["name"], row.values["phone"])
        if key in seen and all(key):
            errors.append(cell_error(SERVICE_OBJECT_SHEET, row, "phone", DUPLICATE % {"row": seen[key]}))
        seen.setdefault(key, row.number)
    if errors:
        raise ValidationError(errors)
    return _write(year, unit, rows)


@transaction.atomic
def _write(year, unit, rows):
    existing = {(o.name, o.phone): o for o in ServiceObject.objects.filter(year=year, unit=unit)}
    new, changed = [], []
    for row in rows:
        values = {k: v or "" for k, v in row.values.items()}
        current = existing.get((values["name"], values["phone"]))
        if current is None:
            new.append(ServiceObject(year=year, unit=unit, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            changed.append(current)
    ServiceObject.objects.bulk_create(new)
    ServiceObject.objects.bulk_update(changed, ["occupation", "address", "fax", "email"])
    return {"created": len(new), "updated": len(changed), "unchanged": len(rows) - len(new) - len(changed)}


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise a number, not to call it."""
    digits = phone.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    keep = 3 if len(digits) >= 8 else 1
    return digits[:keep] + "*" * (len(digits) - keep - 4) + digits[-4:]


def mask_email(email: str) -> str:
    if "@" not in email:
        return email
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"
