import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from appraisal import excel
from appraisal.excel import Column, SheetSpec, open_workbook, read_sheet, safe_row

from ..excel_files import workbook_bytes

SPEC = SheetSpec(
    "名单",
    [
        Column("name", "姓名", required=True, max_length=4),
        Column("day", "日期", excel.parse_date),
        Column("count", "人数", excel.parse_int),
        Column("yes", "是否", excel.parse_bool),
        Column("mail", "邮箱", excel.parse_email),
        Column("kind", "类别", excel.parse_choice, choices=[("a", "甲"), ("b", "乙")]),
        Column("note", "备注"),
    ],
    max_rows=3,
)
HEADERS = ["姓名", "日期", "人数", "是否", "邮箱", "类别", "备注"]


def read(rows, spec=SPEC):
    with open_workbook(workbook_bytes({"名单": [HEADERS, *rows]})) as workbook:
        return read_sheet(workbook, spec)


def test_cells_are_parsed_whatever_their_type():
    rows, errors = read(
        [
            ["张三", "2026/7/10", 30.0, "是", "a@b.cn", "乙", 12345],
            ["李四", datetime.datetime(2026, 8, 25), "4", "否", "", "a", None],
        ]
    )
    assert errors == []
    assert rows[0].values == {
        "name": "张三",
        "day": datetime.date(2026, 7, 10),
        "count": 30,
        "yes": True,
        "mail": "a@b.cn",
        "kind": "b",
        "note": "12345",
    }
    assert rows[1].values["day"] == datetime.date(2026, 8, 25)
    assert rows[1].values["yes"] is False and rows[1].values["note"] == ""


def test_every_bad_cell_is_reported_with_sheet_row_and_column():
    rows, errors = read(
        [
            ["", "明天", "3.5", "也许", "not-mail", "丙", ""],
            ["王五五五五", None, None, None, None, None, None],
        ]
    )
    assert errors == [
        "工作表「名单」第 2 行，第 A 列（姓名）：此项必填。",
        "工作表「名单」第 2 行，第 B 列（日期）：“明天”不是日期，请写成 2026-07-10 的格式。",
        "工作表「名单」第 2 行，第 C 列（人数）：“3.5”不是整数。",
        "工作表「名单」第 2 行，第 D 列（是否）：请填写“是”或“否”。",
        "工作表「名单」第 2 行，第 E 列（邮箱）：“not-mail”不是有效的电子邮箱地址。",
        "工作表「名单」第 2 行，第 F 列（类别）：不允许填写“丙”，只能填写：甲、乙。",
        "工作表「名单」第 3 行，第 A 列（姓名）：最多 4 个字，此格有 5 个字。",
    ]


def test_columns_are_found_by_header_not_position():
    with open_workbook(workbook_bytes({"名单": [["备注", "姓名"], ["说明", "赵六"]]})) as workbook:
        rows, errors = read_sheet(workbook, SPEC)
    assert errors == []
    assert rows[0].values["name"] == "赵六" and rows[0].values["note"] == "说明"


def test_missing_sheet_and_missing_required_column():
    with open_workbook(workbook_bytes({"别的": [["x"]], "另一个": [HEADERS]})) as workbook:
        assert read_sheet(workbook, SPEC)[1] == [
            "工作簿中没有名为“名单”的工作表，其中的工作表为：“别的”、“另一个”。"
            "请将存放数据的工作表改名为“名单”，或上传只含这一个工作表的工作簿。"
        ]
    with open_workbook(workbook_bytes({"名单": [["备注"]]})) as workbook:
        assert read_sheet(workbook, SPEC)[1] == ["工作表「名单」缺少“姓名”列。请保留模板的表头行。"]


def test_a_single_sheet_is_read_whatever_its_name_and_its_header_is_found_under_a_title():
    sheet = [
        ["2026年度名单（区民政局）"],
        ["填表人：王芳", None, "日期：2026-07-10"],
        [],
        HEADERS,
        ["张三"],
        [],
        ["李四"],
    ]
    with open_workbook(workbook_bytes({"Sheet1": sheet})) as workbook:
        rows, errors = read_sheet(workbook, SPEC)
    assert errors == []
    assert [(row.number, row.values["name"]) for row in rows] == [(5, "张三"), (7, "李四")]


