"""The audit trail: PostgreSQL triggers record every insert, update and delete of the tracked models, bulk and
raw SQL included, with who did it; the office browses a record's history. Ballots are never tracked.

The trail exists on PostgreSQL only (CI); those tests are skipped on SQLite, where the page says why."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from pghistory.models import Context

from appraisal import history
from hearings import services as hearing_services
from hearings.models import Ballot, BallotToken, Hearing, HearingEvent
from selfcheck.models import Problem
from supervisors.models import Supervisor
from units.models import Contact, SubUnit, Unit

from ..excel_files import workbook_bytes
from ..factories import (
    AppointmentFactory,
    ContactFactory,
    HearingFactory,
    ProblemFactory,
    ServiceObjectFactory,
    SupervisorFactory,
    YearFactory,
)

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the audit trail's triggers exist on PostgreSQL only"
)

# Every model whose changes the issue asks to be recorded (units, contacts, appointments, inspections and
# findings, problems, deliverable reviews, hearings, settings and reminder texts).
TRACKED = [
    "units.Unit",
    "units.SubUnit",
    "units.Contact",
    "units.Membership",
    "units.Participation",
    "units.Deliverable",
    "supervisors.Supervisor",
    "supervisors.Appointment",
    "inspections.Inspection",
    "inspections.Finding",
    "selfcheck.Problem",
    "hearings.Hearing",
    "appraisal.AppraisalYear",
    "appraisal.Deadline",
    "appraisal.EvaluationItem",
    "appraisal.ReminderSettings",
]


def events_of(obj):
    return list(type(obj).pgh_event_model.objects.filter(pgh_obj_id=obj.pk).order_by("pgh_id"))


def triggers_on(model):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [model._meta.db_table]
        )
        return {row[0] for row in cursor.fetchall()}


def history_url(obj):
    return reverse("history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


@pytest.mark.parametrize("label", TRACKED)
def test_each_tracked_model_has_an_event_table_for_insert_update_and_delete(label):
    model = apps.get_model(label)
    event_model = model.pgh_event_model
    assert {tracker.label for tracker in event_model.pgh_trackers} == {"insert", "update", "delete"}
    # The whole row is kept, so “what changed” can be shown for every field.
    assert {f.name for f in model._meta.concrete_fields} <= {f.name for f in event_model._meta.fields}


def test_ballots_and_tokens_are_never_tracked_the_hearing_is():
    assert history.tracked_model("hearings", "hearing") is Hearing
    for model in (Ballot, BallotToken):
        assert not hasattr(model, "pgh_event_models")
        assert history.tracked_model(model._meta.app_label, model._meta.model_name) is None
    event_tables = {m._meta.db_table for m in apps.get_models() if hasattr(m, "pgh_tracked_model")}
    assert not {name for name in event_tables if "ballot" in name}


@postgresql_only
def test_the_database_has_the_triggers_and_none_on_ballots():
    for label in TRACKED:
        assert {"insert_insert", "update_update", "delete_delete"} <= {
            name.split("_", 1)[1].rsplit("_", 1)[0] for name in triggers_on(apps.get_model(label))
        }, label
    assert triggers_on(Ballot) == set() and triggers_on(BallotToken) == set()


@postgresql_only
def test_create_change_and_delete_are_recorded_with_the_row():
    contact = ContactFactory(name="刘海燕", phone="025-84560001")
    contact.phone = "025-84569999"
    contact.save()
    pk = contact.pk
    contact.delete()

    events = Contact.pgh_event_model.objects.filter(pgh_obj_id=pk).order_by("pgh_id")
    assert [(e.pgh_label, e.phone) for e in events] == [
        ("insert", "025-84560001"),
        ("update", "025-84569999"),
        ("delete", "025-84569999"),
    ]


@postgresql_only
def test_bulk_writes_and_raw_sql_are_recorded_too():
    [unit] = Unit.objects.bulk_create([Unit(name="区教育局", kind="departments", sector="教育")])
    Unit.objects.filter(pk=unit.pk).update(sector="体育")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE units_unit SET short_name = %s WHERE id = %s", ["教育局", unit.pk])
    Unit.objects.filter(pk=unit.pk).delete()

    assert [(e.pgh_label, e.sector, e.short_name) for e in events_of(unit)] == [
        ("insert", "教育", ""),
        ("update", "体育", ""),
        ("update", "体育", "教育局"),
        ("delete", "体育", "教育局"),
    ]


@postgresql_only
def test_a_save_that_changes_nothing_is_no_event(unit_a):
    unit_a.save()
    assert [e.pgh_label for e in events_of(unit_a)] == ["insert"]


@postgresql_only
def test_a_request_records_its_user_and_path(client_for, liaison_a, unit_a):
    contact = ContactFactory(unit=unit_a, name="刘海燕", phone="025-84560001")
    data = {"role": "liaison", "name": "刘海燕", "phone": "025-84569999", "title": "", "fax": "", "address": ""}
    response = client_for(liaison_a).post(f"/units/contacts/{contact.pk}/edit/", data)
    assert response.status_code == 302

    update = events_of(contact)[-1]
    assert update.pgh_label == "update"
    assert update.pgh_context.metadata == {"user": liaison_a.pk, "url": f"/units/contacts/{contact.pk}/edit/"}


@postgresql_only
def test_an_import_command_records_its_name(tmp_path):
    YearFactory()
    path = tmp_path / "roster.xlsx"
    path.write_bytes(
        workbook_bytes(
            {
                "单位": [["单位名称", "简称", "类别", "领域", "本年度重点评议"], ["区民政局", "", "部门", "民政", ""]],
                "基层站所": [["所属单位", "类型", "名称", "地址", "负责人", "联络员", "联系电话"]],
                "联系人": [["所属单位", "职责", "姓名", "职务", "常用电话", "传真电话", "通讯地址", "电子信箱"]],
            }
        ).getvalue()
    )
    call_command("import_units", str(path), stdout=io.StringIO())

    [insert] = events_of(Unit.objects.get(name="区民政局"))
    assert insert.pgh_context.metadata == {"command": "import_units"}


@postgresql_only
def test_a_job_records_its_name(unit_a):
    @history.recorded(task="units.example")
    def job():
        Unit.objects.filter(pk=unit_a.pk).update(sector="教育")

    job()
    assert events_of(unit_a)[-1].pgh_context.metadata == {"task": "units.example"}


def test_the_jobs_and_commands_are_wrapped():
    from reports import tasks as report_tasks
    from units import tasks as unit_tasks

    jobs = [unit_tasks.send_reminders_task, unit_tasks.reminders_sweep, report_tasks.build_report]
    jobs += [report_tasks.send_to_city, report_tasks.reports_sweep, report_tasks.scheduled_city_summaries]
    for job in jobs:
        assert job.run.__wrapped__, job.name  # functools.wraps of history.recorded


@postgresql_only
def test_hearing_status_changes_are_recorded_ballots_leave_no_trace(unit_a, office_user):
    year = YearFactory()
    ServiceObjectFactory.create_batch(30, year=year, unit=unit_a)
    for _ in range(4):
        AppointmentFactory(supervisor=SupervisorFactory(), year=year, unit=unit_a)
    hearing = HearingFactory(unit=unit_a, year=year)
    hearing_services.representatives_draw(hearing=hearing, count=30, seed=1)
    for appointment in hearing_services.eligible_supervisors(hearing).select_related("supervisor"):
        hearing_services.supervisor_add(hearing=hearing, supervisor=appointment.supervisor)
    hearing_services.hearing_open_check_in(hearing=hearing, by=office_user)
    for attendee in hearing.attendees.all():
        hearing_services.attendee_check_in(attendee=attendee)
    tokens = hearing_services.hearing_open_voting(hearing=hearing, by=office_user)
    before = (len(events_of(hearing)), Context.objects.count())

    answers = {str(item.position): "satisfied" for item in hearing_services.items_of(hearing)}
    for token in tokens[:3]:
        hearing_services.ballot_cast(secret=token, answers=answers)
    hearing_services.paper_ballot_add(hearing=hearing, answers=answers)

    assert (len(events_of(hearing)), Context.objects.count()) == before
    hearing_services.hearing_close(hearing=Hearing.objects.get(pk=hearing.pk), by=office_user)
    events = events_of(hearing)
    assert [e.status for e in events if e.pgh_label == "update"][-3:] == ["check_in", "voting", "closed"]
    assert (events[-1].web_ballots, events[-1].paper_ballots, events[-1].voters) == (3, 1, 34)


# The office's history page ---------------------------------------------------------------------------------


@pytest.fixture
def problem(unit_a):
    return ProblemFactory(unit=unit_a, year=YearFactory(), responsible="王芳")


@postgresql_only
def test_the_office_reads_who_changed_what_newest_first(client_for, office_user, liaison_a, problem):
    with history.history_context(user=liaison_a.pk, url="/selfcheck/"):
        Problem.objects.filter(pk=problem.pk).update(responsible="李明", status=Problem.Status.IN_PROGRESS)

    page = client_for(office_user).get(history_url(problem))
    assert page.status_code == 200
    entries = page.context["entries"]
    assert [str(e.action) for e in entries] == [str(history.ACTIONS["update"]), str(history.ACTIONS["insert"])]
    assert entries[0].who == "liaison_a"
    changes = {c.field: (c.old, c.new) for c in entries[0].changes}
    field = Problem._meta.get_field
    assert changes[str(field("responsible").verbose_name)] == ("王芳", "李明")
    assert changes[str(field("status").verbose_name)] == (
        str(Problem.Status.OPEN.label),
        str(Problem.Status.IN_PROGRESS.label),
    )
    # Foreign keys read as the record's name.
    created = {c.field: c.new for c in entries[1].changes}
    assert created[str(field("unit").verbose_name)] == problem.unit.name
    assert "李明" in page.content.decode()


@postgresql_only
def test_a_deleted_record_keeps_its_history(client_for, office_user, unit_a):
    subunit = SubUnit.objects.create(unit=unit_a, kind="window", name="婚姻登记处", phone="025-84561234")
    pk = subunit.pk
    subunit.delete()

    page = client_for(office_user).get(reverse("history", args=["units", "subunit", pk]))
    assert page.status_code == 200 and page.context["record"] is None
    assert [str(e.action) for e in page.context["entries"]] == [str(history.ACTIONS[a]) for a in ("delete", "insert")]


def test_on_sqlite_the_page_says_the_history_is_kept_on_postgresql(client_for, office_user, problem, monkeypatch):
    if connection.vendor == "postgresql":
        monkeypatch.setattr("appraisal.history_views.is_recorded", lambda: False)
    page = client_for(office_user).get(history_url(problem))
    assert page.status_code == 200
    assert str(history.NOT_RECORDED) in page.content.decode()


@pytest.mark.parametrize("role", ["leader_user", "liaison_a", "liaison_b", "outsider", "supervisor_user"])
def test_the_history_is_the_offices_alone(client_for, request, role, problem):
    assert client_for(request.getfixturevalue(role)).get(history_url(problem)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, problem):
    response = client.get(history_url(problem))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "path",
    [
        ["hearings", "ballot", "00000000-0000-0000-0000-000000000000"],  # never tracked: secret
        ["hearings", "ballottoken", "1"],
        ["hearings", "hearingevent", "1"],
        ["selfcheck", "complaint", "1"],
        ["nosuchapp", "thing", "1"],
        ["units", "unit", "not-a-number"],
    ],
)
def test_only_tracked_models_have_a_history_page(client_for, office_user, path):
    assert client_for(office_user).get(reverse("history", args=path)).status_code == 404


def test_the_admin_history_button_opens_the_trail(client_for, office_user, problem):
    supervisor = SupervisorFactory()
    for obj, admin_name in ((problem, "selfcheck_problem"), (supervisor, "supervisors_supervisor")):
        response = client_for(office_user).get(reverse(f"admin:{admin_name}_history", args=[obj.pk]))
        assert response.status_code == 302 and response.url == history_url(obj)
    assert Supervisor.pgh_event_model and HearingEvent  # the hearing's own status log stays as it was


def test_office_pages_link_to_the_trail(client_for, office_user, leader_user, problem):
    url = reverse("selfcheck:problem_detail", args=[problem.pk])
    assert history_url(problem) in client_for(office_user).get(url).content.decode()
    assert history_url(problem) not in client_for(leader_user).get(url).content.decode()
