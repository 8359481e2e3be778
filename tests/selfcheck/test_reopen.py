"""The office sends back a rectification it finds insufficient; the unit sees why."""

import pytest
from django.core.exceptions import ValidationError

from selfcheck.models import Problem
from selfcheck.services import problem_rectify, problem_reopen, problem_start
from selfcheck.services.problems import CANNOT_REOPEN, REOPEN_COMMENT_REQUIRED

pytestmark = pytest.mark.django_db


@pytest.fixture
def rectified(problem_of, unit_a, liaison_a):
    problem = problem_start(problem=problem_of(unit_a), by=liaison_a)
    return problem_rectify(problem=problem, by=liaison_a, note="已实行午间轮班")


def test_the_office_sends_a_rectification_back_with_a_comment(rectified, office_user):
    with pytest.raises(ValidationError) as error:
        problem_reopen(problem=rectified, by=office_user, comment=" ")
    assert error.value.messages == [str(REOPEN_COMMENT_REQUIRED)]

    problem = problem_reopen(problem=rectified, by=office_user, comment="未见轮班表，请补充佐证材料")
    assert (problem.status, problem.review_comment, problem.rectified_at) == (
        Problem.Status.IN_PROGRESS,
        "未见轮班表，请补充佐证材料",
        None,
    )
    with pytest.raises(ValidationError) as error:
        problem_reopen(problem=problem, by=office_user, comment="再次退回")
    assert error.value.messages == [str(CANNOT_REOPEN) % {"status": Problem.Status.IN_PROGRESS.label}]


def test_the_liaison_sees_why_on_the_problem_page(client, rectified, office_user, liaison_a):
    client.force_login(office_user)
    client.post(f"/selfcheck/problems/{rectified.pk}/reopen/", {"comment": "未见轮班表"})
    client.force_login(liaison_a)
    assert "未见轮班表" in client.get(f"/selfcheck/problems/{rectified.pk}/").content.decode()


@pytest.mark.parametrize(("user", "status"), [("liaison_a", 403), ("leader_user", 403), ("liaison_b", 404)])
def test_only_the_office_sends_back(client, request, rectified, user, status):
    client.force_login(request.getfixturevalue(user))
    assert client.post(f"/selfcheck/problems/{rectified.pk}/reopen/", {"comment": "x"}).status_code == status
    rectified.refresh_from_db()
    assert rectified.status == Problem.Status.RECTIFIED
