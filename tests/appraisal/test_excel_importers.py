"""Every import reads the workbooks units really send: one sheet named as they like, a title row above the headers.

Each importer gets a single sheet called “Sheet1” whose headers sit under a title and a blank row; it imports,
and a wrong cell is reported on the file's own sheet and row.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from appraisal.models import Focus
from appraisal.services import appraisal_year_create
from hearings.models import SurveyResult
from hearings.survey_import import SURVEY_SHEET, survey_results_import
from supervisors.models import Supervisor
from supervisors.services.imports import SUPERVISOR_SHEET, supervisors_import
from units.models import DisclosureItem, ServiceObject, SubUnit, Unit
from units.services.disclosures import DISCLOSURE_SHEET, disclosures_import
from units.services.roster_import import UNIT_SHEET, roster_import
from units.services.service_objects import SERVICE_OBJECT_SHEET, service_objects_import

from ..excel_files import workbook_bytes

pytestmark = pytest.mark.django_db

TITLE = ["2026年度民主评议资料（本单位自制表格）"]


def own_workbook(spec, *rows):
    """The unit's own workbook: one sheet named Sheet1, a title and a blank row, then the spec's headers."""
    return workbook_bytes({"Sheet1": [TITLE, [], [column.header for column in spec.columns], *rows]})


def refused(run):
    with pytest.raises(ValidationError) as error:
        run()
    return error.value.messages


@pytest.fixture
def year(db):
    return appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)


def test_roster(year):
    row = ["区城管局", "城管", str(Focus.DEPARTMENTS.label), "城建", "是"]
    result = roster_import(upload=own_workbook(UNIT_SHEET, row))
    assert result.created["units"] == 1 and Unit.objects.filter(name="区城管局").exists()

    messages = refused(lambda: roster_import(upload=own_workbook(UNIT_SHEET, row, ["区水务局", "", "机关", "水务"])))
    assert messages == ["工作表「Sheet1」第 5 行，第 C 列（类别）：不允许填写“机关”，只能填写：行业、部门。"]


def test_supervisors(year, unit_a):
    sector = str(Supervisor.Sector.ENTERPRISE.label)
    row = ["周明", sector, "某科技公司", "", "13800000001", "", "区监督员队伍", datetime.date(2026, 7, 1)]
    result = supervisors_import(upload=own_workbook(SUPERVISOR_SHEET, row))
    assert result.created == 1 and Supervisor.objects.filter(name="周明").exists()

    bad = ["吴刚", sector, "", "", "电话", "", "区监督员队伍", None]
    messages = refused(lambda: supervisors_import(upload=own_workbook(SUPERVISOR_SHEET, bad)))
    assert messages[0].startswith("工作表「Sheet1」第 4 行，第 E 列（联系电话）：")


def test_survey(year, unit_a):
    result = survey_results_import(upload=own_workbook(SURVEY_SHEET, [unit_a.name, 100, 60, 30, 6, 4]), year=year)
    assert result.created == 1 and SurveyResult.objects.get(unit=unit_a).respondents == 100

    messages = refused(
        lambda: survey_results_import(upload=own_workbook(SURVEY_SHEET, [unit_a.name, "很多", 1, 1, 1, 1]), year=year)
    )
    assert messages == ["工作表「Sheet1」第 4 行，第 B 列（参评人数）：“很多”不是整数。"]


def test_disclosures(year, unit_a):
    row = [str(DisclosureItem.Kind.TIME_LIMIT.label), "婚姻登记", "", "", 5, 1]
    disclosures_import(year=year, unit=unit_a, upload=own_workbook(DISCLOSURE_SHEET, row))
    assert DisclosureItem.objects.get(unit=unit_a).promised_days == 1

    messages = refused(
        lambda: disclosures_import(
            year=year, unit=unit_a, upload=own_workbook(DISCLOSURE_SHEET, row, [None, "收养登记"])
        )
    )
    assert messages == ["工作表「Sheet1」第 5 行，第 A 列（类别）：此项必填。"]


def test_service_objects(year, unit_a):
    row = ["李华", "教师", "秦淮区某路1号", "13900000001"]
    service_objects_import(year=year, unit=unit_a, upload=own_workbook(SERVICE_OBJECT_SHEET, row))
    assert ServiceObject.objects.get(unit=unit_a).name == "李华"

    messages = refused(
        lambda: service_objects_import(year=year, unit=unit_a, upload=own_workbook(SERVICE_OBJECT_SHEET, row, row))
    )
    assert messages == ["工作表「Sheet1」第 5 行，第 D 列（常用电话）：与第 4 行重复。"]


def test_a_roster_of_several_sheets_keeps_its_sheet_names(year):
    """The roster's sub-unit sheet is optional: in a one-sheet workbook that sheet is the unit sheet, never both."""
    upload = own_workbook(UNIT_SHEET, ["区城管局", "", str(Focus.DEPARTMENTS.label), "城建", ""])
    roster_import(upload=upload)
    assert not SubUnit.objects.exists()
