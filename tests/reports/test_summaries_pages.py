"""The summaries page and its links: who may see, build, download and send what; the self-updating progress."""

import pytest
from django.test.utils import CaptureQueriesContext

from appraisal.models import Focus
from appraisal.services import appraisal_year_create
from reports.exports import services
from reports.models import CityDispatch, Report

from ..factories import ProblemFactory

pytestmark = pytest.mark.django_db
Status = Report.Status
ROLES = ["office_user", "leader_user", "liaison_a", "outsider", "supervisor_user"]


@pytest.fixture
def year(db):
    return appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)


@pytest.fixture
def built(year, unit_a, office_user):
    """`built(kind)`: a summary asked for by the office and built."""

    def make(kind="selfcheck"):
        ProblemFactory(year=year, unit=unit_a)
        report = services.report_request(kind=kind, year=year, by=office_user)
        return services.report_build(report_id=report.pk)

    return make


def user(request, role):
    return request.getfixturevalue(role)


# Who sees what


@pytest.mark.parametrize(("role", "status"), [("office_user", 200), ("leader_user", 200), ("liaison_a", 404),
                                              ("outsider", 404), ("supervisor_user", 404)])  # fmt: skip
def test_the_page_is_for_the_office_and_leaders(request, client, year, role, status):
    client.force_login(user(request, role))
    assert client.get("/reports/summaries/").status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client, built):
    report = built()
    for url in [
        "/reports/summaries/",
        f"/reports/summaries/{report.pk}/download/",
        "/reports/summaries/new/selfcheck/",
    ]:
        response = client.get(url) if "new" not in url else client.post(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_office_gets_a_form_per_summary_and_leaders_none(client, office_user, leader_user, year):
    client.force_login(office_user)
    page = client.get("/reports/summaries/").content.decode()
    for kind in Report.Kind.values:
        assert f'action="/reports/summaries/new/{kind}/"' in page
    assert 'name="inspections-date_from"' in page and 'name="selfcheck-date_from"' not in page
    client.force_login(leader_user)
    assert "/reports/summaries/new/" not in client.get("/reports/summaries/").content.decode()


def test_the_forms_ask_for_the_page_year(client, office_user, year, time_machine):
    time_machine.move_to("2026-09-10 09:00 +0800", tick=False)
    last = appraisal_year_create(year=2025)
    client.force_login(office_user)
    forms = client.get("/reports/summaries/").context["forms"]
    assert {entry["form"].initial["year"] for entry in forms} == {year.pk}
    forms = client.get("/reports/summaries/", {"year": "2025"}).context["forms"]
    assert {entry["form"].initial["year"] for entry in forms} == {last.pk}


@pytest.mark.parametrize(
    ("role", "status"), [("leader_user", 403), ("liaison_a", 404), ("liaison_b", 404), ("outsider", 404)]
)
def test_only_the_office_asks_for_a_summary(request, client, year, role, status):
    client.force_login(user(request, role))
    response = client.post(
        "/reports/summaries/new/selfcheck/", {"selfcheck-kind": "selfcheck", "selfcheck-year": year.pk}
    )
    assert response.status_code == status
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("role", "kind", "status"),
    [
        ("office_user", "selfcheck", 200),
        ("office_user", "inspections", 200),
        ("leader_user", "selfcheck", 200),
        ("leader_user", "inspections", 404),  # it names covert inspectors: the office's alone
        ("liaison_a", "selfcheck", 404),
        ("liaison_b", "selfcheck", 404),
        ("outsider", "selfcheck", 404),
        ("supervisor_user", "inspections", 404),
    ],
)
def test_who_may_download_and_watch_a_summary(request, client, built, role, kind, status):
    report = built(kind)
    client.force_login(user(request, role))
    response = client.get(f"/reports/summaries/{report.pk}/download/")
    assert response.status_code == status
    assert client.get(f"/reports/summaries/{report.pk}/status/").status_code == status
    if status == 200:
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert b"".join(response.streaming_content) == report.file.open("rb").read()
        assert "attachment" in response["Content-Disposition"]


def test_a_units_own_summary_is_still_the_offices_not_its_liaisons(client, year, unit_a, office_user, liaison_a):
    ProblemFactory(year=year, unit=unit_a)
    report = services.report_request(kind="selfcheck", year=year, unit=unit_a, by=office_user)
    services.report_build(report_id=report.pk)
    client.force_login(liaison_a)
    assert client.get(f"/reports/summaries/{report.pk}/download/").status_code == 404
    assert client.get(f"/reports/summaries/{report.pk}/send/").status_code == 404


def test_leaders_do_not_see_the_inspection_register_in_the_list(client, built, leader_user, office_user):
    inspections, selfcheck = built("inspections"), built("selfcheck")
    client.force_login(leader_user)
    page = client.get("/reports/summaries/").content.decode()
    assert f'id="summary-{selfcheck.pk}"' in page and f'id="summary-{inspections.pk}"' not in page
    client.force_login(office_user)
    page = client.get("/reports/summaries/").content.decode()
    assert f'id="summary-{selfcheck.pk}"' in page and f'id="summary-{inspections.pk}"' in page


@pytest.mark.parametrize(("role", "status"), [("office_user", 200), ("leader_user", 403), ("liaison_a", 404),
                                              ("outsider", 404)])  # fmt: skip
