"""The office sends back a rectification it finds insufficient, or reopens a problem it closed by mistake; the unit
is told why and keeps its earlier note and evidence."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from selfcheck.models import Problem, ProblemStep
from selfcheck.services import (
    problem_explain,
    problem_rectify,
    problem_reopen,
    problem_send_back,
    problem_start,
    problem_verify,
    problem_withdraw,
)
from selfcheck.services.problems import (
    CANNOT_REOPEN,
    CANNOT_SEND_BACK,
    CANNOT_WITHDRAW,
    REOPEN_REASON_REQUIRED,
    SEND_BACK_COMMENT_REQUIRED,
    WITHDRAW_REASON_REQUIRED,
)
from units.models import Notification

pytestmark = pytest.mark.django_db

Status, Action = Problem.Status, ProblemStep.Action
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def rectified(problem_of, unit_a, liaison_a):
    problem = problem_start(problem=problem_of(unit_a), by=liaison_a)
    evidence = SimpleUploadedFile("轮班表.png", PNG)
    return problem_rectify(problem=problem, by=liaison_a, note="已实行午间轮班", evidence=evidence)


def test_the_office_sends_a_rectification_back_with_a_comment(rectified, office_user, unit_a):
    with pytest.raises(ValidationError) as error:
        problem_send_back(problem=rectified, by=office_user, comment=" ")
    assert error.value.messages == [str(SEND_BACK_COMMENT_REQUIRED)]

    problem = problem_send_back(problem=rectified, by=office_user, comment="未见轮班表，请补充佐证材料")
    assert (problem.status, problem.review_comment, problem.rectified_at) == (
        Status.IN_PROGRESS,
        "未见轮班表，请补充佐证材料",
        None,
    )
    # The unit's note and evidence stay on the problem.
    assert problem.rectification_note == "已实行午间轮班" and problem.evidence_name == "轮班表.png"
    notice = Notification.objects.get(unit=unit_a)
    assert notice.title == "区行评办退回了问题（序号 1）的整改"
    assert notice.body == "未见轮班表，请补充佐证材料" and notice.url == f"/selfcheck/problems/{problem.pk}/"
    with pytest.raises(ValidationError) as error:
        problem_send_back(problem=problem, by=office_user, comment="再次退回")
    assert error.value.messages == [str(CANNOT_SEND_BACK) % {"status": Status.IN_PROGRESS.label}]


def test_a_verification_is_undone_with_a_reason(rectified, office_user, unit_a):
    problem = problem_verify(problem=rectified, by=office_user)
    with pytest.raises(ValidationError) as error:
        problem_reopen(problem=problem, by=office_user, reason="")
    assert error.value.messages == [str(REOPEN_REASON_REQUIRED)]

    problem = problem_reopen(problem=problem, by=office_user, reason="复查发现午间仍无人值守")
    assert (problem.status, problem.verified_at, problem.verified_by) == (Status.IN_PROGRESS, None, None)
    assert problem.review_comment == "复查发现午间仍无人值守"
    step = problem.steps.last()
    assert (step.action, step.status_from, step.status_to, step.by, step.note) == (
        Action.REOPENED,
        Status.VERIFIED,
        Status.IN_PROGRESS,
        office_user,
        "复查发现午间仍无人值守",
    )
    assert Notification.objects.filter(unit=unit_a, title="区行评办重新打开了问题（序号 1）").exists()


def test_an_explanation_can_be_reopened_but_an_open_problem_cannot(problem_of, unit_a, liaison_a, office_user):
    explained = problem_explain(problem=problem_of(unit_a), by=liaison_a, note="需区政府统筹")
    assert problem_reopen(problem=explained, by=office_user, reason="可先行调整排班").status == Status.IN_PROGRESS
    with pytest.raises(ValidationError) as error:
        problem_reopen(problem=problem_of(unit_a), by=office_user, reason="x")
    assert error.value.messages == [str(CANNOT_REOPEN) % {"status": Status.OPEN.label}]


def test_a_problem_is_withdrawn_only_before_the_unit_rectified_it(problem_of, unit_a, rectified, office_user):
    with pytest.raises(ValidationError) as error:
        problem_withdraw(problem=rectified, by=office_user, reason="误转")
    assert error.value.messages == [str(CANNOT_WITHDRAW) % {"status": Status.RECTIFIED.label}]
    with pytest.raises(ValidationError) as error:
        problem_withdraw(problem=problem_of(unit_a), by=office_user, reason=" ")
    assert error.value.messages == [str(WITHDRAW_REASON_REQUIRED)]
    withdrawn = problem_withdraw(problem=problem_of(unit_a), by=office_user, reason="误转")
    assert withdrawn.status == Status.WITHDRAWN and withdrawn.is_closed and not withdrawn.is_incomplete


def test_the_liaison_sees_why_and_the_earlier_note_on_the_problem_page(client, rectified, office_user, liaison_a):
    client.force_login(office_user)
    client.post(f"/selfcheck/problems/{rectified.pk}/send-back/", {"comment": "未见轮班表"})
    client.force_login(liaison_a)
    page = client.get(f"/selfcheck/problems/{rectified.pk}/").content.decode()
    assert 'id="office-comment"' in page and "未见轮班表" in page
    assert "已实行午间轮班" in page and "轮班表.png" in page


def test_the_office_reopens_from_the_page(client, rectified, office_user):
    problem_verify(problem=rectified, by=office_user)
    client.force_login(office_user)
    assert 'id="reopen-form"' in client.get(f"/selfcheck/problems/{rectified.pk}/").content.decode()
    client.post(f"/selfcheck/problems/{rectified.pk}/reopen/", {"reason": ""})
    rectified.refresh_from_db()
    assert rectified.status == Status.VERIFIED
    client.post(f"/selfcheck/problems/{rectified.pk}/reopen/", {"reason": "复查未通过"})
    rectified.refresh_from_db()
    assert rectified.status == Status.IN_PROGRESS


@pytest.mark.parametrize(("user", "status"), [("liaison_a", 403), ("leader_user", 403), ("liaison_b", 404)])
def test_only_the_office_sends_back(client, request, rectified, user, status):
    client.force_login(request.getfixturevalue(user))
    assert client.post(f"/selfcheck/problems/{rectified.pk}/send-back/", {"comment": "x"}).status_code == status
    rectified.refresh_from_db()
    assert rectified.status == Status.RECTIFIED


@pytest.mark.parametrize(("user", "status"), [("liaison_a", 403), ("leader_user", 403), ("liaison_b", 404)])
def test_only_the_office_reopens(client, request, rectified, office_user, user, status):
    problem_verify(problem=rectified, by=office_user)
    client.force_login(request.getfixturevalue(user))
    assert client.post(f"/selfcheck/problems/{rectified.pk}/reopen/", {"reason": "x"}).status_code == status
    rectified.refresh_from_db()
    assert rectified.status == Status.VERIFIED
