import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from appraisal.services import appraisal_year_create
from units.models import Deliverable, Participation

from ..conftest import PASSWORD
from ..factories import MembershipFactory, SubUnitFactory, UnitFactory, UserFactory
from .conftest import DESKTOP

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROWS = [
    [
        "婚姻登记处",
        "自查",
        "2026-07-20",
        "文明服务",
        "窗口工作人员午休时段无人值守",
        "排班不合理",
        "实行午间轮岗",
        "立即解决",
        "李明",
        None,
        "整改中",
    ],
    [
        "",
        "走访",
        "2026-07-25",
        "政务公开",
        "办事指南未及时更新",
        "信息更新机制缺失",
        "每月核对办事指南",
        "限期解决",
        "王芳",
        "2026-12-31",
        "未整改",
    ],
]
KEYS = [
    "站所/窗口",
    "问题来源",
    "发现日期",
    "评议内容",
    "问题描述",
    "原因分析",
    "整改措施",
    "整改类别",
    "责任人",
    "整改时限",
    "整改状态",
]


def fill(template: bytes) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["自查自纠登记表"]
    headers = [cell.value for cell in sheet[1]]
    for row_number, row in enumerate(ROWS, start=2):
        for key, value in zip(KEYS, row, strict=True):
            sheet.cell(row=row_number, column=headers.index(key) + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_liaison_fills_the_template_uploads_it_and_submits_the_register(live_server, open_page, screenshot):
    year = appraisal_year_create(year=2026, focus="departments")
    unit = UnitFactory(name="区民政局")
    SubUnitFactory(unit=unit, name="婚姻登记处")
    Participation.objects.create(year=year, unit=unit, is_focus=True)
    MembershipFactory(user=UserFactory(username="minzheng"), unit=unit)

    page = open_page(DESKTOP)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("minzheng")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="自查自纠登记表", exact=True).first.click()  # the checklist's line
    page.get_by_role("link", name="打开自查自纠登记表").click()

    with page.expect_download() as download:
        page.get_by_role("link", name="空白模板").click()
    filled = fill(Path(download.value.path()).read_bytes())

    page.get_by_role("link", name="从 Excel 上传").click()
    page.locator("input[type=file]").set_input_files(
        {"name": "自查自纠登记表.xlsx", "mimeType": "application/octet-stream", "buffer": filled}
    )
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_text("新增 2 条")).to_be_visible()
    screenshot(page, "register-uploaded-desktop")

    page.get_by_role("link", name="返回登记表").click()
    expect(page.get_by_text("窗口工作人员午休时段无人值守")).to_be_visible()
    expect(page.get_by_text("办事指南未及时更新")).to_be_visible()
    page.get_by_role("button", name="报送登记表").click()
    expect(page.get_by_text("已报送").first).to_be_visible()
    screenshot(page, "register-submitted-desktop")
    assert Deliverable.objects.get(unit=unit, kind="selfcheck_register").status == "submitted"


def _status_choices(template: bytes) -> list[str]:
    """The values the template's 整改状态 drop-down offers, as a unit sees them in Excel."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook["自查自纠登记表"]
    column = [cell.value for cell in sheet[1]].index("整改状态") + 1
    letter = openpyxl.utils.get_column_letter(column)
    for validation in sheet.data_validations.dataValidation:
        if any(str(cell_range).startswith(letter) for cell_range in validation.sqref.ranges):
            if "!" not in validation.formula1:  # the values themselves: "未整改,整改中"
                return validation.formula1.strip('"').split(",")
            list_sheet, cells = validation.formula1.split("!")  # a range of the lists' sheet
            rows = workbook[list_sheet.strip("'")][cells.replace("$", "")]
            return [row[0].value for row in rows if row[0].value]
    raise AssertionError("the template has no list on 整改状态")


def test_every_status_the_template_offers_imports_from_the_units_own_workbook(live_server, open_page, screenshot):
    """The drop-down offers only what the upload takes, and a unit's own workbook (another sheet name, a title
    row above the headers) is read as the template is."""
    year = appraisal_year_create(year=2026, focus="departments")
    unit = UnitFactory(name="区民政局")
    Participation.objects.create(year=year, unit=unit, is_focus=True)
    MembershipFactory(user=UserFactory(username="minzheng"), unit=unit)

    page = open_page(DESKTOP)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("minzheng")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server.url}/selfcheck/units/{unit.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="空白模板").click()
    statuses = _status_choices(Path(download.value.path()).read_bytes())
    assert statuses

    own = openpyxl.Workbook()
    sheet = own.active
    sheet.title = "Sheet1"
    sheet.append(["区民政局 2026 年问题清单"])
    sheet.append(KEYS)
    for number, status in enumerate(statuses, start=1):
        sheet.append(
            ["", "自查", "2026-07-20", "文明服务", f"问题{number}", "原因", "措施", "立即解决", "李明", None, status]
        )
    buffer = io.BytesIO()
    own.save(buffer)

    page.get_by_role("link", name="从 Excel 上传").click()
    page.locator("input[type=file]").set_input_files(
        {"name": "我们的问题清单.xlsx", "mimeType": "application/octet-stream", "buffer": buffer.getvalue()}
    )
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_text(f"新增 {len(statuses)} 条")).to_be_visible()
    screenshot(page, "register-own-workbook-desktop")
