"""The office undoes its acceptance of an inspection, with a reason: the problems it put in the unit's register are
withdrawn (the unit is told), the findings are free to be accepted again, and the supervisor is told."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from inspections import services
from inspections.models import Inspection
from selfcheck.models import Problem, ProblemStep
from selfcheck.services import problem_create
from selfcheck.services.problems import problem_start, problem_withdraw
from units.models import Notification

from ..factories import first_item_of
from .conftest import at

pytestmark = pytest.mark.django_db

REASON = "发现问题所在窗口填写有误，需监督员核实"


def refusal(**kwargs):
    with pytest.raises(ValidationError) as error:
        services.inspection_reopen(**kwargs)
    return error.value


@pytest.fixture
def accepted(make_inspection, office_user):
    """An accepted inspection with two findings, now two open problems of unit_a's register."""
    inspection = make_inspection(findings=2, submit=True)
    services.inspection_accept(inspection=inspection, by=office_user)
    inspection.refresh_from_db()
    return inspection


def reopen(inspection, by, back_to_supervisor=True, reason=REASON):
    return services.inspection_reopen(
        inspection=inspection, by=by, reason=reason, back_to_supervisor=back_to_supervisor
    )


def test_a_reason_is_required(accepted, office_user):
    error = refusal(inspection=accepted, by=office_user, reason=" \n ", back_to_supervisor=True)
    assert error.message_dict == {"reason": [str(services.REOPEN_REASON_REQUIRED)]}
    assert Problem.objects.filter(status="open").count() == 2


@pytest.mark.parametrize("submit", [False, True])
def test_only_an_accepted_inspection_can_be_reopened(make_inspection, office_user, submit):
    inspection = make_inspection(submit=submit)
    status = Inspection.Status.SUBMITTED if submit else Inspection.Status.DRAFT
    error = refusal(inspection=inspection, by=office_user, reason=REASON, back_to_supervisor=False)
    assert error.messages == [str(services.NOT_ACCEPTED % {"status": status.label})]
    assert not inspection.steps.filter(kind="reopened").exists()


def test_refused_naming_the_register_numbers_once_the_unit_has_acted(
    make_inspection, office_user, liaison_a, year, unit_a
):
    # The unit's own problem comes first in its register, so the inspection's problems are No. 2 and 3.
    problem_create(
        year=year, unit=unit_a, source="self_check", found_on=at("2026-07-19 09:00").date(),
        item=first_item_of(unit_a), description="自查发现", by=liaison_a,
    )  # fmt: skip
    inspection = make_inspection(findings=2, submit=True)
    services.inspection_accept(inspection=inspection, by=office_user)
    second, third = Problem.objects.filter(source="inspection").order_by("id")
    problem_start(problem=third, by=liaison_a)
    error = refusal(inspection=inspection, by=office_user, reason=REASON, back_to_supervisor=True)
    assert error.messages == [str(services.UNIT_HAS_ACTED % {"numbers": "3"})]
    assert "序号为 3 的问题" in error.messages[0]
    second.refresh_from_db()
    inspection.refresh_from_db()
    assert (second.status, inspection.status) == ("open", "accepted")
    assert inspection.findings.filter(problem=None).count() == 0


def test_the_problems_are_withdrawn_with_the_reason_and_the_unit_is_told(accepted, office_user, unit_a):
    problems = list(Problem.objects.order_by("id"))
    reopen(accepted, office_user)
    for number, problem in enumerate(problems, start=1):
        problem.refresh_from_db()
        assert problem.status == "withdrawn"
        step = problem.steps.get(action=ProblemStep.Action.WITHDRAWN)
        assert (step.note, step.by, step.status_from) == (REASON, office_user, "open")
        notice = Notification.objects.get(unit=unit_a, url=f"/selfcheck/problems/{problem.pk}/")
        assert (notice.title, notice.body) == (f"区行评办撤销了问题（序号 {number}）", REASON)


def test_the_findings_are_unlinked_and_accepting_again_enters_them_anew(accepted, office_user, supervisor_user):
    old = set(Problem.objects.values_list("pk", flat=True))
    reopen(accepted, office_user, back_to_supervisor=True)
    assert accepted.findings.exclude(problem=None).count() == 0
    services.inspection_submit(inspection=accepted, by=supervisor_user)
    services.inspection_accept(inspection=accepted, by=office_user)
    new = set(Problem.objects.filter(status="open").values_list("pk", flat=True))
    assert len(new) == 2 and not new & old
    assert set(accepted.findings.values_list("problem", flat=True)) == new
    assert Problem.objects.filter(pk__in=old, status="withdrawn").count() == 2


def test_back_to_the_supervisor_returns_it_with_the_reason(accepted, office_user, supervisor_user):
    reopen(accepted, office_user, back_to_supervisor=True)
    accepted.refresh_from_db()
    assert (accepted.status, accepted.review_comment, accepted.reviewed_by) == ("returned", REASON, office_user)
    assert accepted.is_editable


def test_back_to_review_puts_it_in_the_queue(accepted, office_user):
    from inspections.selectors import review_queue

    reopen(accepted, office_user, back_to_supervisor=False)
    accepted.refresh_from_db()
    assert (accepted.status, accepted.review_comment, accepted.reviewed_by) == ("submitted", "", None)
    assert list(review_queue()) == [accepted]
    services.inspection_accept(inspection=accepted, by=office_user)
    assert Problem.objects.filter(status="open").count() == 2


def test_a_step_is_recorded_and_the_earlier_ones_kept(accepted, office_user):
    reopen(accepted, office_user)
    assert list(accepted.steps.values_list("kind", "note", "by__username")) == [
        ("submitted", "", None),
        ("accepted", "", "office"),
        ("reopened", REASON, "office"),
    ]