def test_errors_name_the_sheet_row_and_column_as_they_are_in_the_file():
    sheet = [["标题"], ["备注", None, "姓名", "人数"], ["说明", None, "王五五五五", "很多"]]
    with open_workbook(workbook_bytes({"我的名单": sheet})) as workbook:
        rows, errors = read_sheet(workbook, SPEC)
    assert errors == [
        "工作表「我的名单」第 3 行，第 C 列（姓名）：最多 4 个字，此格有 5 个字。",
        "工作表「我的名单」第 3 行，第 D 列（人数）：“很多”不是整数。",
    ]
    assert excel.cell_error(SPEC, rows[0], "note", "重复") == "工作表「我的名单」第 3 行，第 A 列（备注）：重复"
    # A row number alone gives the template's sheet and column, as before.
    assert excel.cell_error(SPEC, 3, "note", "重复") == "工作表「名单」第 3 行，第 G 列（备注）：重复"


def test_the_header_is_looked_for_in_the_first_ten_rows_only():
    sheet = [[f"说明 {n}"] for n in range(excel.HEADER_SEARCH_ROWS)] + [HEADERS, ["张三"]]
    with open_workbook(workbook_bytes({"名单": sheet})) as workbook:
        assert read_sheet(workbook, SPEC)[1] == ["工作表「名单」缺少“姓名”列。请保留模板的表头行。"]
    with open_workbook(workbook_bytes({"名单": sheet[1:]})) as workbook:
        rows, errors = read_sheet(workbook, SPEC)
    assert errors == [] and [(row.number, row.values["name"]) for row in rows] == [(11, "张三")]


def test_an_optional_sheet_is_never_taken_for_another():
    with open_workbook(workbook_bytes({"Sheet1": [HEADERS, ["张三"]]})) as workbook:
        assert read_sheet(workbook, SPEC, required=False) == ([], [])


def test_blank_rows_are_skipped_and_the_row_limit_is_enforced():
    rows, errors = read([["甲"], [None, None], ["乙"], ["丙"], ["丁"]])
    assert [r.values["name"] for r in rows] == ["甲", "乙", "丙"]
    assert errors == ["工作表「名单」超过 3 行，请拆分为几个文件。"]


def test_a_formula_is_read_as_text_and_never_evaluated():
    rows, errors = read([["赵", None, None, None, None, None, '=HYPERLINK("http://evil.example","点我")']])
    assert errors == []
    assert rows[0].values["note"] == '=HYPERLINK("http://evil.example","点我")'


def test_an_oversized_file_is_refused_before_parsing(settings):
    settings.EXCEL_MAX_UPLOAD_BYTES = 1024
    upload = io.BytesIO(b"x" * 2048)
    with pytest.raises(ValidationError) as error:
        excel.check_xlsx(upload)
    assert "上限为" in error.value.messages[0]


def test_a_text_file_renamed_xlsx_is_refused():
    upload = io.BytesIO("姓名,日期\n张三,2026-07-10\n".encode())
    with pytest.raises(ValidationError) as error:
        excel.check_xlsx(upload)
    assert error.value.messages == [str(excel.NOT_XLSX)]


def test_a_zip_that_is_not_a_workbook_is_refused():
    upload = io.BytesIO()
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ValidationError) as error:
        excel.check_xlsx(upload)
    assert error.value.messages == [str(excel.NOT_XLSX)]


def test_a_zip_bomb_is_refused_before_unpacking():
    upload = workbook_bytes({"名单": [HEADERS]})
    bomb = io.BytesIO()
    with zipfile.ZipFile(upload) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/media/padding.bin", b"\0" * (50 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        excel.check_xlsx(bomb)
    assert "无法安全读取" in error.value.messages[0]


def test_a_damaged_workbook_gets_the_same_clear_message():
    upload = io.BytesIO()
    with zipfile.ZipFile(upload, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all")
    with pytest.raises(ValidationError) as error, open_workbook(upload):
        pass
    assert error.value.messages == [str(excel.NOT_XLSX)]


def test_written_text_that_looks_like_a_formula_stays_text():
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("导出")
    sheet.append(safe_row(sheet, ["=1+1", "+86 123", "-x", "@SUM(A1)", "普通", 5, datetime.date(2026, 7, 10)]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    cells = list(openpyxl.load_workbook(buffer)["导出"].iter_rows())[0]
    assert [c.data_type for c in cells[:5]] == ["s"] * 5
    assert cells[0].value == "=1+1"
    assert cells[5].value == 5 and cells[6].value.date() == datetime.date(2026, 7, 10)


def test_template_lists_choices_as_a_drop_down():
    workbook = excel.template_workbook([SPEC], instructions=["说明"])
    sheet = workbook["名单"]
    assert [c.value for c in sheet[1]] == HEADERS
    validations = sheet.data_validations.dataValidation
    assert [v.formula1 for v in validations] == ['"甲,乙"']
    assert str(validations[0].sqref) == "F2:F4"
