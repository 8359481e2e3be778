"""The register in Excel: the official layout, the exact round trip, and every way an upload can be wrong."""

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from appraisal import excel
from selfcheck.models import DUE_DATE_REQUIRED, Problem
from selfcheck.services import problem_rectify, problem_update, problem_verify, register_import
from selfcheck.services.imports import (
    CHANGED_AFTER_EXPORT,
    NOT_IN_REGISTER,
    REPEATED_ROW,
    STATUS_NOT_IN_WORKBOOK,
    UNIT_MISMATCH,
)
from selfcheck.services.problems import PROBLEM_CLOSED
from selfcheck.services.workbook import HEADERS, LISTS_SHEET, REGISTER_SHEET, unit_register_spec

from ..excel_files import workbook_bytes
from .files import ALL_HEADERS, data_rows, export, label, load, new_row, register_file, save

pytestmark = pytest.mark.django_db

Status, Source, Disposition = Problem.Status, Problem.Source, Problem.Disposition
HYPERLINK = '=HYPERLINK("http://evil.example/steal","点此查看详情")'


def import_(year, unit, upload, by=None):
    return register_import(year=year, unit=unit, upload=upload, by=by)


def snapshot(unit):
    return {p.pk: model_to_dict(p) | {"updated_at": p.updated_at} for p in Problem.objects.filter(unit=unit)}


def column(header):
    return HEADERS.index(header) + 1


# The layout


def test_the_export_keeps_the_official_columns_and_writes_real_dates(year, unit_a, window, problem_of):
    problem = problem_of(unit_a, subunit=window, disposition="deadline", due_on=datetime.date(2026, 9, 30))
    workbook = load(export(year, unit_a))

    assert workbook.sheetnames[0] == REGISTER_SHEET
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    sheet = workbook[REGISTER_SHEET]
    assert [cell.value for cell in sheet[1]] == [*HEADERS, "编号", "版本"]
    assert sheet.column_dimensions["O"].hidden and sheet.column_dimensions["P"].hidden
    assert data_rows(workbook) == [
        [
            1,
            "区民政局",
            "婚姻登记处",
            label(Source.SELF_CHECK),
            datetime.datetime(2026, 7, 20),
            "依法行政",
            problem.description,
            problem.cause,
            problem.measure,
            label(Disposition.DEADLINE),
            "王芳",
            datetime.datetime(2026, 9, 30),
            label(Status.OPEN),
            None,
            problem.pk,
            1,
        ]
    ]
    assert sheet.cell(2, column("发现日期")).is_date


def test_the_closed_lists_are_drop_downs_fed_from_the_hidden_sheet(year, unit_a, window):
    workbook = load(export(year, unit_a))
    validations = {
        str(v.sqref).split(":")[0]: v.formula1 for v in workbook[REGISTER_SHEET].data_validations.dataValidation
    }
    assert validations == {
        "C2": f"'{LISTS_SHEET}'!$E$2:$E$2",
        "D2": f"'{LISTS_SHEET}'!$A$2:$A$10",
        "F2": f"'{LISTS_SHEET}'!$B$2:$B$9",
        "J2": f"'{LISTS_SHEET}'!$C$2:$C$5",
        "M2": f"'{LISTS_SHEET}'!$D$2:$D$3",
    }
    lists = list(workbook[LISTS_SHEET].iter_cols(values_only=True))
    assert [value for value in lists[1] if value][1:] == [
        "依法行政",
        "规范执法",
        "政务公开",
        "办事高效",
        "便民惠民",
        "践诺守信",
        "廉洁从政",
        "文明服务",
    ]
    assert lists[4][1] == "婚姻登记处"


def test_the_blank_template_is_the_export_without_rows(client, liaison_a, year, unit_a, problem_of):
    problem_of(unit_a)
    client.force_login(liaison_a)
    response = client.get(f"/selfcheck/units/{unit_a.pk}/template.xlsx")
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load(b"".join(response.streaming_content))
    assert [cell.value for cell in workbook[REGISTER_SHEET][1]][: len(HEADERS)] == HEADERS
    assert data_rows(workbook) == []


def test_formula_text_is_stored_as_text_and_exported_as_a_text_cell(year, unit_a):
    result = import_(year, unit_a, register_file([new_row(问题描述=HYPERLINK, 备注="=1+1", 责任人="@SUM(A1)")]))
    assert result.added == 1
    problem = Problem.objects.get()
    assert (problem.description, problem.note, problem.responsible) == (HYPERLINK, "=1+1", "@SUM(A1)")

    sheet = load(export(year, unit_a))[REGISTER_SHEET]
    for header in ("问题描述", "备注", "责任人"):
        cell = sheet.cell(2, column(header))
        assert cell.data_type == "s", header
    assert sheet.cell(2, column("问题描述")).value == HYPERLINK


