"""Workbooks built in memory for the import tests."""

import io

import openpyxl


def workbook_bytes(sheets: dict[str, list[list]]) -> io.BytesIO:
    """{sheet title: rows (first row = headers)} -> an .xlsx file object."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "upload.xlsx"
    return buffer