def test_only_the_office_sends_to_the_city(request, client, built, settings, role, status):
    settings.CITY_OFFICE_EMAIL = "city@example.gov.cn"
    report = built()
    client.force_login(user(request, role))
    assert client.get(f"/reports/summaries/{report.pk}/send/").status_code == status
    response = client.post(f"/reports/summaries/{report.pk}/send/")
    assert response.status_code == (302 if status == 200 else status)
    assert CityDispatch.objects.count() == (1 if status == 200 else 0)


# Asking for a summary


def test_the_office_asks_for_a_summary_and_sees_it_queued(client, office_user, year, unit_a):
    client.force_login(office_user)
    data = {"inspections-kind": "inspections", "inspections-year": year.pk, "inspections-unit": unit_a.pk,
            "inspections-date_from": "2026-07-01", "inspections-date_to": "2026-07-31"}  # fmt: skip
    response = client.post("/reports/summaries/new/inspections/", data, follow=True)
    report = Report.objects.get()
    assert (report.kind, report.year, report.unit, report.requested_by) == ("inspections", year, unit_a, office_user)
    assert str(report.date_from) == "2026-07-01" and str(report.date_to) == "2026-07-31"
    assert report.status == Status.QUEUED
    assert f'id="summary-{report.pk}-status"' in response.content.decode()


def test_a_wrong_period_is_refused_with_what_to_fix(client, office_user, year):
    client.force_login(office_user)
    data = {"inspections-kind": "inspections", "inspections-year": year.pk,
            "inspections-date_from": "2026-08-01", "inspections-date_to": "2026-07-01"}  # fmt: skip
    response = client.post("/reports/summaries/new/inspections/", data)
    assert response.status_code == 400
    assert str(services.DATES_REVERSED) in response.content.decode()
    assert not Report.objects.exists()


def test_a_summary_needs_a_year(client, office_user, year):
    from reports.forms import NEEDS_YEAR

    client.force_login(office_user)
    response = client.post("/reports/summaries/new/selfcheck/", {"selfcheck-kind": "selfcheck"})
    assert response.status_code == 400 and str(NEEDS_YEAR) in response.content.decode()


def test_an_unknown_summary_does_not_exist(client, office_user, year):
    client.force_login(office_user)
    assert client.post("/reports/summaries/new/ballots/", {}).status_code == 404


# Progress without reloading


def test_the_status_asks_again_while_the_summary_is_built_and_stops_when_it_is_ready(client, office_user, year):
    client.force_login(office_user)
    report = services.report_request(kind="selfcheck", year=year, by=office_user)
    Report.objects.filter(pk=report.pk).update(status=Status.RUNNING, rows_done=250, rows_total=1000)
    fragment = client.get(f"/reports/summaries/{report.pk}/status/").content.decode()
    assert f'hx-get="/reports/summaries/{report.pk}/status/"' in fragment and 'hx-trigger="every 2s"' in fragment
    assert 'aria-valuenow="25"' in fragment and "/download/" not in fragment

    Report.objects.filter(pk=report.pk).update(status=Status.QUEUED)
    services.report_build(report_id=report.pk)
    fragment = client.get(f"/reports/summaries/{report.pk}/status/").content.decode()
    assert "hx-get" not in fragment and f"/reports/summaries/{report.pk}/download/" in fragment
    assert f"/reports/summaries/{report.pk}/send/" in fragment


def test_a_failed_summary_shows_its_error(client, office_user, year):
    report = services.report_request(kind="selfcheck", year=year, by=office_user)
    Report.objects.filter(pk=report.pk).update(status=Status.FAILED, error="磁盘已满")
    client.force_login(office_user)
    fragment = client.get(f"/reports/summaries/{report.pk}/status/").content.decode()
    assert "磁盘已满" in fragment and "hx-get" not in fragment and "/download/" not in fragment
    assert client.get(f"/reports/summaries/{report.pk}/download/").status_code == 404


def test_the_page_takes_the_same_queries_however_many_summaries(client, office_user, built, settings):
    settings.CITY_OFFICE_EMAIL = "city@example.gov.cn"
    client.force_login(office_user)
    services.city_dispatch_request(report=built(), by=office_user)
    client.get("/reports/summaries/")
    from django.db import connection

    with CaptureQueriesContext(connection) as before:
        client.get("/reports/summaries/")
    for _ in range(5):
        services.city_dispatch_request(report=built("hearings"), by=office_user)
    with CaptureQueriesContext(connection) as after:
        client.get("/reports/summaries/")
    assert len(after) == len(before)


def test_the_admin_shows_summaries_and_sendings_read_only(client, office_user, built, settings):
    settings.CITY_OFFICE_EMAIL = "city@example.gov.cn"
    report = built()
    dispatch = services.city_dispatch_request(report=report, by=office_user)
    client.force_login(office_user)
    for url in ["/admin/reports/report/", f"/admin/reports/report/{report.pk}/change/",
                "/admin/reports/citydispatch/", f"/admin/reports/citydispatch/{dispatch.pk}/change/"]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/reports/report/{report.pk}/change/").content.decode()
    assert "city@example.gov.cn" in page and report.file.name not in page  # the file only through the page
    assert client.get("/admin/reports/report/add/").status_code == 403
    assert client.post(f"/admin/reports/report/{report.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()