# The round trip


def test_round_trip_changes_exactly_the_edited_cells(year, unit_a, window, problem_of, liaison_a):
    first, second, third = (problem_of(unit_a) for _ in range(3))
    before = snapshot(unit_a)
    workbook = load(export(year, unit_a))
    sheet = workbook[REGISTER_SHEET]
    sheet.cell(2, column("原因分析")).value = "窗口人员配备不足，午间无人轮岗"
    sheet.cell(3, column("整改状态")).value = label(Status.IN_PROGRESS)
    sheet.cell(3, column("站所/窗口")).value = "婚姻登记处"
    sheet.append(new_row(序号=4))

    result = import_(year, unit_a, save(workbook), by=liaison_a)

    assert (result.added, result.updated, result.unchanged) == (1, 2, 1)
    after = snapshot(unit_a)
    assert after.pop(third.pk) == before[third.pk]
    changed_first = {k for k in before[first.pk] if before[first.pk][k] != after[first.pk][k]}
    changed_second = {k for k in before[second.pk] if before[second.pk][k] != after[second.pk][k]}
    assert changed_first == {"cause", "version"}
    assert changed_second == {"status", "subunit", "started_at", "version"}
    assert after[first.pk]["cause"] == "窗口人员配备不足，午间无人轮岗" and after[first.pk]["version"] == 2
    assert after[second.pk]["status"] == Status.IN_PROGRESS and after[second.pk]["subunit"] == window.pk
    added = Problem.objects.exclude(pk__in=before).get()
    assert (added.source, added.item.name, added.due_on, added.created_by) == (
        Source.VISIT,
        "便民惠民",
        datetime.date(2026, 9, 30),
        liaison_a,
    )


def test_exporting_and_uploading_unchanged_is_a_no_op(year, unit_a, problem_of):
    for _ in range(3):
        problem_of(unit_a, note="多行\n备注")
    before = snapshot(unit_a)
    result = import_(year, unit_a, export(year, unit_a))
    assert (result.added, result.updated, result.unchanged) == (0, 0, 3)
    assert snapshot(unit_a) == before


def test_the_same_file_uploaded_twice_changes_nothing_the_second_time(year, unit_a, problem_of):
    problem = problem_of(unit_a)
    workbook = load(export(year, unit_a))
    workbook[REGISTER_SHEET].cell(2, column("备注")).value = "已在周例会上通报"
    workbook[REGISTER_SHEET].append(new_row(序号=2))
    workbook[REGISTER_SHEET].append(new_row(序号=3, 问题描述="座谈会上企业反映办事指南未及时更新"))
    upload = save(workbook)

    first = import_(year, unit_a, upload)
    after_first = snapshot(unit_a)
    upload.seek(0)
    second = import_(year, unit_a, upload)

    assert (first.added, first.updated, first.unchanged) == (2, 1, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 3)
    assert snapshot(unit_a) == after_first
    assert Problem.objects.get(pk=problem.pk).version == 2


def test_a_row_typed_again_without_its_number_is_not_added_twice(year, unit_a, items, problem_of):
    problem = problem_of(unit_a, source="visit", item=items["便民惠民"], found_on=datetime.date(2026, 7, 25))
    row = new_row(
        问题来源=label(Source.VISIT),
        问题描述=problem.description,
        原因分析=problem.cause,
        整改措施=problem.measure,
        整改类别=label(Disposition.IMMEDIATE),
        责任人=problem.responsible,
        整改时限=None,
    )
    result = import_(year, unit_a, register_file([row]))
    assert (result.added, result.unchanged) == (0, 1)
    assert Problem.objects.count() == 1


def test_the_same_new_row_twice_in_one_file_is_reported(year, unit_a):
    with pytest.raises(ValidationError) as error:
        import_(year, unit_a, register_file([new_row(), new_row(序号=2)]))
    assert error.value.messages == [
        excel.cell_error(unit_register_spec(unit_a), 3, "description", str(REPEATED_ROW) % {"row": 2})
    ]


# Refusals


