"""Sending the summaries to the city office: by the office's button, on the calendar's dates, once each."""

import datetime
import socket
import time
import zoneinfo

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.html import escape

from appraisal.models import Deadline, Focus
from appraisal.services import appraisal_year_create
from reports import tasks
from reports.exports import SUMMARIES, Scope, services
from reports.exports import selfcheck as summary1
from reports.models import CityDispatch, Report
from units.models import Participation

from ..factories import ProblemFactory

pytestmark = pytest.mark.django_db
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
CITY = "xingfengban@city.example.gov.cn"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def city(settings):
    settings.CITY_OFFICE_EMAIL = CITY


@pytest.fixture
def year(db, unit_a):
    year = appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)
    Participation.objects.create(year=year, unit=unit_a, is_focus=True)
    ProblemFactory.create_batch(3, year=year, unit=unit_a)
    return year


@pytest.fixture
def report(year, office_user):
    report = services.report_request(kind="selfcheck", year=year, by=office_user)
    return services.report_build(report_id=report.pk)


def at(day, hour=7):
    return datetime.datetime.combine(day, datetime.time(hour), SHANGHAI)


def test_the_office_sends_a_summary_with_the_standard_message_and_the_file(
    report, office_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        dispatch = services.city_dispatch_request(report=report, by=office_user)
    assert len(callbacks) == 1 and dispatch.status == CityDispatch.Status.PENDING and not mail.outbox

    services.city_dispatch_send(dispatch_id=dispatch.pk)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [CITY]
    with translation.override(django_settings.LANGUAGE_CODE):
        values = {"district": django_settings.DISTRICT_NAME, "title": summary1.TITLE, "year": 2026}
        assert message.subject == str(services.CITY_SUBJECT % values)
        assert str(summary1.TITLE) in message.body and "3" in message.body
    [(name, content, mimetype)] = message.attachments
    assert name == SUMMARIES["selfcheck"].filename(Scope(report.year)) and mimetype == XLSX
    assert content == report.file.open("rb").read()
    dispatch.refresh_from_db()
    assert dispatch.status == CityDispatch.Status.SENT and dispatch.sent_by == office_user and dispatch.sent_at
    assert dispatch.to == CITY


def test_a_sending_happens_once_however_often_it_is_run(report, office_user):
    dispatch = services.city_dispatch_request(report=report, by=office_user)
    services.city_dispatch_send(dispatch_id=dispatch.pk)
    assert services.city_dispatch_send(dispatch_id=dispatch.pk) is None
    tasks.send_to_city.apply(args=[dispatch.pk])
    assert len(mail.outbox) == 1


def test_nothing_is_sent_without_the_city_address_or_a_ready_summary(report, year, office_user, settings):
    settings.CITY_OFFICE_EMAIL = ""
    with pytest.raises(ValidationError) as error:
        services.city_dispatch_request(report=report, by=office_user)
    assert error.value.messages == [str(services.NO_CITY_EMAIL)]

    settings.CITY_OFFICE_EMAIL = CITY
    queued = services.report_request(kind="hearings", year=year, by=office_user)
    with pytest.raises(ValidationError) as error:
        services.city_dispatch_request(report=queued, by=office_user)
    assert error.value.messages == [str(services.NOT_READY)]
    assert not CityDispatch.objects.exists()


def test_the_page_says_when_the_city_address_is_missing(client, report, office_user, settings):
    settings.CITY_OFFICE_EMAIL = ""
    client.force_login(office_user)
    assert str(services.NO_CITY_EMAIL) in client.get(f"/reports/summaries/{report.pk}/send/").content.decode()
    page = client.post(f"/reports/summaries/{report.pk}/send/", follow=True).content.decode()
    assert escape(str(services.NO_CITY_EMAIL)) in page and not CityDispatch.objects.exists()


def test_the_page_records_who_sent_what_and_when(client, report, office_user, django_capture_on_commit_callbacks):
    client.force_login(office_user)
    confirm = client.get(f"/reports/summaries/{report.pk}/send/").content.decode()
    assert CITY in confirm and summary1.TITLE in confirm
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(f"/reports/summaries/{report.pk}/send/")
    assert len(callbacks) == 1
    dispatch = CityDispatch.objects.get()
    services.city_dispatch_send(dispatch_id=dispatch.pk)
    page = client.get("/reports/summaries/").content.decode()
    assert f'id="dispatch-{dispatch.pk}"' in page and CITY in page and office_user.username in page
    assert str(CityDispatch.Status.SENT.label) in page


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_mail_server_that_does_not_answer_is_tried_again_then_given_up(report, office_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    dispatch = services.city_dispatch_request(report=report, by=office_user)

    for attempt in range(1, services.MAX_ATTEMPTS):
        with pytest.raises(OSError):
            services.city_dispatch_send(dispatch_id=dispatch.pk)
        dispatch.refresh_from_db()
        assert (dispatch.status, dispatch.attempts) == (CityDispatch.Status.PENDING, attempt) and dispatch.error
    services.city_dispatch_send(dispatch_id=dispatch.pk)
    dispatch.refresh_from_db()
    assert dispatch.status == CityDispatch.Status.FAILED and str(services.MAX_ATTEMPTS) in dispatch.error
    assert services.city_dispatch_send(dispatch_id=dispatch.pk) is None


def test_the_sweep_sends_again_what_a_lost_message_left_waiting(
    report, office_user, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(at(datetime.date(2026, 9, 1), 9), tick=False)
    dispatch = services.city_dispatch_request(report=report, by=office_user)
    time_machine.move_to(at(datetime.date(2026, 9, 1), 10), tick=False)
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.jobs_sweep()["dispatches"] == 1
    assert len(callbacks) == 1
    services.city_dispatch_send(dispatch_id=dispatch.pk)
    assert len(mail.outbox) == 1


# The schedule


@pytest.mark.parametrize(
    ("day", "kind"),
    [
        (datetime.date(2026, 8, 31), "selfcheck"),
        (datetime.date(2026, 9, 4), "selfcheck"),  # caught up after a few days' downtime
        (datetime.date(2026, 11, 25), "statistics"),
    ],
)
def test_the_schedule_builds_and_sends_summaries_1_and_5_once(
    year, time_machine, django_capture_on_commit_callbacks, day, kind
):
    time_machine.move_to(at(day), tick=False)
    with django_capture_on_commit_callbacks() as callbacks:
        [dispatch] = services.scheduled_city_summaries()
    assert len(callbacks) == 1  # the build
    report = dispatch.report
    assert (report.kind, report.year, report.requested_by, dispatch.sent_by) == (kind, year, None, None)
    assert services.scheduled_city_summaries() == [] and tasks.scheduled_city_summaries.apply().get() == []
    assert CityDispatch.objects.count() == Report.objects.count() == 1

    with django_capture_on_commit_callbacks() as callbacks:
        services.report_build(report_id=report.pk)
    assert len(callbacks) == 1  # the sending, now that the file is there
    services.city_dispatch_send(dispatch_id=dispatch.pk)
    [message] = mail.outbox
    assert message.to == [CITY] and message.attachments[0][0] == SUMMARIES[kind].filename(Scope(year))


@pytest.mark.parametrize("day", [datetime.date(2026, 8, 30), datetime.date(2026, 9, 8), datetime.date(2026, 11, 24)])
def test_the_schedule_does_nothing_on_other_days(year, time_machine, day):
    time_machine.move_to(at(day), tick=False)
    assert services.scheduled_city_summaries() == [] and not Report.objects.exists()


def test_the_schedule_follows_the_years_calendar(year, time_machine):
    Deadline.objects.filter(year=year, code="district_register").update(due_date=datetime.date(2026, 8, 28))
    time_machine.move_to(at(datetime.date(2026, 8, 28)), tick=False)
    assert [d.report.kind for d in services.scheduled_city_summaries()] == ["selfcheck"]


def test_the_schedule_waits_for_the_city_address(year, time_machine, settings):
    settings.CITY_OFFICE_EMAIL = ""
    time_machine.move_to(at(datetime.date(2026, 8, 31)), tick=False)
    assert services.scheduled_city_summaries() == [] and not Report.objects.exists()


def test_a_summary_that_cannot_be_built_is_not_sent(year, time_machine, monkeypatch):
    time_machine.move_to(at(datetime.date(2026, 8, 31)), tick=False)
    [dispatch] = services.scheduled_city_summaries()

    def broken(*args, **kwargs):
        raise ValueError("broken register")

    monkeypatch.setattr(summary1, "rows", broken)
    services.report_build(report_id=dispatch.report_id)
    dispatch.refresh_from_db()
    assert dispatch.status == CityDispatch.Status.FAILED and dispatch.error == str(services.NOT_BUILT)


def test_the_jobs_must_not_be_lost():
    for task in (tasks.build_report, tasks.send_to_city, tasks.reports_sweep, tasks.scheduled_city_summaries):
        assert task.acks_late and task.reject_on_worker_lost, task.name
    from appraisal.celery import app

    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert {"reports.tasks.reports_sweep", "reports.tasks.scheduled_city_summaries"} <= scheduled


# A real worker


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_summary_and_sends_it_to_the_city(start_celery_worker, settings, unit_a, office_user):
    worker = start_celery_worker(env={"MEDIA_ROOT": str(settings.MEDIA_ROOT), "CITY_OFFICE_EMAIL": CITY})
    year = appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)
    ProblemFactory.create_batch(3, year=year, unit=unit_a)
    with transaction.atomic():
        report = services.report_request(kind="selfcheck", year=year, by=office_user)

    built = wait_for(lambda: Report.objects.get(pk=report.pk).status == Report.Status.DONE)
    assert built, worker.log()[-3000:]
    report.refresh_from_db()
    with report.file.open("rb") as file:
        sheet = openpyxl.load_workbook(file)[summary1.SHEETS[0][1]]
    assert [sheet.cell(row=n, column=2).value for n in range(3, 6)] == [unit_a.name] * 3

    with transaction.atomic():
        dispatch = services.city_dispatch_request(report=report, by=office_user)
    sent = wait_for(lambda: CityDispatch.objects.get(pk=dispatch.pk).status == CityDispatch.Status.SENT)
    assert sent, worker.log()[-3000:]
    [message] = [path.read_bytes() for path in worker.mail_dir.iterdir()]
    assert CITY.encode() in message and XLSX.encode() in message
