"""Import of supervisors from Excel: every row checked first, all or nothing, the same rules as on the pages."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from appraisal.excel import CELL_ERROR, NOT_XLSX, REQUIRED
from supervisors.models import Appointment, Supervisor
from supervisors.services import appointments as rules
from supervisors.services import imports, supervisors_import

from ..excel_files import workbook_bytes
from ..factories import AppointmentFactory, SupervisorFactory

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "界别", "工作单位", "所在被评议单位", "联系电话", "电子信箱", "所属队伍", "任期开始"]
SERVICE_OBJECT = str(Supervisor.Sector.SERVICE_OBJECT.label)


def sheet(*rows):
    return workbook_bytes({"监督员": [HEADERS, *rows]})


def valid_rows(unit_a):
    return [
        ["张国华", "npc_deputy", "区人大", "", "13905141201", "zgh@163.com", "区监督员队伍", ""],
        ["胡秀珍", SERVICE_OBJECT, "居民", "", "13905141213", "", unit_a.name, "2026-07-10"],
    ]


def error(row, column, header, message):
    return str(CELL_ERROR) % {"sheet": "监督员", "row": row, "column": column, "header": header, "message": message}


def test_a_valid_file_creates_supervisors_and_their_appointments(year, unit_a):
    result = supervisors_import(upload=sheet(*valid_rows(unit_a)))
    assert (result.created, result.updated, result.appointed) == (2, 0, 2)
    district = Appointment.objects.get(supervisor__name="张国华")
    team = Appointment.objects.get(supervisor__name="胡秀珍")
    assert (district.unit, district.year, str(district.starts_on)) == (None, year, "2026-07-01")
    assert (team.unit, str(team.starts_on), team.supervisor.sector) == (unit_a, "2026-07-10", "service_object")


def test_importing_again_updates_and_appoints_nobody_twice(year, unit_a):
    supervisors_import(upload=sheet(*valid_rows(unit_a)))
    rows = valid_rows(unit_a)
    rows[0][2] = "秦淮区人大常委会"
    result = supervisors_import(upload=sheet(*rows))
    assert (result.created, result.updated, result.appointed) == (0, 2, 0)
    assert Supervisor.objects.get(name="张国华").employer == "秦淮区人大常委会"
    assert Appointment.objects.count() == 2


def test_errors_in_several_rows_are_all_reported_and_nothing_is_written(year, unit_a, unit_b):
    on_district = AppointmentFactory(year=year, supervisor=SupervisorFactory(name="王建平", phone="13905141203"))
    rows = [
        ["", "npc_deputy", "", "", "13905141201", "", "区监督员队伍", ""],  # 2: no name
        ["李秀英", "npc_deputy", "", "", "abc", "", "区监督员队伍", ""],  # 3: bad phone
        ["刘桂兰", "cppcc_member", "区民政局", unit_a.name, "13905141204", "", unit_a.name, ""],  # 4: employer
        ["王建平", "cppcc_member", "", "", "13905141203", "", unit_b.name, ""],  # 5: already on the district team
        ["陈志强", "other", "", "", "13905141205", "", "区教育局", ""],  # 6: unknown team
        ["新人", "other", "", "", "13905141299", "", "区监督员队伍", ""],  # 7: fine
    ]
    with pytest.raises(ValidationError) as raised:
        supervisors_import(upload=sheet(*rows))
    messages = raised.value.messages
    assert error(2, "A", "姓名", str(REQUIRED)) in messages
    assert any(m.startswith(error(3, "E", "联系电话", "")) for m in messages)
    team = str(imports.UNKNOWN_TEAM) % {"district": "区监督员队伍", "name": "区教育局"}
    assert error(6, "G", "所属队伍", team) in messages
    assert len(messages) == 3  # the rules are checked once every cell is right
    assert Supervisor.objects.count() == 1 and Appointment.objects.count() == 1

    rows = rows[2:4] + rows[5:]
    with pytest.raises(ValidationError) as raised:
        supervisors_import(upload=sheet(*rows))
    assert raised.value.messages == [
        error(2, "G", "所属队伍", str(rules.EMPLOYER_TEAM) % {"supervisor": "刘桂兰", "unit": unit_a.name}),
        error(
            3,
            "G",
            "所属队伍",
            str(rules.NO_CONCURRENT_ROLES)
            % {"supervisor": "王建平", "team": on_district.team_name, "last_day": on_district.ends_on},
        ),
    ]
    assert Supervisor.objects.count() == 1 and Appointment.objects.count() == 1


def test_the_district_team_size_counts_the_rows_of_the_file(year):
    year.district_team_size = 1
    year.save()
    rows = [[f"监督员{i}", "other", "", "", f"1390514120{i}", "", "区监督员队伍", ""] for i in range(2)]
    with pytest.raises(ValidationError) as raised:
        supervisors_import(upload=sheet(*rows))
    assert raised.value.messages == [
        error(3, "G", "所属队伍", str(rules.DISTRICT_TEAM_FULL) % {"size": 1, "year": 2026})
    ]


def test_a_file_that_is_not_xlsx_is_refused(year):
    upload = io.BytesIO("name,phone\n张国华,139\n".encode())
    with pytest.raises(ValidationError) as raised:
        supervisors_import(upload=upload)
    assert raised.value.messages == [str(NOT_XLSX)]


def test_the_command_imports_or_reports_every_error(year, unit_a, tmp_path, capsys):
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(sheet(*valid_rows(unit_a)).getvalue())
    bad.write_bytes(sheet(["张三", "npc_deputy", "", "", "abc", "", "不存在", ""]).getvalue())

    with pytest.raises(CommandError):
        call_command("import_supervisors", str(bad))
    err = capsys.readouterr().err
    assert "联系电话" in err and "所属队伍" in err
    assert not Supervisor.objects.exists()

    call_command("import_supervisors", str(good))
    assert Supervisor.objects.count() == 2
