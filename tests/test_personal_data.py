"""Personal data (PIPL minimisation): each role sees only what it needs, exports are the office's and recorded,
and `purge_personal_data` anonymises what is past its retention period without changing any statistic."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from appraisal.models import Focus, PersonalDataExport
from appraisal.personal_data import ANONYMISED, EXPORT_RECORDS, purge_personal_data
from appraisal.services import appraisal_year_create
from hearings import services as hearing_services
from hearings.models import Hearing
from hearings.selectors import attendance, hearing_tally
from reports.exports import services as report_services
from reports.models import Report
from reports.statistics import annual_statistics
from selfcheck.models import Complaint
from selfcheck.services.complaints import complaint_accept, complaint_reject, complaint_submit
from selfcheck.services.personal_data import COMPLAINANTS_ANONYMISED
from supervisors.models import Supervisor
from supervisors.services.personal_data import SUPERVISORS_ANONYMISED
from units.models import Participation, ServiceObject
from units.services.personal_data import SERVICE_OBJECTS_ANONYMISED, SERVICE_OBJECTS_EXPORT, mask_address

from .factories import (
    AppointmentFactory,
    ContactFactory,
    FindingFactory,
    InspectionFactory,
    ServiceObjectFactory,
    SubUnitFactory,
    SupervisorFactory,
    UserFactory,
    YearFactory,
    first_item_of,
)

pytestmark = pytest.mark.django_db

PHONE, MASKED_PHONE = "13912345678", "139****5678"
EMAIL, MASKED_EMAIL = "liu@example.cn", "l***@example.cn"
ADDRESS = "南京市秦淮区瑞金路1号"


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# Who sees what --------------------------------------------------------------------------------------------


def test_unit_contacts_and_sub_unit_phones_are_masked_for_leaders(
    client_for, unit_a, liaison_a, office_user, leader_user
):
    ContactFactory(unit=unit_a, name="刘海燕", phone=PHONE, fax="025-84560002", email=EMAIL, address=ADDRESS)
    SubUnitFactory(unit=unit_a, name="婚姻登记处", phone="025-84561234")
    url = reverse("units:detail", args=[unit_a.pk])
    for user in (office_user, liaison_a):
        page = text(client_for(user), url)
        assert PHONE in page and EMAIL in page and ADDRESS in page and "025-84561234" in page
    page = text(client_for(leader_user), url)
    assert MASKED_PHONE in page and MASKED_EMAIL in page and mask_address(ADDRESS) in page
    assert PHONE not in page and EMAIL not in page and ADDRESS not in page
    assert "025-84560002" not in page and "025-84561234" not in page


def test_service_objects_addresses_are_masked_for_leaders_too(client_for, unit_a, liaison_a, office_user, leader_user):
    year = YearFactory()
    ServiceObjectFactory(year=year, unit=unit_a, phone=PHONE, email=EMAIL, address=ADDRESS)
    url = reverse("units:service_objects", args=[unit_a.pk])
    for user in (office_user, liaison_a):
        assert ADDRESS in text(client_for(user), url)
    page = text(client_for(leader_user), url)
    assert ADDRESS not in page and PHONE not in page and mask_address(ADDRESS) in page and MASKED_PHONE in page


def test_a_supervisors_phone_on_an_inspection_is_the_offices_and_their_own(client_for, office_user, leader_user):
    filer = UserFactory(username="filer")
    supervisor = SupervisorFactory(phone=PHONE, user=filer)
    inspection = InspectionFactory(supervisor=supervisor, status="submitted", submitted_at=timezone.now())
    url = reverse("inspections:detail", args=[inspection.pk])
    assert PHONE in text(client_for(office_user), url)
    assert PHONE in text(client_for(filer), url)
    page = text(client_for(leader_user), url)
    assert PHONE not in page and MASKED_PHONE in page


def test_a_supervisor_sees_their_own_phone_leaders_see_it_masked(client_for, supervisor_user, leader_user, outsider):
    supervisor = Supervisor.objects.get(user=supervisor_user)
    Supervisor.objects.filter(pk=supervisor.pk).update(phone=PHONE)
    url = reverse("supervisors:detail", args=[supervisor.pk])
    assert PHONE in text(client_for(supervisor_user), url)
    page = text(client_for(leader_user), url)
    assert PHONE not in page and MASKED_PHONE in page
    assert client_for(outsider).get(url).status_code == 404


@pytest.mark.parametrize("role", ["leader_user", "liaison_a", "supervisor_user", "outsider"])
def test_complainants_are_the_offices_alone(client_for, request, office_user, unit_a, role):
    complaint = complaint_submit(unit=unit_a, what="窗口无人", submission_key="k1", name="赵六", phone=PHONE)
    url = reverse("complaints:detail", args=[complaint.pk])
    assert PHONE in text(client_for(office_user), url)
    assert client_for(request.getfixturevalue(role)).get(url).status_code == 404


# Exports are the office's, and recorded ---------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("leader_user", 403), ("liaison_a", 403), ("liaison_b", 404),
                                              ("outsider", 404), ("supervisor_user", 404)])  # fmt: skip
def test_only_the_office_exports_service_objects(client_for, request, unit_a, role, status):
    ServiceObjectFactory(year=YearFactory(), unit=unit_a)
    url = reverse("units:service_object_export", args=[unit_a.pk])
    assert client_for(request.getfixturevalue(role)).get(url).status_code == status
    assert not PersonalDataExport.objects.exists()


def test_an_export_of_service_objects_is_recorded(client_for, office_user, unit_a):
    year = YearFactory()
    ServiceObjectFactory.create_batch(3, year=year, unit=unit_a)
    response = client_for(office_user).get(reverse("units:service_object_export", args=[unit_a.pk]))
    assert response.status_code == 200
    record = PersonalDataExport.objects.get()
    assert (record.user, record.kind, record.rows) == (office_user, str(SERVICE_OBJECTS_EXPORT), 3)
    assert unit_a.name in record.description and str(year.year) in record.description


def test_downloading_the_inspection_register_is_recorded_other_summaries_are_not(
    client_for, office_user, leader_user, unit_a
):
    year = appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)
    InspectionFactory(year=year, unit=unit_a, status="submitted", submitted_at=timezone.now())
    reports = {}
    for kind in ("inspections", "statistics"):
        request = report_services.report_request(kind=kind, year=year, by=office_user)
        reports[kind] = report_services.report_build(report_id=request.pk)
    client = client_for(office_user)
    for report in reports.values():
        assert client.get(reverse("reports:summary_download", args=[report.pk])).status_code == 200
    record = PersonalDataExport.objects.get()
    assert (record.user, record.kind, record.rows) == (office_user, str(Report.Kind.INSPECTIONS.label), 1)
    url = reverse("reports:summary_download", args=[reports["inspections"].pk])
    assert client_for(leader_user).get(url).status_code == 404


def test_the_admin_lists_export_records_read_only(client_for, office_user):
    PersonalDataExport.objects.create(user=office_user, kind="服务对象名单", description="区民政局", rows=100)
    client = client_for(office_user)
    assert "服务对象名单" in text(client, reverse("admin:appraisal_personaldataexport_changelist"))
    assert client.get(reverse("admin:appraisal_personaldataexport_add")).status_code == 403


# Retention: purge_personal_data -----------------------------------------------------------------------------

BEFORE = datetime.date(2026, 6, 1)  # the default 2 years reach back to 2024-06-01, 5 years to 2021-06-02


@pytest.fixture
def old_and_new(time_machine, unit_a, unit_b, office_user):
    """The 2023 campaign, closed (a hearing with ballots, an accepted and a rejected complaint, an accepted
    inspection by a district supervisor), and the 2026 campaign under way."""
    time_machine.move_to("2023-10-20 09:00 +0800", tick=False)
    old = appraisal_year_create(year=2023, focus=Focus.DEPARTMENTS)
    Participation.objects.create(year=old, unit=unit_a, is_focus=True)
    ServiceObjectFactory.create_batch(32, year=old, unit=unit_a, address=ADDRESS)
    team = [AppointmentFactory(year=old, unit=unit_a).supervisor for _ in range(4)]
    hearing = _closed_hearing(old, unit_a, office_user)
    accepted = complaint_submit(unit=unit_a, what="窗口无人", submission_key="old-1", name="赵六", phone=PHONE)
    complaint_accept(complaint=accepted, by=office_user, item=first_item_of(unit_a))
    rejected = complaint_submit(unit=unit_b, what="态度差", submission_key="old-2", name="钱七", phone=PHONE)
    complaint_reject(complaint=rejected, by=office_user, reason="不属于评议范围")
    waiting = complaint_submit(unit=unit_a, what="仍未处理", submission_key="old-3", name="孙八", phone=PHONE)
    inspector = AppointmentFactory(year=old).supervisor
    FindingFactory(inspection=InspectionFactory(supervisor=inspector, year=old, unit=unit_a, status="accepted"))
    PersonalDataExport.objects.create(user=office_user, kind="服务对象名单", rows=32)

    time_machine.move_to("2026-05-20 09:00 +0800", tick=False)
    new = appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)
    ServiceObjectFactory.create_batch(2, year=new, unit=unit_a, phone=PHONE)
    current = AppointmentFactory(year=new, supervisor=SupervisorFactory(phone="13700000000")).supervisor
    recent = complaint_submit(unit=unit_a, what="新投诉", submission_key="new-1", name="李四", phone=PHONE)
    complaint_reject(complaint=recent, by=office_user, reason="重复投诉")
    PersonalDataExport.objects.create(user=office_user, kind="服务对象名单", rows=2)
    return {
        "old": old,
        "hearing": hearing,
        "team": team + [inspector],
        "current": current,
        "complaints": (accepted, rejected, waiting, recent),
    }


def _closed_hearing(year, unit, office_user):
    hearing = hearing_services.hearing_create(
        unit=unit, year=year, held_on=datetime.date(2023, 10, 20), venue="区行政服务中心", by=office_user
    )
    hearing_services.representatives_draw(hearing=hearing, count=30, seed=5)
    for appointment in hearing_services.eligible_supervisors(hearing).select_related("supervisor"):
        hearing_services.supervisor_add(hearing=hearing, supervisor=appointment.supervisor)
    hearing_services.hearing_open_check_in(hearing=hearing, by=office_user)
    for attendee in hearing.attendees.all():
        hearing_services.attendee_check_in(attendee=attendee)
    tokens = hearing_services.hearing_open_voting(hearing=hearing, by=office_user)
    for number, token in enumerate(tokens[:20]):
        answer = "satisfied" if number % 3 else "fairly"
        answers = {str(item.position): answer for item in hearing_services.items_of(hearing)}
        hearing_services.ballot_cast(secret=token, answers=answers)
    return hearing_services.hearing_close(hearing=Hearing.objects.get(pk=hearing.pk), by=office_user)


def figures(old, hearing):
    """Everything the reports count about the old year; a purge must leave all of it as it was."""
    hearing = Hearing.objects.get(pk=hearing.pk)
    return {
        "statistics": annual_statistics(old),
        "results": hearing.results,
        "tally": hearing_tally(hearing),
        "attendance": attendance(hearing),
        "drawn": list(hearing.attendees.filter(drawn=True).values_list("service_object_id", flat=True)),
        "complaints": list(
            Complaint.objects.order_by("pk").values_list("pk", "unit_id", "status", "problem_id", "triaged_at")
        ),
    }


def rows(model):
    return list(model.objects.order_by("pk").values())


def counts(results):
    return {str(description): count for description, count in results}


def test_a_dry_run_says_what_would_change_and_changes_nothing(old_and_new):
    before = figures(old_and_new["old"], old_and_new["hearing"])
    snapshot = rows(ServiceObject), rows(Supervisor), rows(Complaint)

    results = counts(purge_personal_data(before=BEFORE, dry_run=True))

    assert results[str(SERVICE_OBJECTS_ANONYMISED)] == 32
    assert results[str(COMPLAINANTS_ANONYMISED)] == 2
    assert results[str(SUPERVISORS_ANONYMISED)] == 5
    assert results[str(EXPORT_RECORDS)] == 0
    assert (rows(ServiceObject), rows(Supervisor)) == snapshot[:2]
    assert rows(Complaint) == snapshot[2]
    assert figures(old_and_new["old"], old_and_new["hearing"]) == before


def test_a_purge_anonymises_what_is_past_its_period_and_keeps_every_statistic(old_and_new):
    old, hearing = old_and_new["old"], old_and_new["hearing"]
    before = figures(old, hearing)

    purge_personal_data(before=BEFORE)

    assert figures(old, hearing) == before
    for service_object in ServiceObject.objects.filter(year=old):
        assert service_object.name == f"{ANONYMISED}#{service_object.pk}"
        assert (service_object.phone, service_object.email, service_object.address) == ("", "", "")
    assert all(
        name.startswith("服务对象") for name in ServiceObject.objects.exclude(year=old).values_list("name", flat=True)
    )
    assert set(ServiceObject.objects.exclude(year=old).values_list("phone", flat=True)) == {PHONE}

    for supervisor in Supervisor.objects.filter(pk__in=[s.pk for s in old_and_new["team"]]):
        assert supervisor.name == f"{ANONYMISED}#{supervisor.pk}" and (supervisor.phone, supervisor.email) == ("", "")
    assert Supervisor.objects.get(pk=old_and_new["current"].pk).phone == "13700000000"

    accepted, rejected, waiting, recent = (Complaint.objects.get(pk=c.pk) for c in old_and_new["complaints"])
    assert (accepted.name, accepted.phone, rejected.name, rejected.phone) == ("", "", "", "")
    assert (waiting.name, waiting.phone) == ("孙八", PHONE)  # never handled: its clock has not started
    assert (recent.name, recent.phone) == ("李四", PHONE)


def test_a_second_purge_changes_nothing_more(old_and_new):
    purge_personal_data(before=BEFORE)
    snapshot = rows(ServiceObject), rows(Supervisor)
    assert set(counts(purge_personal_data(before=BEFORE)).values()) == {0}
    assert (rows(ServiceObject), rows(Supervisor)) == snapshot


def test_export_records_go_after_five_years(old_and_new):
    results = counts(purge_personal_data(before=BEFORE + datetime.timedelta(days=3 * 365)))
    assert results[str(EXPORT_RECORDS)] == 1
    assert list(PersonalDataExport.objects.values_list("rows", flat=True)) == [2]


def test_the_retention_period_is_a_setting(old_and_new, settings):
    # Ten days: this May's complaint too (handled 2026-05-20); the one never handled stays.
    settings.PERSONAL_DATA_RETENTION = settings.PERSONAL_DATA_RETENTION | {"complaints": 10}
    assert counts(purge_personal_data(before=BEFORE, dry_run=True))[str(COMPLAINANTS_ANONYMISED)] == 3
    settings.PERSONAL_DATA_RETENTION = settings.PERSONAL_DATA_RETENTION | {"complaints": 10 * 365}
    assert counts(purge_personal_data(before=BEFORE, dry_run=True))[str(COMPLAINANTS_ANONYMISED)] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the audit trail exists on PostgreSQL only")
def test_a_purge_also_clears_the_audit_trail_of_what_it_anonymised(old_and_new):
    supervisor = old_and_new["team"][0]
    events = Supervisor.pgh_event_model.objects.filter(pgh_obj_id=supervisor.pk)
    assert events.filter(phone=supervisor.phone).exists()

    purge_personal_data(before=BEFORE)

    assert not events.exclude(phone="").exists() and not events.filter(name=supervisor.name).exists()
    assert events.last().pgh_context.metadata == {"command": "purge_personal_data"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the audit trail exists on PostgreSQL only")
def test_audit_events_go_after_five_years(unit_a):
    event_model = type(unit_a).pgh_event_model
    event_model.objects.filter(pgh_obj_id=unit_a.pk).update(
        pgh_created_at=timezone.now() - datetime.timedelta(days=6 * 365)
    )
    unit_a.sector = "教育"
    unit_a.save()

    purge_personal_data(before=timezone.localdate())

    assert list(event_model.objects.filter(pgh_obj_id=unit_a.pk).values_list("pgh_label", flat=True)) == ["update"]


def test_the_command_prints_each_kind_and_a_dry_run_changes_nothing(old_and_new):
    out = io.StringIO()
    call_command("purge_personal_data", "--before", BEFORE.isoformat(), "--dry-run", stdout=out)
    assert f"{SERVICE_OBJECTS_ANONYMISED}: 32" in out.getvalue()
    assert not ServiceObject.objects.filter(name__startswith=ANONYMISED).exists()

    call_command("purge_personal_data", "--before", BEFORE.isoformat(), stdout=io.StringIO())
    assert ServiceObject.objects.filter(name__startswith=ANONYMISED).count() == 32


def test_the_command_says_how_to_write_a_date():
    with pytest.raises(CommandError, match="2026-07-10"):
        call_command("purge_personal_data", "--before", "1.6.2026")
