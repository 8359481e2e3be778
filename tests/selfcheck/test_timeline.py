"""Every change of a problem's state is a step of its timeline: who, when, the note, never overwritten."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from appraisal.roles import OFFICE_GROUP
from selfcheck.models import Problem, ProblemStep
from selfcheck.services import (
    problem_create,
    problem_rectify,
    problem_send_back,
    problem_start,
    problem_verify,
    register_import,
)

from ..factories import UserFactory
from .files import export, label, load, new_row, register_file, save

pytestmark = pytest.mark.django_db

Status, Action = Problem.Status, ProblemStep.Action
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
PDF = b"%PDF-1.4\n%%EOF\n"


def steps(problem):
    return list(problem.steps.values_list("action", "status_from", "status_to", "note"))


@pytest.fixture
def created(year, unit_a, items, liaison_a):
    return problem_create(
        year=year,
        unit=unit_a,
        source="self_check",
        found_on=datetime.date(2026, 8, 1),
        item=items["文明服务"],
        description="窗口午休无人值守",
        by=liaison_a,
    )


def test_each_step_is_recorded_and_none_is_overwritten(created, liaison_a, office_user):
    problem = problem_start(problem=created, by=liaison_a)
    problem = problem_rectify(problem=problem, by=liaison_a, note="排班", evidence=SimpleUploadedFile("a.png", PNG))
    problem = problem_send_back(problem=problem, by=office_user, comment="缺排班表")
    problem = problem_rectify(
        problem=problem, by=liaison_a, note="补充排班表", evidence=SimpleUploadedFile("b.pdf", PDF)
    )
    problem = problem_verify(problem=problem, by=office_user)
    assert steps(problem) == [
        (Action.CREATED, "", Status.OPEN, ""),
        (Action.STARTED, Status.OPEN, Status.IN_PROGRESS, ""),
        (Action.RECTIFIED, Status.IN_PROGRESS, Status.RECTIFIED, "排班"),
        (Action.SENT_BACK, Status.RECTIFIED, Status.IN_PROGRESS, "缺排班表"),
        (Action.RECTIFIED, Status.IN_PROGRESS, Status.RECTIFIED, "补充排班表"),
        (Action.VERIFIED, Status.RECTIFIED, Status.VERIFIED, ""),
    ]
    first, second = problem.steps.filter(action=Action.RECTIFIED).order_by("id")
    # Each rectification keeps its own evidence: the second upload did not replace the first one's.
    assert (first.evidence_name, second.evidence_name) == ("a.png", "b.pdf")
    assert first.evidence.read() == PNG and second.evidence.read() == PDF
    assert [s.by_office for s in problem.steps.all()] == [False, False, False, True, False, True]


def test_the_import_records_the_problems_it_adds_and_starts(year, unit_a, liaison_a):
    register_import(year=year, unit=unit_a, upload=register_file([new_row()]), by=liaison_a)
    problem = Problem.objects.get(unit=unit_a)
    assert steps(problem) == [(Action.CREATED, "", Status.OPEN, "通过 Excel 上传")]

    workbook = load(export(year, unit_a))
    sheet = workbook["自查自纠登记表"]
    sheet.cell(2, 13).value = label(Status.IN_PROGRESS)
    register_import(year=year, unit=unit_a, upload=save(workbook), by=liaison_a)
    assert steps(problem)[-1] == (Action.STARTED, Status.OPEN, Status.IN_PROGRESS, "通过 Excel 上传")
    assert problem.steps.last().by == liaison_a


def test_the_page_shows_the_timeline_and_the_office_as_the_office(client, created, liaison_a):
    reviewer = UserFactory(username="office-wang", first_name="王审核", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=OFFICE_GROUP))
    problem = problem_start(problem=created, by=liaison_a)
    problem = problem_rectify(problem=problem, by=liaison_a, note="排班", evidence=SimpleUploadedFile("a.png", PNG))
    problem_send_back(problem=problem, by=reviewer, comment="缺排班表")

    client.force_login(liaison_a)
    page = client.get(f"/selfcheck/problems/{problem.pk}/").content.decode()
    assert page.count('class="timeline-step') == 4
    assert "区行评办退回整改" in page and "缺排班表" in page and "王审核" not in page
    step = problem.steps.get(action=Action.RECTIFIED)
    assert f"/selfcheck/problems/{problem.pk}/steps/{step.pk}/evidence/" in page
    response = client.get(f"/selfcheck/problems/{problem.pk}/steps/{step.pk}/evidence/")
    assert b"".join(response.streaming_content) == PNG

    client.force_login(reviewer)
    assert "区行评办（王审核）" in client.get(f"/selfcheck/problems/{problem.pk}/").content.decode()


def test_the_problem_page_has_a_fixed_number_of_queries(client, created, liaison_a, office_user):
    client.force_login(liaison_a)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/selfcheck/problems/{created.pk}/")
    problem = created
    for round_ in range(3):
        problem = problem_rectify(problem=problem, by=liaison_a, note=f"第 {round_} 次")
        problem = problem_send_back(problem=problem, by=office_user, comment="再改")
    with CaptureQueriesContext(connection) as many:
        client.get(f"/selfcheck/problems/{created.pk}/")
    assert problem.steps.count() == 7
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(("user", "status"), [("liaison_b", 404), ("outsider", 404), ("leader_user", 200)])
def test_a_steps_evidence_is_the_units_and_the_offices(client, request, created, liaison_a, user, status):
    problem = problem_rectify(problem=created, by=liaison_a, note="排班", evidence=SimpleUploadedFile("a.png", PNG))
    step = problem.steps.get(action=Action.RECTIFIED)
    client.force_login(request.getfixturevalue(user))
    assert client.get(f"/selfcheck/problems/{problem.pk}/steps/{step.pk}/evidence/").status_code == status


def test_a_step_without_evidence_or_of_another_problem_is_not_found(client, created, liaison_a, problem_of, unit_a):
    other = problem_of(unit_a)
    client.force_login(liaison_a)
    step = created.steps.get()
    assert client.get(f"/selfcheck/problems/{created.pk}/steps/{step.pk}/evidence/").status_code == 404
    assert client.get(f"/selfcheck/problems/{other.pk}/steps/{step.pk}/evidence/").status_code == 404