def test_errors_in_several_rows_are_all_reported_and_nothing_is_written(year, unit_a, unit_b, problem_of):
    mine, theirs = problem_of(unit_a), problem_of(unit_b)
    before = snapshot(unit_a)
    rows = [
        new_row(问题来源="道听途说"),
        new_row(发现日期="上周", 问题描述=""),
        new_row(整改时限=None),
        new_row(单位="区司法局"),
        [*new_row(问题描述="改别人的问题"), theirs.pk, 1],
        new_row(问题描述="正确的一行"),
    ]
    with pytest.raises(ValidationError) as error:
        import_(year, unit_a, register_file(rows))

    spec = unit_register_spec(unit_a)
    sources = "、".join(label(choice) for choice in Source)
    assert error.value.messages == [
        excel.cell_error(spec, 2, "source", str(excel.NOT_A_CHOICE) % {"value": "道听途说", "choices": sources}),
        excel.cell_error(spec, 3, "found_on", str(excel.NOT_A_DATE) % {"value": "上周"}),
        excel.cell_error(spec, 3, "description", str(excel.REQUIRED)),
        excel.cell_error(spec, 4, "due_on", str(DUE_DATE_REQUIRED)),
        excel.cell_error(spec, 5, "unit", str(UNIT_MISMATCH) % {"unit": "区民政局", "value": "区司法局"}),
        excel.cell_error(spec, 6, "id", str(NOT_IN_REGISTER) % {"id": theirs.pk, "columns": "O、P"}),
    ]
    assert snapshot(unit_a) == before and Problem.objects.count() == 2
    assert Problem.objects.get(pk=mine.pk).version == 1


def test_a_row_changed_in_the_system_after_export_is_refused(year, unit_a, problem_of):
    problem = problem_of(unit_a, source="inspection")
    workbook = load(export(year, unit_a))
    problem_update(problem=problem, by=None, responsible="刘海燕")
    workbook[REGISTER_SHEET].cell(2, column("整改措施")).value = "另一套整改措施"

    with pytest.raises(ValidationError) as error:
        import_(year, unit_a, save(workbook))

    message = str(CHANGED_AFTER_EXPORT) % {
        "id": problem.pk,
        "source": label(Source.INSPECTION),
        "when": "2026-08-10 10:00",
    }
    assert error.value.messages == [excel.cell_error(unit_register_spec(unit_a), 2, "measure", message)]
    problem.refresh_from_db()
    assert (problem.measure, problem.responsible, problem.version) == ("实行午间轮班，公布值班电话", "刘海燕", 2)


def test_an_unedited_row_of_a_stale_export_is_not_refused(year, unit_a, problem_of):
    problem = problem_of(unit_a)
    upload = export(year, unit_a)
    problem_update(problem=problem, by=None, responsible="刘海燕")
    problem_update(problem=problem, by=None, responsible="王芳")
    result = import_(year, unit_a, upload)
    assert (result.updated, result.unchanged) == (0, 1)


def test_the_workbook_cannot_close_or_verify_a_problem(year, unit_a, problem_of):
    open_problem, rectified = problem_of(unit_a), problem_of(unit_a)
    problem_rectify(problem=rectified, by=None, note="已整改")
    workbook = load(export(year, unit_a))
    sheet = workbook[REGISTER_SHEET]
    sheet.cell(2, column("整改状态")).value = label(Status.VERIFIED)
    sheet.cell(3, column("备注")).value = "整改后补充"
    sheet.append(new_row(整改状态=label(Status.RECTIFIED)))

    with pytest.raises(ValidationError) as error:
        import_(year, unit_a, save(workbook))

    spec = unit_register_spec(unit_a)
    status_message = str(STATUS_NOT_IN_WORKBOOK) % {"states": f"“{label(Status.OPEN)}”、“{label(Status.IN_PROGRESS)}”"}
    assert error.value.messages == [
        excel.cell_error(spec, 2, "status", status_message),
        excel.cell_error(spec, 4, "status", status_message),
    ]
    open_problem.refresh_from_db()
    assert open_problem.status == Status.OPEN


def test_a_verified_problem_cannot_be_edited_through_the_workbook(year, unit_a, problem_of, office_user):
    problem = problem_of(unit_a)
    problem_rectify(problem=problem, by=None, note="已整改")
    problem_verify(problem=problem, by=office_user)
    workbook = load(export(year, unit_a))
    workbook[REGISTER_SHEET].cell(2, column("备注")).value = "核实后又改"
    with pytest.raises(ValidationError) as error:
        import_(year, unit_a, save(workbook))
    message = str(PROBLEM_CLOSED) % {"status": label(Status.VERIFIED)}
    assert error.value.messages == [excel.cell_error(unit_register_spec(unit_a), 2, "note", message)]


# Files that must never be parsed


