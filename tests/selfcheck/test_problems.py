import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from appraisal.models import EvaluationItem, Focus
from appraisal.uploads import UPLOAD_WRONG_TYPE
from selfcheck.models import DUE_DATE_REQUIRED, Problem
from selfcheck.services import (
    problem_create,
    problem_explain,
    problem_rectify,
    problem_start,
    problem_update,
    problem_verify,
)
from selfcheck.services.problems import (
    CANNOT_EXPLAIN,
    CANNOT_RECTIFY,
    CANNOT_START,
    CANNOT_VERIFY,
    DUE_BEFORE_FOUND,
    EVIDENCE_KINDS,
    FOUND_IN_FUTURE,
    ITEM_WRONG_KIND,
    NOTE_REQUIRED,
    PROBLEM_CHANGED,
    PROBLEM_CLOSED,
    SUBUNIT_NOT_OF_UNIT,
)

from ..factories import SubUnitFactory

pytestmark = pytest.mark.django_db

Status = Problem.Status
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def create(year, unit, items, **fields):
    values = {
        "year": year,
        "unit": unit,
        "source": "complaint",
        "found_on": datetime.date(2026, 7, 20),
        "item": items["办事高效"],
        "description": "群众投诉：办理低保审批超过承诺时限",
        "by": None,
    }
    return problem_create(**(values | fields))


def messages_of(error):
    return error.value.message_dict


def test_a_problem_is_created_with_its_text_cleaned(year, unit_a, items, window, liaison_a):
    problem = create(
        year, unit_a, items, subunit=window, description="  第一行\r\n第二行\x0b  ", by=liaison_a, cause="人手不足 "
    )
    problem.refresh_from_db()
    assert problem.description == "第一行\n第二行"
    assert problem.cause == "人手不足"
    assert (problem.status, problem.version, problem.created_by, problem.subunit) == (
        Status.OPEN,
        1,
        liaison_a,
        window,
    )


def test_the_item_must_be_of_the_units_kind(year, unit_a, items):
    industry_item = EvaluationItem.objects.get(kind=Focus.INDUSTRIES, name="依法经营")
    with pytest.raises(ValidationError) as error:
        create(year, unit_a, items, item=industry_item)
    assert messages_of(error) == {
        "item": [str(ITEM_WRONG_KIND) % {"item": "依法经营", "kind": unit_a.get_kind_display()}]
    }
    assert not Problem.objects.exists()


def test_the_sub_unit_must_belong_to_the_unit(year, unit_a, unit_b, items):
    elsewhere = SubUnitFactory(unit=unit_b, name="法律援助中心")
    with pytest.raises(ValidationError) as error:
        create(year, unit_a, items, subunit=elsewhere)
    assert messages_of(error) == {
        "subunit": [str(SUBUNIT_NOT_OF_UNIT) % {"subunit": "法律援助中心", "unit": unit_a.name}]
    }


@pytest.mark.parametrize("disposition", ["deadline", "plan"])
def test_a_deadline_or_plan_needs_a_due_date(year, unit_a, items, disposition):
    with pytest.raises(ValidationError) as error:
        create(year, unit_a, items, disposition=disposition)
    assert messages_of(error) == {"due_on": [str(DUE_DATE_REQUIRED)]}

    problem = create(year, unit_a, items, disposition=disposition, due_on=datetime.date(2026, 10, 31))
    assert problem.due_on == datetime.date(2026, 10, 31)


def test_the_database_refuses_a_deadline_without_a_due_date(year, unit_a, items):
    problem = create(year, unit_a, items)
    problem.disposition = "plan"
    with pytest.raises(IntegrityError), transaction.atomic():
        problem.save()
    # The same constraint speaks to people through model validation.
    with pytest.raises(ValidationError) as error:
        problem.validate_constraints()
    assert error.value.messages == [str(DUE_DATE_REQUIRED)]


def test_dates_must_make_sense(year, unit_a, items):
    with pytest.raises(ValidationError) as error:
        create(
            year,
            unit_a,
            items,
            found_on=datetime.date(2026, 8, 11),
            disposition="deadline",
            due_on=datetime.date(2026, 8, 1),
        )
    assert messages_of(error) == {"found_on": [str(FOUND_IN_FUTURE)], "due_on": [str(DUE_BEFORE_FOUND)]}


def test_an_update_bumps_the_version_and_an_unchanged_one_writes_nothing(year, unit_a, items, problem_of):
    problem = problem_of(unit_a)
    same = problem_update(problem=problem, by=None, cause=problem.cause + "  ", item=problem.item)
    assert same.version == 1

    changed = problem_update(problem=problem, by=None, measure="增设午间服务岗", responsible="李明")
    changed.refresh_from_db()
    assert (changed.version, changed.measure, changed.responsible) == (2, "增设午间服务岗", "李明")
    assert changed.description == problem.description


def test_an_update_from_an_old_copy_is_refused(year, unit_a, problem_of):
    problem = problem_of(unit_a)
    problem_update(problem=problem, by=None, note="第一次修改")
    with pytest.raises(ValidationError) as error:
        problem_update(problem=problem, by=None, expected_version=1, note="基于旧页面的修改")
    assert error.value.messages == [str(PROBLEM_CHANGED)]
    problem.refresh_from_db()
    assert problem.note == "第一次修改"


