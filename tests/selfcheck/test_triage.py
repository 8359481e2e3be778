"""Triage: the office sets the item, disposition and deadline of an accepted complaint, the unit is told, and
either decision can be undone with a reason."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from selfcheck.models import Complaint, ComplaintStep, Problem
from selfcheck.services import complaints as svc
from selfcheck.services import problem_rectify
from selfcheck.services.problems import CANNOT_WITHDRAW
from units.models import Notification

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 8, 10)


@pytest.fixture
def complaint(year, unit_a):
    return svc.complaint_submit(unit=unit_a, what="窗口推诿", submission_key="t", name="张先生", phone="13912345678")


def test_the_triage_form_proposes_a_deadline_15_days_later_and_asks_for_the_item(client, complaint, office_user):
    client.force_login(office_user)
    response = client.get(f"/complaints/office/{complaint.pk}/")
    form = response.context["accept_form"]
    assert form["disposition"].value() == Problem.Disposition.DEADLINE
    assert form["due_on"].value() == TODAY + datetime.timedelta(days=15)
    assert form["item"].value() is None and form.fields["item"].required
    page = response.content.decode()
    assert "默认：限期解决，整改时限为今天起 15 天后" in page and 'id="triage-form"' in page


def test_accepting_sets_item_disposition_deadline_and_tells_the_unit(complaint, unit_a, items, office_user):
    problem = svc.complaint_accept(
        complaint=complaint,
        by=office_user,
        item=items["文明服务"],
        disposition=Problem.Disposition.PLAN,
        due_on=datetime.date(2026, 10, 31),
    )
    assert (problem.item.name, problem.disposition, problem.due_on) == (
        "文明服务",
        Problem.Disposition.PLAN,
        datetime.date(2026, 10, 31),
    )
    notice = Notification.objects.get(unit=unit_a)
    assert notice.title == "一件群众投诉已转入贵单位自查自纠登记表（序号 1）"
    assert notice.url == f"/selfcheck/problems/{problem.pk}/"
    assert "窗口推诿" in notice.body and "2026-10-31" in notice.body and "张先生" not in notice.body
    assert ComplaintStep.objects.get(complaint=complaint).action == ComplaintStep.Action.ACCEPTED


def test_the_service_defaults_to_a_deadline_15_days_later(complaint, items, office_user):
    problem = svc.complaint_accept(complaint=complaint, by=office_user, item=items["文明服务"])
    assert (problem.disposition, problem.due_on) == (Problem.Disposition.DEADLINE, TODAY + datetime.timedelta(days=15))


def test_a_deadline_disposition_without_a_date_is_refused_on_the_form(client, complaint, items, office_user):
    client.force_login(office_user)
    data = {"item": items["文明服务"].pk, "disposition": "deadline", "due_on": ""}
    response = client.post(f"/complaints/office/{complaint.pk}/accept/", data)
    assert response.status_code == 400 and "due_on" in response.context["accept_form"].errors
    response = client.post(f"/complaints/office/{complaint.pk}/accept/", {"disposition": "deadline", "due_on": ""})
    assert "item" in response.context["accept_form"].errors
    assert not Problem.objects.exists()
    data = {"item": items["文明服务"].pk, "disposition": "immediate", "due_on": ""}
    assert client.post(f"/complaints/office/{complaint.pk}/accept/", data).status_code == 302
    assert Problem.objects.get().disposition == Problem.Disposition.IMMEDIATE


def test_an_acceptance_is_undone_and_its_problem_withdrawn(client, complaint, unit_a, items, office_user):
    problem = svc.complaint_accept(complaint=complaint, by=office_user, item=items["文明服务"])
    with pytest.raises(ValidationError) as error:
        svc.complaint_reopen(complaint=complaint, by=office_user, reason=" ")
    assert error.value.messages == [str(svc.UNDO_REASON_REQUIRED)]

    svc.complaint_reopen(complaint=complaint, by=office_user, reason="应转区司法局")
    complaint.refresh_from_db()
    problem.refresh_from_db()
    assert (complaint.status, complaint.problem, complaint.triaged_at) == (Complaint.Status.RECEIVED, None, None)
    assert problem.status == Problem.Status.WITHDRAWN and problem.steps.last().note == "应转区司法局"
    assert Notification.objects.filter(unit=unit_a, title="区行评办撤销了问题（序号 1）", body="应转区司法局").exists()
    assert list(complaint.steps.values_list("action", "note")) == [
        (ComplaintStep.Action.ACCEPTED, ""),
        (ComplaintStep.Action.REOPENED, "应转区司法局"),
    ]
    # Triaged again, into a new problem.
    again = svc.complaint_accept(complaint=complaint, by=office_user, item=items["规范执法"])
    assert again.pk != problem.pk and Problem.objects.count() == 2


def test_a_rejection_is_undone_and_the_citizen_no_longer_sees_the_reason(client, complaint, office_user):
    svc.complaint_reject(complaint=complaint, by=office_user, reason="不属本区管辖")
    svc.complaint_reopen(complaint=complaint, by=office_user, reason="经核实属本区")
    page = client.get(f"/complaints/track/?code={complaint.code}").content.decode()
    assert "不属本区管辖" not in page and str(Complaint.Status.RECEIVED.label) in page
    with pytest.raises(ValidationError) as error:
        svc.complaint_reopen(complaint=complaint, by=office_user, reason="再撤")
    assert error.value.messages == [str(svc.NOT_HANDLED)]


def test_an_acceptance_the_unit_has_acted_on_is_not_undone(complaint, items, office_user, liaison_a):
    problem = svc.complaint_accept(complaint=complaint, by=office_user, item=items["文明服务"])
    problem_rectify(problem=problem, by=liaison_a, note="已约谈")
    with pytest.raises(ValidationError) as error:
        svc.complaint_reopen(complaint=complaint, by=office_user, reason="误转")
    assert error.value.messages == [str(CANNOT_WITHDRAW) % {"status": Problem.Status.RECTIFIED.label}]
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ACCEPTED


def test_the_office_undoes_from_the_page_and_sees_the_decisions(client, complaint, items, office_user):
    svc.complaint_reject(complaint=complaint, by=office_user, reason="不属本区管辖")
    client.force_login(office_user)
    page = client.get(f"/complaints/office/{complaint.pk}/").content.decode()
    assert 'id="undo-form"' in page and "不予受理" in page
    assert client.post(f"/complaints/office/{complaint.pk}/reopen/", {"reason": ""}).status_code == 400
    response = client.post(f"/complaints/office/{complaint.pk}/reopen/", {"reason": "经核实属本区"})
    assert response.status_code == 302
    page = client.get(f"/complaints/office/{complaint.pk}/").content.decode()
    assert "撤销处理决定" in page and "经核实属本区" in page and 'id="triage-form"' in page


@pytest.mark.parametrize("user", ["leader_user", "liaison_a", "outsider"])
def test_only_the_office_undoes(client, request, complaint, office_user, user):
    svc.complaint_reject(complaint=complaint, by=office_user, reason="不属本区管辖")
    client.force_login(request.getfixturevalue(user))
    assert client.post(f"/complaints/office/{complaint.pk}/reopen/", {"reason": "x"}).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REJECTED


def test_the_office_queue_counts_each_kind_of_waiting_work(
    client, year, unit_a, problem_of, complaint, office_user, django_assert_num_queries
):
    from django.apps import apps

    problem_of(unit_a, status=Problem.Status.RECTIFIED)
    problem_of(unit_a, disposition="deadline", due_on=datetime.date(2026, 8, 1))  # overdue
    problem_of(unit_a, status=Problem.Status.RECTIFIED, disposition="deadline", due_on=datetime.date(2026, 8, 1))
    problem_of(unit_a, disposition="deadline", due_on=datetime.date(2026, 8, 31))
    config = apps.get_app_config("selfcheck")
    with django_assert_num_queries(3):
        entries = config.office_queue(year)
    assert [(str(e.label), e.count, e.overdue) for e in entries] == [
        ("待处理的群众投诉", 1, False),
        ("待验证的整改", 2, False),
        ("逾期未整改的问题", 1, True),
    ]
    client.force_login(office_user)
    for entry in entries:
        response = client.get(entry.url)
        assert response.status_code == 200
        assert response.context["page"].paginator.count == entry.count
    assert [str(e.label) for e in config.office_queue(None)] == ["待处理的群众投诉"]
