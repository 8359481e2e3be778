import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from selfcheck.models import Complaint, Problem
from selfcheck.services import complaints as svc

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def form(unit, **extra):
    return {
        "unit": unit.pk,
        "what": "婚姻登记窗口工作人员上班时间玩手机，群众排队一小时无人办理。",
        "occurred_on": "2026-08-03",
        "place": "区行政服务中心二楼",
        "name": "张先生",
        "phone": "13912345678",
        "submission_key": "k" * 32,
        **extra,
    }


def test_a_citizen_complains_and_gets_a_tracking_code(client, year, unit_a):
    response = client.post("/complaints/", form(unit_a))
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.code in response.url
    page = client.get(response.url).content.decode()
    assert complaint.code in page and str(Complaint.Status.RECEIVED.label) in page
    assert "张先生" not in page and "13912345678" not in page


def test_a_double_submit_stores_one_complaint(client, year, unit_a):
    first = client.post("/complaints/", form(unit_a))
    second = client.post("/complaints/", form(unit_a))
    assert Complaint.objects.count() == 1
    assert first.url == second.url


def test_the_form_is_throttled_per_client(client, year, unit_a):
    for n in range(5):
        client.post("/complaints/", form(unit_a, submission_key=f"{n:032d}"))
    response = client.post("/complaints/", form(unit_a, submission_key="x" * 32))
    assert response.status_code == 200 and "一小时" in response.content.decode()
    assert Complaint.objects.count() == 5


def test_bad_input_is_refused_with_what_to_fix(client, year, unit_a):
    response = client.post("/complaints/", form(unit_a, what="", occurred_on="2030-01-01", phone="call me"))
    errors = response.context["form"].errors
    assert set(errors) == {"what", "occurred_on", "phone"}
    assert not Complaint.objects.exists()


def test_accepting_passes_the_facts_to_the_register_without_the_citizen(year, unit_a, items, office_user):
    complaint = svc.complaint_submit(
        unit=unit_a, what="窗口推诿", submission_key="a", place="二楼", name="张先生", phone="13912345678"
    )
    problem = svc.complaint_accept(complaint=complaint, by=office_user, item=items["文明服务"])
    assert (problem.source, problem.unit, problem.item.name) == (Problem.Source.COMPLAINT, unit_a, "文明服务")
    assert "窗口推诿" in problem.description and "二楼" in problem.description
    stored = " ".join(str(value) for value in Problem.objects.filter(pk=problem.pk).values().get().values())
    assert "张先生" not in stored and "13912345678" not in stored
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.ACCEPTED and complaint.problem == problem
    with pytest.raises(ValidationError) as error:
        svc.complaint_accept(complaint=complaint, by=office_user, item=items["文明服务"])
    assert error.value.messages == [str(svc.ALREADY_HANDLED)]
    assert Problem.objects.count() == 1


def test_rejecting_needs_a_reason_the_citizen_can_read(client, year, unit_a, office_user):
    complaint = svc.complaint_submit(unit=unit_a, what="与本区无关的事", submission_key="b")
    with pytest.raises(ValidationError) as error:
        svc.complaint_reject(complaint=complaint, by=office_user, reason=" ")
    assert error.value.messages == [str(svc.REASON_REQUIRED)]
    svc.complaint_reject(complaint=complaint, by=office_user, reason="该事项属市级部门管辖，已转市行风办。")
    page = client.get(f"/complaints/track/?code={complaint.code.lower()}").content.decode()
    assert "已转市行风办" in page


def test_an_unknown_code_gets_a_clear_page(client, db):
    response = client.get("/complaints/track/?code=NOPE")
    assert response.status_code == 200 and "没有" in response.content.decode()


def test_the_office_triages_from_its_pages(client, year, unit_a, items, office_user):
    complaint = svc.complaint_submit(unit=unit_a, what="窗口推诿", submission_key="c", name="张先生")
    client.force_login(office_user)
    assert "窗口推诿" in client.get("/complaints/office/").content.decode()
    assert "张先生" in client.get(f"/complaints/office/{complaint.pk}/").content.decode()
    triage = {"item": items["文明服务"].pk, "disposition": "deadline", "due_on": "2026-08-25"}
    response = client.post(f"/complaints/office/{complaint.pk}/accept/", triage)
    assert response.status_code == 302
    assert Problem.objects.get().source == Problem.Source.COMPLAINT


@pytest.mark.parametrize("user", ["leader_user", "liaison_a", "outsider"])
def test_complaints_exist_for_the_office_alone(client, request, year, unit_a, items, user):
    complaint = svc.complaint_submit(unit=unit_a, what="窗口推诿", submission_key="d")
    client.force_login(request.getfixturevalue(user))
    assert client.get("/complaints/office/").status_code == 403
    assert client.get(f"/complaints/office/{complaint.pk}/").status_code == 404
    assert client.post(f"/complaints/office/{complaint.pk}/accept/", {"item": items["文明服务"].pk}).status_code == 404
    assert client.post(f"/complaints/office/{complaint.pk}/reject/", {"reason": "x"}).status_code == 404
    assert Complaint.objects.get().status == Complaint.Status.RECEIVED