def test_the_supervisor_is_told_by_notification_and_email(
    accepted, office_user, supervisor_user, django_capture_on_commit_callbacks
):
    supervisor_user.email = "zhang@example.cn"
    supervisor_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        reopen(accepted, office_user, back_to_supervisor=True)
    notice = Notification.objects.filter(user=supervisor_user).latest("id")
    assert notice.title == "区行评办撤销了对您2026-07-20对区民政局的明查暗访记录的采纳"
    assert notice.body.startswith(REASON) and "请按区行评办的意见修改后重新提交" in notice.body
    assert (notice.url, notice.created_by) == (f"/inspections/{accepted.pk}/", office_user)
    to_supervisor = [message for message in mail.outbox if message.to == ["zhang@example.cn"]]
    assert len(to_supervisor) == 1 and REASON in to_supervisor[0].body


def test_a_problem_the_office_already_withdrew_is_left_as_it_is(accepted, office_user):
    first, second = Problem.objects.order_by("id")
    problem_withdraw(problem=first, by=office_user, reason="重复登记")
    reopen(accepted, office_user, back_to_supervisor=False)
    assert list(first.steps.filter(action="withdrawn").values_list("note", flat=True)) == ["重复登记"]
    second.refresh_from_db()
    assert second.status == "withdrawn"
    assert accepted.findings.exclude(problem=None).count() == 0


def test_an_inspection_that_found_nothing_is_reopened_too(make_inspection, office_user):
    inspection = make_inspection(findings=0, submit=True)
    services.inspection_accept(inspection=inspection, by=office_user)
    reopen(inspection, office_user, back_to_supervisor=False)
    inspection.refresh_from_db()
    assert inspection.status == "submitted" and not Problem.objects.exists()


# The page and its form --------------------------------------------------------------------------------------


def test_the_office_sees_the_form_on_an_accepted_inspection_only(client_for, office_user, accepted, make_inspection):
    from .test_handoffs import forms_of

    client = client_for(office_user)
    page = client.get(f"/inspections/{accepted.pk}/")
    assert (
        f'action="/inspections/{accepted.pk}/reopen/"' in page.content.decode() and "撤销采纳" in page.content.decode()
    )
    assert (forms_of(page).nested, forms_of(page).orphans) == (0, 0)
    submitted = make_inspection(submit=True)
    assert 'id="reopen"' not in client.get(f"/inspections/{submitted.pk}/").content.decode()


def test_the_supervisor_and_leaders_do_not_see_the_form(client_for, supervisor_user, leader_user, accepted):
    for user in (supervisor_user, leader_user):
        assert 'id="reopen"' not in client_for(user).get(f"/inspections/{accepted.pk}/").content.decode()


def test_the_button_reopens_back_to_the_supervisor(client_for, office_user, accepted):
    response = client_for(office_user).post(
        f"/inspections/{accepted.pk}/reopen/", {"reason": REASON, "back_to": "supervisor"}, follow=True
    )
    assert response.redirect_chain == [(f"/inspections/{accepted.pk}/", 302)]
    assert "已撤销采纳：记录已退回监督员。" in response.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == "returned"


def test_the_button_reopens_back_to_review(client_for, office_user, accepted):
    client_for(office_user).post(f"/inspections/{accepted.pk}/reopen/", {"reason": REASON, "back_to": "review"})
    accepted.refresh_from_db()
    assert accepted.status == "submitted"


def test_the_form_shows_a_missing_reason_and_a_refusal(client_for, office_user, liaison_a, accepted):
    client = client_for(office_user)
    page = client.post(f"/inspections/{accepted.pk}/reopen/", {"reason": "", "back_to": "supervisor"})
    assert page.status_code == 200 and 'id="reopen"' in page.content.decode()
    problem_start(problem=Problem.objects.order_by("id").first(), by=liaison_a)
    page = client.post(f"/inspections/{accepted.pk}/reopen/", {"reason": REASON, "back_to": "supervisor"})
    assert page.status_code == 200 and "序号为 1 的问题" in page.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == "accepted"


def test_the_findings_show_their_register_number(client_for, office_user, make_inspection, liaison_a, year, unit_a):
    problem_create(
        year=year, unit=unit_a, source="self_check", found_on=at("2026-07-19 09:00").date(),
        item=first_item_of(unit_a), description="自查发现", by=liaison_a,
    )  # fmt: skip
    inspection = make_inspection(findings=1, submit=True)
    (problem,) = services.inspection_accept(inspection=inspection, by=office_user)
    page = client_for(office_user).get(f"/inspections/{inspection.pk}/").content.decode()
    assert f'href="/selfcheck/problems/{problem.pk}/" data-problem-number="2">登记表序号 2</a>' in page


# Access -----------------------------------------------------------------------------------------------------


def test_the_anonymous_are_sent_to_log_in(client, accepted):
    response = client.post(f"/inspections/{accepted.pk}/reopen/", {"reason": REASON, "back_to": "supervisor"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_who_may_see_gets_403_and_who_may_not_gets_404(
    client_for, accepted, supervisor_user, leader_user, liaison_a, outsider, other_supervisor_user
):
    expected = {supervisor_user: 403, leader_user: 403, liaison_a: 404, outsider: 404, other_supervisor_user: 404}
    for user, status in expected.items():
        response = client_for(user).post(
            f"/inspections/{accepted.pk}/reopen/", {"reason": REASON, "back_to": "supervisor"}
        )
        assert response.status_code == status, user
    accepted.refresh_from_db()
    assert accepted.status == "accepted" and Problem.objects.filter(status="open").count() == 2


def test_only_post(client_for, office_user, accepted):
    assert client_for(office_user).get(f"/inspections/{accepted.pk}/reopen/").status_code == 405
