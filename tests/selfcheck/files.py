"""Register workbooks for the tests: built from rows, or exported by the system and edited like in Excel."""

import datetime
import io

import openpyxl

from selfcheck.models import Problem
from selfcheck.services import register_problems_for_export, register_workbook
from selfcheck.services.workbook import HEADERS, HIDDEN_HEADERS, REGISTER_SHEET

from ..excel_files import workbook_bytes

ALL_HEADERS = HEADERS + HIDDEN_HEADERS


def register_file(rows, headers=ALL_HEADERS, sheet=REGISTER_SHEET) -> io.BytesIO:
    """An uploaded register with the given rows under the official headers."""
    return workbook_bytes({sheet: [headers, *rows]})


def load(content) -> openpyxl.Workbook:
    """An exported workbook, opened for editing as a person would in Excel."""
    data = content.getvalue() if hasattr(content, "getvalue") else content
    return openpyxl.load_workbook(io.BytesIO(data))


def save(workbook) -> io.BytesIO:
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "register.xlsx"
    return buffer


def export(year, unit) -> io.BytesIO:
    buffer = io.BytesIO()
    register_workbook(year=year, unit=unit, problems=register_problems_for_export(year=year, unit=unit), file=buffer)
    buffer.seek(0)
    buffer.name = "register.xlsx"
    return buffer


def data_rows(workbook) -> list[list]:
    """The register sheet's rows below the header, as values."""
    return [list(row) for row in workbook[REGISTER_SHEET].iter_rows(min_row=2, values_only=True)]


def label(choice):
    return str(choice.label)


def new_row(**cells):
    """A row a liaison types into the template: the official columns, no number, no version."""
    row = {
        "序号": 1,
        "单位": "区民政局",
        "站所/窗口": "",
        "问题来源": label(Problem.Source.VISIT),
        "发现日期": datetime.date(2026, 7, 25),
        "评议内容": "便民惠民",
        "问题描述": "走访中群众反映婚姻登记预约号源不足",
        "原因分析": "预约系统号源设置偏少",
        "整改措施": "增加每日号源并开通周六服务",
        "整改类别": label(Problem.Disposition.DEADLINE),
        "责任人": "张敏",
        "整改时限": datetime.date(2026, 9, 30),
        "整改状态": label(Problem.Status.OPEN),
        "备注": "",
    } | cells
    return [row[header] for header in HEADERS]
