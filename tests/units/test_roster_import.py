import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from appraisal.models import Focus
from appraisal.services import appraisal_year_create
from units.models import Contact, Participation, SubUnit, Unit
from units.services import roster_import

from ..excel_files import workbook_bytes

pytestmark = pytest.mark.django_db

UNIT_HEADERS = ["单位名称", "简称", "类别", "领域", "本年度重点评议"]
SUBUNIT_HEADERS = ["所属单位", "类型", "名称", "地址", "负责人", "联络员", "联系电话"]
CONTACT_HEADERS = ["所属单位", "职责", "姓名", "职务", "常用电话", "传真电话", "通讯地址", "电子信箱"]


def roster(units=None, subunits=None, contacts=None):
    return workbook_bytes(
        {
            "单位": [UNIT_HEADERS, *(units or [])],
            "基层站所": [SUBUNIT_HEADERS, *(subunits or [])],
            "联系人": [CONTACT_HEADERS, *(contacts or [])],
        }
    )


VALID = {
    "units": [
        ["区民政局", "民政局", "部门", "民政", ""],
        ["秦淮区实验小学", "实验小学", "行业", "教育", "是"],
    ],
    "subunits": [
        ["区民政局", "服务（办事）窗口", "区行政服务中心民政窗口", "瑞金路1号", "李明", "王芳", "025-84561234"],
        ["秦淮区实验小学", "学校", "实验小学本部", "长白街301号", "周静", "", ""],
    ],
    "contacts": [
        ["区民政局", "联络员", "刘海燕", "科员", "025-84560001", "025-84560002", "瑞金路1号", "lhy@qinhuai.gov.cn"],
        ["秦淮区实验小学", "领导小组组长", "张建华", "校长", "13912345678", "", "", ""],
    ],
}


def test_a_valid_roster_is_imported_whole():
    appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)
    result = roster_import(upload=roster(**VALID))

    assert result.created == {"units": 2, "subunits": 2, "contacts": 2}
    school = Unit.objects.get(name="秦淮区实验小学")
    assert (school.kind, school.sector, school.short_name) == (Focus.INDUSTRIES, "教育", "实验小学")
    window = SubUnit.objects.get(name="区行政服务中心民政窗口")
    assert (window.unit.name, window.kind, window.head, window.phone) == ("区民政局", "window", "李明", "025-84561234")
    contact = Contact.objects.get(name="刘海燕")
    assert (contact.role, contact.email, contact.fax) == ("liaison", "lhy@qinhuai.gov.cn", "025-84560002")
    # Focus: blank follows the year's focus (departments), "是" overrides it.
    focus = dict(Participation.objects.values_list("unit__name", "is_focus"))
    assert focus == {"区民政局": True, "秦淮区实验小学": True}


def test_reimporting_updates_in_place_and_creates_nothing_twice():
    roster_import(upload=roster(**VALID))
    changed = dict(VALID, contacts=[["区民政局", "联络员", "刘海燕", "副科长", "025-84569999", "", "", ""]])
    result = roster_import(upload=roster(**changed))

    assert result.created == {"units": 0, "subunits": 0, "contacts": 0}
    assert result.updated == {"units": 2, "subunits": 2, "contacts": 1}
    assert Contact.objects.count() == 2
    assert Contact.objects.get(name="刘海燕").phone == "025-84569999"


def test_errors_in_three_places_give_three_messages_and_write_nothing():
    bad = {
        "units": [["区民政局", "", "局", "民政", ""], ["秦淮区实验小学", "", "行业", "教育", ""]],
        "subunits": [["区卫生局", "学校", "某校", "", "", "", ""]],
        "contacts": [["区民政局", "联络员", "刘海燕", "", "025-84560001", "", "", "not-an-email"]],
    }
    with pytest.raises(ValidationError) as error:
        roster_import(upload=roster(**bad))

    assert error.value.messages == [
        "工作表「单位」第 2 行，第 C 列（类别）：不允许填写“局”，只能填写：行业、部门。",
        "工作表「基层站所」第 2 行，第 A 列（所属单位）：“单位”工作表和系统中都没有名为“区卫生局”的单位。",
        "工作表「联系人」第 2 行，第 H 列（电子信箱）：“not-an-email”不是有效的电子邮箱地址。",
    ]
    assert Unit.objects.count() == SubUnit.objects.count() == Contact.objects.count() == 0


def test_duplicate_rows_are_reported():
    units = [["区民政局", "", "部门", "民政", ""], ["区民政局", "", "部门", "民政", ""]]
    with pytest.raises(ValidationError) as error:
        roster_import(upload=roster(units=units))
    assert error.value.messages == ["工作表「单位」第 3 行，第 A 列（单位名称）：与第 2 行重复。"]


def test_sub_units_may_refer_to_units_already_in_the_system(unit_a):
    roster_import(upload=roster(units=[], subunits=[[unit_a.name, "所（队、科室）", "婚姻登记处", "", "", "", ""]]))
    assert unit_a.subunits.get().name == "婚姻登记处"


def test_an_oversized_or_non_xlsx_file_is_refused_clearly(settings):
    with pytest.raises(ValidationError) as error:
        roster_import(upload=io.BytesIO(b"%PDF-1.4 not a workbook"))
    assert "不是 Excel 工作簿" in error.value.messages[0]

    settings.EXCEL_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError) as error:
        roster_import(upload=roster(**VALID))
    assert "上限为" in error.value.messages[0]
    assert Unit.objects.count() == 0


def test_the_command_imports_and_fails_with_a_non_zero_exit(tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(roster(**VALID).getvalue())
    bad.write_bytes(roster(units=[["区民政局", "", "局", "民政", ""]]).getvalue())

    call_command("import_units", str(good))
    assert Unit.objects.count() == 2

    with pytest.raises(CommandError) as error:
        call_command("import_units", str(bad))
    assert "1" in str(error.value)
    assert "第 C 列（类别）" in capsys.readouterr().err
    assert Unit.objects.get(name="区民政局").kind == Focus.DEPARTMENTS


def test_the_office_imports_from_the_page(client, office_user):
    client.force_login(office_user)
    response = client.post("/units/import/", {"file": roster(**VALID)})
    assert response.status_code == 200
    assert "已导入" in response.content.decode()
    assert Unit.objects.count() == 2


def test_the_page_lists_every_error(client, office_user):
    client.force_login(office_user)
    response = client.post("/units/import/", {"file": roster(units=[["", "", "局", "", ""]])})
    page = response.content.decode()
    assert "未导入任何数据" in page
    assert page.count("工作表「单位」第 2 行") == 3


def test_the_template_downloads_with_the_three_sheets(client, office_user):
    import openpyxl

    client.force_login(office_user)
    response = client.get("/units/import/template.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["填写说明", "单位", "基层站所", "联系人"]
    assert [c.value for c in workbook["联系人"][1]] == CONTACT_HEADERS


@pytest.mark.parametrize("user", ["leader_user", "liaison_a", "outsider"])
def test_only_the_office_may_import(client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/units/import/").status_code == 403
    assert client.get("/units/import/template.xlsx").status_code == 403
