"""Excel exports of unit data, written row by row in constant memory."""

from openpyxl import Workbook

from appraisal.excel import safe_row

from ..models import ServiceObject
from .service_objects import SERVICE_OBJECT_SHEET


def service_objects_workbook(*, year, unit) -> Workbook:
    """The unit's service objects in the upload template's layout, so the file can be sent back as it is."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SERVICE_OBJECT_SHEET.title)
    sheet.append([column.header for column in SERVICE_OBJECT_SHEET.columns])
    keys = [column.key for column in SERVICE_OBJECT_SHEET.columns]
    rows = ServiceObject.objects.filter(year=year, unit=unit).order_by("id").values_list(*keys)
    for values in rows.iterator(chunk_size=2000):
        sheet.append(safe_row(sheet, values))
    return workbook