def test_an_update_cannot_break_the_rules(year, unit_a, problem_of):
    problem = problem_of(unit_a)
    with pytest.raises(ValidationError) as error:
        problem_update(problem=problem, by=None, disposition="deadline")
    assert messages_of(error) == {"due_on": [str(DUE_DATE_REQUIRED)]}


def test_only_register_fields_can_be_updated(year, unit_a, problem_of):
    with pytest.raises(TypeError):
        problem_update(problem=problem_of(unit_a), by=None, status="verified")


def test_the_whole_rectification_path(year, unit_a, problem_of, office_user, liaison_a):
    problem = problem_of(unit_a)
    problem = problem_start(problem=problem, by=liaison_a)
    assert (problem.status, problem.version) == (Status.IN_PROGRESS, 2)
    assert problem.started_at is not None

    evidence = SimpleUploadedFile("整改照片.png", PNG, content_type="image/png")
    problem = problem_rectify(problem=problem, by=liaison_a, note="已实行午间轮班", evidence=evidence)
    problem.refresh_from_db()
    assert (problem.status, problem.rectification_note, problem.version) == (Status.RECTIFIED, "已实行午间轮班", 3)
    assert problem.evidence_name == "整改照片.png" and problem.evidence_kind == "png"
    assert problem.evidence.name.startswith("selfcheck/evidence/") and "整改" not in problem.evidence.name
    assert problem.evidence.read() == PNG

    problem = problem_verify(problem=problem, by=office_user)
    assert (problem.status, problem.verified_by, problem.version) == (Status.VERIFIED, office_user, 4)
    assert problem.verified_at is not None


def test_a_problem_can_be_rectified_straight_from_open(year, unit_a, problem_of):
    problem = problem_rectify(problem=problem_of(unit_a), by=None, note="当场整改")
    assert problem.status == Status.RECTIFIED and problem.started_at == problem.rectified_at


def test_illegal_moves_are_refused_with_a_clear_message(year, unit_a, problem_of, office_user):
    problem = problem_of(unit_a)
    with pytest.raises(ValidationError) as error:
        problem_verify(problem=problem, by=office_user)
    assert error.value.messages == [str(CANNOT_VERIFY) % {"status": Status.OPEN.label}]

    problem_rectify(problem=problem, by=None, note="已整改")
    for action, message in [(problem_start, CANNOT_START), (problem_explain, CANNOT_EXPLAIN)]:
        with pytest.raises(ValidationError) as error:
            action(problem=problem, by=None, **({"note": "x"} if action is problem_explain else {}))
        assert error.value.messages == [str(message) % {"status": Status.RECTIFIED.label}]
    with pytest.raises(ValidationError) as error:
        problem_rectify(problem=problem, by=None, note="再次整改")
    assert error.value.messages == [str(CANNOT_RECTIFY) % {"status": Status.RECTIFIED.label}]
    problem.refresh_from_db()
    assert (problem.status, problem.version) == (Status.RECTIFIED, 2)


def test_rectifying_needs_a_note_and_a_real_document_or_photo(year, unit_a, problem_of):
    problem = problem_of(unit_a)
    with pytest.raises(ValidationError) as error:
        problem_rectify(problem=problem, by=None, note="   ")
    assert messages_of(error) == {"note": [str(NOTE_REQUIRED)]}

    script = SimpleUploadedFile("evidence.png", b"#!/bin/sh\nrm -rf /\n")
    with pytest.raises(ValidationError) as error:
        problem_rectify(problem=problem, by=None, note="已整改", evidence=script)
    kinds = "、".join(EVIDENCE_KINDS)
    assert error.value.messages == [str(UPLOAD_WRONG_TYPE) % {"kinds": kinds, "name": "evidence.png"}]
    problem.refresh_from_db()
    assert problem.status == Status.OPEN and not problem.evidence


def test_explaining_closes_the_problem_and_sets_the_disposition(year, unit_a, problem_of):
    problem = problem_explain(problem=problem_of(unit_a), by=None, note="涉及市级审批权限，区级无法调整")
    assert (problem.status, problem.disposition) == (Status.EXPLAINED, "explain")
    assert problem.explanation == "涉及市级审批权限，区级无法调整"


def test_a_closed_problem_cannot_be_changed(year, unit_a, problem_of):
    problem = problem_explain(problem=problem_of(unit_a), by=None, note="无法解决")
    with pytest.raises(ValidationError) as error:
        problem_update(problem=problem, by=None, note="补充说明")
    assert error.value.messages == [str(PROBLEM_CLOSED) % {"status": Status.EXPLAINED.label}]


def test_no_inspector_identity_is_stored_on_a_problem():
    names = {field.name for field in Problem._meta.get_fields()}
    assert not names & {"inspector", "supervisor", "inspection", "found_by", "reporter"}


def test_evidence_bytes_are_checked_not_the_name(year, unit_a, problem_of):
    pdf = SimpleUploadedFile("scan.jpg", b"%PDF-1.4\n" + b"0" * 100)
    problem = problem_rectify(problem=problem_of(unit_a), by=None, note="已整改", evidence=pdf)
    assert problem.evidence_kind == "pdf" and problem.evidence.name.endswith(".pdf")
    assert problem.evidence.read().startswith(b"%PDF-1.4")