def test_a_20_mb_file_is_refused_before_parsing(year, unit_a):
    upload = io.BytesIO(b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        import_(year, unit_a, upload)
    assert error.value.messages == [str(excel.FILE_TOO_LARGE) % {"size": 20.0, "limit": 10.0}]


def test_a_zip_bomb_is_refused(year, unit_a):
    bomb = io.BytesIO()
    with zipfile.ZipFile(register_file([new_row()])) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            out.writestr(entry, source.read(entry))
        out.writestr("xl/media/padding.bin", b"\0" * (60 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        import_(year, unit_a, bomb)
    assert error.value.messages == [str(excel.ZIP_BOMB) % {"limit": 200}]
    assert not Problem.objects.exists()


def test_a_text_file_renamed_xlsx_is_refused(year, unit_a):
    upload = io.BytesIO("序号,单位,问题描述\n1,区民政局,=HYPERLINK()\n".encode())
    upload.name = "register.xlsx"
    with pytest.raises(ValidationError) as error:
        import_(year, unit_a, upload)
    assert error.value.messages == [str(excel.NOT_XLSX)]


def test_a_single_sheet_is_read_whatever_its_name_under_a_title_row(year, unit_a):
    title = ["区民政局2026年自查自纠登记表"]
    upload = workbook_bytes({"Sheet1": [title, [], ALL_HEADERS, new_row(), new_row(问题描述="", 序号=2)]})
    with pytest.raises(ValidationError) as error:
        import_(year, unit_a, upload)
    # The row and the sheet are the file's own: the error is on row 5 of “Sheet1”.
    assert error.value.messages == ["工作表「Sheet1」第 5 行，第 G 列（问题描述）：此项必填。"]

    result = import_(year, unit_a, workbook_bytes({"Sheet1": [title, ALL_HEADERS, new_row()]}))
    assert result.added == 1
    assert Problem.objects.get(unit=unit_a).description == "走访中群众反映婚姻登记预约号源不足"


def test_a_workbook_of_several_sheets_needs_the_register_sheet(year, unit_a):
    upload = workbook_bytes({"汇总": [["x"]], "Sheet1": [ALL_HEADERS, new_row()]})
    with pytest.raises(ValidationError) as error:
        import_(year, unit_a, upload)
    assert error.value.messages == [str(excel.SHEET_MISSING) % {"sheet": REGISTER_SHEET, "names": "“汇总”、“Sheet1”"}]
    assert not Problem.objects.filter(unit=unit_a).exists()


def test_every_value_of_the_template_drop_downs_is_accepted_by_the_upload(year, unit_a, window):
    """The lists of the template and the checks of the upload come from the same spec."""
    workbook = load(export(year, unit_a))
    lists = {
        values[0]: [value for value in values[1:] if value]
        for values in workbook[LISTS_SHEET].iter_cols(values_only=True)
    }
    assert lists["整改状态"] == [label(Status.OPEN), label(Status.IN_PROGRESS)]
    sheet = workbook[REGISTER_SHEET]
    longest = max(len(values) for values in lists.values())
    for index in range(longest):
        cells = {header: values[index % len(values)] for header, values in lists.items()}
        sheet.append(new_row(序号=index + 1, 问题描述=f"问题 {index}", **cells))
    result = import_(year, unit_a, save(workbook))
    assert result.added == longest


# The command


def test_the_command_imports_and_reports_errors_on_stderr(year, unit_a, tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(register_file([new_row()]).getvalue())
    bad.write_bytes(register_file([new_row(评议内容="服务态度")]).getvalue())

    call_command("import_selfcheck", "--unit", str(unit_a.pk), str(good))
    assert Problem.objects.filter(unit=unit_a).count() == 1

    with pytest.raises(CommandError):
        call_command("import_selfcheck", "--unit", str(unit_a.pk), str(bad))
    spec = unit_register_spec(unit_a)
    names = "、".join(name for name, _ in spec.column("item").choices)
    expected = excel.cell_error(spec, 2, "item", str(excel.NOT_A_CHOICE) % {"value": "服务态度", "choices": names})
    assert expected in capsys.readouterr().err
    assert Problem.objects.filter(unit=unit_a).count() == 1


def test_the_command_exits_with_a_non_zero_status(year, unit_a, tmp_path, capsys):
    from selfcheck.management.commands.import_selfcheck import Command

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "import_selfcheck", "--unit", str(unit_a.pk), str(bad)])
    assert exit_.value.code != 0
    assert str(excel.NOT_XLSX) in capsys.readouterr().err
