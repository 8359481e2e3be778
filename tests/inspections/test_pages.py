"""The pages as the supervisor, the office and the unit use them."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections import services
from inspections.models import Inspection
from selfcheck.models import Problem

from ..factories import first_item_of

pytestmark = pytest.mark.django_db


def test_the_supervisor_files_adds_a_finding_and_submits(client_for, supervisor_user, unit_a, window):
    client = client_for(supervisor_user)
    assert unit_a.name in client.get("/inspections/new/").content.decode()
    response = client.post(
        "/inspections/new/",
        {"unit": unit_a.pk, "occurred_at": "2026-07-20T09:30", "mode": "covert", "methods": ["accompany"]},
    )
    inspection = Inspection.objects.get()
    assert response.url == f"/inspections/{inspection.pk}/edit/"
    response = client.post(
        f"/inspections/{inspection.pk}/edit/",
        {
            "occurred_at": "2026-07-20T09:30",
            "mode": "covert",
            "methods": ["accompany"],
            "subunit": window.pk,
            "summary": "陪同群众办理婚姻登记",
        },
    )
    assert response.status_code == 302
    item = first_item_of(unit_a)
    client.post(
        f"/inspections/{inspection.pk}/findings/", {"item": item.pk, "observed": "态度生硬", "place": "3号窗口"}
    )
    client.post(f"/inspections/{inspection.pk}/submit/")
    inspection.refresh_from_db()
    assert (inspection.status, inspection.subunit, inspection.findings.get().place) == ("submitted", window, "3号窗口")


def test_a_validation_error_keeps_what_was_typed(client_for, supervisor_user, make_inspection):
    inspection = make_inspection(findings=0)
    page = client_for(supervisor_user).post(
        f"/inspections/{inspection.pk}/edit/",
        {"occurred_at": "2026-07-20T09:00", "mode": "covert", "methods": ["other"], "summary": "长长的一段记录"},
    )
    content = page.content.decode()
    assert page.status_code == 200
    assert str(services.OTHER_METHOD_REQUIRED) in content and "长长的一段记录" in content
    added = client_for(supervisor_user).post(
        f"/inspections/{inspection.pk}/findings/", {"item": "", "observed": "没有选指标的描述", "place": "二楼"}
    )
    assert "没有选指标的描述" in added.content.decode() and "二楼" in added.content.decode()


def test_new_inspection_offers_only_units_the_supervisor_may_inspect(client_for, other_supervisor_user, year, unit_a):
    from supervisors.models import Supervisor

    from ..factories import AppointmentFactory, UnitFactory

    member = Supervisor.objects.get(user=other_supervisor_user)
    member.appointments.all().delete()
    own = UnitFactory(name="秦淮区实验小学")
    AppointmentFactory(supervisor=member, year=year, unit=own)
    client = client_for(other_supervisor_user)
    page = client.get("/inspections/new/").content.decode()
    assert own.name in page and unit_a.name not in page
    response = client.post(
        "/inspections/new/",
        {"unit": unit_a.pk, "occurred_at": "2026-07-20T09:00", "mode": "open", "methods": ["ask_users"]},
    )
    assert response.status_code == 200 and not Inspection.objects.exists()


def test_office_accepts_from_the_page(client_for, office_user, make_inspection):
    inspection = make_inspection(submit=True)
    client = client_for(office_user)
    page = client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert "张国华" in page and 'id="accept"' in page
    client.post(f"/inspections/{inspection.pk}/accept/")
    client.post(f"/inspections/{inspection.pk}/accept/")
    assert Problem.objects.count() == 1


def test_office_returns_with_a_comment_and_the_supervisor_sees_it(
    client_for, office_user, supervisor_user, make_inspection
):
    inspection = make_inspection(submit=True)
    page = client_for(office_user).post(f"/inspections/{inspection.pk}/return/", {"comment": ""})
    assert page.status_code == 200 and Inspection.objects.get().status == "submitted"
    client_for(office_user).post(f"/inspections/{inspection.pk}/return/", {"comment": "请补充窗口编号"})
    page = client_for(supervisor_user).get(f"/inspections/{inspection.pk}/edit/")
    assert page.status_code == 200 and "请补充窗口编号" in page.content.decode()


def test_the_review_queue_keeps_its_query_count(client_for, office_user, make_inspection, other_supervisor_user):
    from supervisors.models import Supervisor

    client = client_for(office_user)
    make_inspection(submit=True)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/inspections/review/")
        assert page.status_code == 200
        return len(captured), page.content.decode()

    few, _page = queries()
    other = Supervisor.objects.get(user=other_supervisor_user)
    for n in range(5):
        make_inspection(findings=n % 3, submit=True, who=other)
    many, page = queries()
    assert many == few and "钱多多" in page and "张国华" in page


def test_the_unit_never_learns_who_inspected(
    client_for,
    office_user,
    liaison_a,
    unit_a,
    supervisor,
    contacts,
    make_inspection,
    django_capture_on_commit_callbacks,
):
    inspection = make_inspection(findings=2, submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_accept(inspection=inspection, by=office_user)
    # The unit's addresses (its accounts, liaison and office head) by the notification; the head in copy.
    assert sorted(email.to for email in mail.outbox) == [
        ["head@minzheng.gov.cn"],
        ["liaison@minzheng.gov.cn", "office@minzheng.gov.cn"],
    ]
    email = mail.outbox[0]
    assert "窗口态度生硬0" in email.body and "窗口态度生硬1" in email.body
    client = client_for(liaison_a)
    pages = [f"/units/{unit_a.pk}/", f"/selfcheck/units/{unit_a.pk}/", f"/supervisors/units/{unit_a.pk}/"]
    pages += [f"/selfcheck/problems/{problem.pk}/" for problem in Problem.objects.all()]
    contents = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        contents.append(response.content.decode())
    assert "窗口态度生硬0" in contents[0] and 'id="notifications"' in contents[0]
    assert "窗口态度生硬1" in contents[1]
    for text in contents + [part for email in mail.outbox for part in (email.subject, email.body)]:
        assert supervisor.name not in text and supervisor.phone not in text
    assert client.get(f"/inspections/{inspection.pk}/").status_code == 404


def test_navigation_links(client_for, supervisor_user, office_user, liaison_a, year):
    home = client_for(supervisor_user).get("/supervisors/me/").content.decode()
    assert 'href="/inspections/"' in home and 'href="/inspections/new/"' in home
    assert 'href="/inspections/review/"' in client_for(office_user).get("/office/").content.decode()
    assert "/inspections/" not in client_for(liaison_a).get("/units/").content.decode()
