"""Building the summaries and sending them to the city office, as jobs that survive lost messages and workers.

Every job is a row first (`Report`, `CityDispatch`): the intent is in the database before a message is queued,
and a worker claims the row with a conditional UPDATE before doing anything, so running a job twice changes
nothing. A worker shows it is alive by moving `touched_at`; `jobs_sweep` re-enqueues what has not moved for
`STALE_AFTER` and gives up after `MAX_ATTEMPTS`.
"""

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from appraisal.excel import XLSX_CONTENT_TYPE
from appraisal.models import AppraisalYear, Deadline

from ..models import CityDispatch, Report
from . import SUMMARIES, write_summary
from .common import Progress, Scope

logger = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 3

DATES_REVERSED = _("The start of the period is after its end; swap the two dates.")
DATES_OUTSIDE_YEAR = _("The period must lie within %(year)s.")
NO_CITY_EMAIL = _(
    "The city office's email address is not configured. Set CITY_OFFICE_EMAIL on the server and try again."
)
NOT_READY = _("Only a summary that is ready can be sent. Wait until it is built.")
GAVE_UP = _("Given up after %(attempts)s attempts: %(error)s")
BUILD_FAILED = _("The summary could not be built: %(error)s")
NOT_BUILT = _("The summary could not be built, so it was not sent.")
WORKER_STOPPED = _("the worker stopped")

CITY_SUBJECT = _("%(district)s: %(title)s, %(year)s")
CITY_BODY = _(
    "To the city conduct appraisal office:\n\n"
    "Please find attached the %(title)s of %(district)s for %(year)s (%(rows)s rows), as the district's "
    "implementing opinions require.\n\n"
    "%(district)s conduct appraisal office\n%(date)s\n"
)

# Errors worth another try: the database or the mail server was unreachable, a file could not be written.
TRANSIENT_ERRORS = (DatabaseError, OSError)


def _now():
    return timezone.now()


def _enqueue_build(report_id):
    from ..tasks import build_report

    transaction.on_commit(lambda: build_report.delay(report_id))


def _enqueue_send(dispatch_id):
    from ..tasks import send_to_city

    transaction.on_commit(lambda: send_to_city.delay(dispatch_id))


def _check_period(year, date_from, date_to):
    if date_from and date_to and date_from > date_to:
        raise ValidationError(DATES_REVERSED)
    for day in (date_from, date_to):
        if day and day.year != year.year:
            raise ValidationError(DATES_OUTSIDE_YEAR, params={"year": year.year})


def report_request(*, kind: str, year: AppraisalYear, unit=None, date_from=None, date_to=None, by) -> Report:
    """Record that `by` (None: the schedule) asks for summary `kind`; it is built in the background once the
    transaction commits. Only the inspection register takes a period."""
    if not SUMMARIES[kind].uses_dates:
        date_from = date_to = None
    _check_period(year, date_from, date_to)
    report = Report.objects.create(
        kind=kind, year=year, unit=unit, date_from=date_from, date_to=date_to, requested_by=by
    )
    _enqueue_build(report.pk)
    return report


def _claim_report(report_id, *, redelivered=False) -> int | None:
    """Take the report for this worker: queued, or running in a worker that stopped showing signs of life, or
    (a redelivered message) in the worker that died with the message. Returns the attempt number that fences
    this worker's result, or None when someone else has it."""
    now = _now()
    running = Q(status=Report.Status.RUNNING)
    if not redelivered:
        running &= Q(touched_at__lt=now - STALE_AFTER)
    claimable = Q(status=Report.Status.QUEUED) | running
    claimed = Report.objects.filter(claimable, pk=report_id, attempts__lt=MAX_ATTEMPTS).update(
        status=Report.Status.RUNNING, attempts=F("attempts") + 1, started_at=now, touched_at=now, error=""
    )
    if not claimed:
        return None
    return Report.objects.values_list("attempts", flat=True).get(pk=report_id)


def report_build(*, report_id: int, redelivered: bool = False) -> Report | None:
    """Build the summary of a report and store its file, then send it wherever it was asked to go.

    Does nothing unless this call claims the report, so a repeated or duplicated message changes nothing.
    A transient error puts the report back in the queue and is raised for the task to retry; any other error
    marks it failed with the error for the office to read. A `redelivered` message, whose worker died, takes
    the report over at once (its progress bar would otherwise hang until the sweep), or fails it when that
    worker had the last attempt."""
    attempt = _claim_report(report_id, redelivered=redelivered)
    if attempt is None:
        if redelivered:
            _give_up_if_exhausted(report_id)
        return None
    report = Report.objects.select_related("year", "unit").get(pk=report_id)
    try:
        rows = _write_file(report)
    except TRANSIENT_ERRORS as error:
        _release(Report.objects.filter(pk=report_id, attempts=attempt), Report.Status.QUEUED, error)
        raise
    except Exception as error:
        logger.exception("Summary %s could not be built", report_id)
        _fail_report(report_id, attempt, BUILD_FAILED % {"error": error})
        return report
    return _finish(report, attempt, rows)


def _write_file(report) -> int:
    """Write the workbook to a temporary file, then store it under a random name; returns the rows written."""
    scope = Scope(report.year, report.unit, report.date_from, report.date_to)
    with tempfile.TemporaryFile() as file:
        rows = write_summary(kind=report.kind, scope=scope, file=file, progress=Progress(report.pk))
        file.seek(0)
        report.file.save("summary.xlsx", File(file), save=False)
    report.size = report.file.size
    return rows


def _finish(report, attempt, rows) -> Report:
    """Record the file, unless another worker took the report over meanwhile (then its file wins)."""
    now = _now()
    with transaction.atomic():
        won = Report.objects.filter(pk=report.pk, status=Report.Status.RUNNING, attempts=attempt).update(
            status=Report.Status.DONE,
            file=report.file.name,
            size=report.size,
            rows_done=rows,
            rows_total=rows,
            finished_at=now,
            touched_at=now,
        )
        if not won:
            transaction.on_commit(lambda: report.file.storage.delete(report.file.name))
            return report
        for dispatch_id in report.dispatches.filter(status=CityDispatch.Status.PENDING).values_list("pk", flat=True):
            _enqueue_send(dispatch_id)
    report.refresh_from_db()
    return report


def _give_up_if_exhausted(report_id):
    exhausted = Report.objects.filter(pk=report_id, status=Report.Status.RUNNING, attempts__gte=MAX_ATTEMPTS)
    for report in exhausted.only("pk", "attempts", "error"):
        error = report.error or WORKER_STOPPED
        _fail_report(report.pk, report.attempts, GAVE_UP % {"attempts": report.attempts, "error": error})


def _release(claimed, status, error):
    """Give a claimed job back to the queue after a transient error; the task retries it."""
    try:
        claimed.update(status=status, error=str(error))
    except DatabaseError:
        logger.warning("Could not release job after %s; the sweep will pick it up", error)


def _fail_report(report_id, attempt, message):
    Report.objects.filter(pk=report_id, attempts=attempt).update(
        status=Report.Status.FAILED, error=str(message), finished_at=_now()
    )
    CityDispatch.objects.filter(report_id=report_id, status=CityDispatch.Status.PENDING).update(
        status=CityDispatch.Status.FAILED, error=str(NOT_BUILT)
    )


def city_dispatch_request(*, report: Report, by) -> CityDispatch:
    """Ask for a ready summary to be emailed to the city office; it is sent once the transaction commits."""
    if not settings.CITY_OFFICE_EMAIL:
        raise ValidationError(NO_CITY_EMAIL)
    if report.status != Report.Status.DONE:
        raise ValidationError(NOT_READY)
    dispatch = CityDispatch.objects.create(report=report, to=settings.CITY_OFFICE_EMAIL, sent_by=by)
    _enqueue_send(dispatch.pk)
    return dispatch


def _claim_dispatch(dispatch_id, *, redelivered=False) -> int | None:
    """Like `_claim_report`: pending, or sending in a worker that went silent or (redelivered) died."""
    now = _now()
    sending = Q(status=CityDispatch.Status.SENDING)
    if not redelivered:
        sending &= Q(touched_at__lt=now - STALE_AFTER)
    claimable = Q(status=CityDispatch.Status.PENDING) | sending
    claimed = CityDispatch.objects.filter(
        claimable, pk=dispatch_id, attempts__lt=MAX_ATTEMPTS, report__status=Report.Status.DONE
    ).update(status=CityDispatch.Status.SENDING, attempts=F("attempts") + 1, touched_at=now)
    if not claimed:
        return None
    return CityDispatch.objects.values_list("attempts", flat=True).get(pk=dispatch_id)


def city_message(report: Report, to: str) -> EmailMessage:
    """The standard email to the city office, in Chinese, with the summary attached."""
    summary = SUMMARIES[report.kind]
    scope = Scope(report.year, report.unit, report.date_from, report.date_to)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "district": settings.DISTRICT_NAME,
            "title": summary.title,
            "year": report.year.year,
            "rows": report.rows_done,
            "date": timezone.localdate().isoformat(),
        }
        message = EmailMessage(str(CITY_SUBJECT % values), str(CITY_BODY % values), to=[to])
    with report.file.open("rb") as file:
        message.attach(summary.filename(scope), file.read(), XLSX_CONTENT_TYPE)
    return message


def city_dispatch_send(*, dispatch_id: int, redelivered: bool = False) -> CityDispatch | None:
    """Email a summary to the city office. Does nothing unless this call claims the sending (pending, the
    summary ready). A failure puts it back for the task to retry, and after MAX_ATTEMPTS marks it failed.

    A worker that dies after the mail server accepted the message but before it was recorded may send it a
    second time when the sweep retries: at least once, as email allows. A `redelivered` message, whose worker
    died, takes the sending over at once instead of waiting for the sweep."""
    attempt = _claim_dispatch(dispatch_id, redelivered=redelivered)
    if attempt is None:
        return None
    dispatch = CityDispatch.objects.select_related("report__year", "report__unit").get(pk=dispatch_id)
    mine = CityDispatch.objects.filter(pk=dispatch_id, attempts=attempt, status=CityDispatch.Status.SENDING)
    try:
        city_message(dispatch.report, dispatch.to).send()
    except Exception as error:
        if attempt >= MAX_ATTEMPTS:
            mine.update(status=CityDispatch.Status.FAILED, error=str(GAVE_UP % {"attempts": attempt, "error": error}))
            return dispatch
        _release(mine, CityDispatch.Status.PENDING, error)
        raise
    mine.update(status=CityDispatch.Status.SENT, sent_at=_now(), touched_at=_now(), error="")
    dispatch.refresh_from_db()
    return dispatch


# The sendings the schedule makes: (deadline code of the calendar, default month and day, summary).
SCHEDULED = [
    ("district_register", 8, 31, Report.Kind.SELFCHECK),
    ("district_summary", 11, 25, Report.Kind.STATISTICS),
]
# A schedule missed while the server was down still runs on the days after, for this long.
CATCH_UP = datetime.timedelta(days=7)


def scheduled_city_summaries(*, today=None) -> list[CityDispatch]:
    """On the year's August 31 (summary 1) and November 25 (summary 5) — the calendar's dates for them —
    build the summary and send it to the city office, once: the sending's unique schedule key is claimed in the
    same transaction that records the report."""
    today = today or timezone.localdate()
    year = AppraisalYear.objects.filter(year=today.year).first()
    if year is None:
        return []
    if not settings.CITY_OFFICE_EMAIL:
        logger.warning("CITY_OFFICE_EMAIL is not set: no summary is sent to the city office")
        return []
    calendar = dict(Deadline.objects.filter(year=year).values_list("code", "due_date"))
    created = []
    for code, month, day, kind in SCHEDULED:
        due = calendar.get(code) or datetime.date(year.year, month, day)
        if not due <= today <= due + CATCH_UP:
            continue
        try:
            with transaction.atomic():
                report = report_request(kind=kind, year=year, by=None)
                created.append(
                    CityDispatch.objects.create(
                        report=report, to=settings.CITY_OFFICE_EMAIL, schedule=f"{year.year}:{code}"
                    )
                )
        except IntegrityError:
            continue  # already scheduled on an earlier day or by another beat
    return created


def jobs_sweep(*, now=None) -> dict:
    """Re-enqueue summaries and sendings that have shown no sign of life for STALE_AFTER (a lost message, a
    dead worker); mark failed those that used up their attempts. Returns what it did, for the log."""
    now = now or _now()
    stale = now - STALE_AFTER
    done = {"reports": 0, "dispatches": 0, "failed": 0}

    stuck = Report.objects.filter(status__in=[Report.Status.QUEUED, Report.Status.RUNNING], touched_at__lt=stale)
    for report in stuck.filter(attempts__gte=MAX_ATTEMPTS).only("pk", "attempts", "error"):
        error = report.error or WORKER_STOPPED
        _fail_report(report.pk, report.attempts, GAVE_UP % {"attempts": report.attempts, "error": error})
        done["failed"] += 1
    for report_id in stuck.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True):
        # Back to the queue: the stale worker (if it still lives) can no longer record its result.
        Report.objects.filter(pk=report_id).update(status=Report.Status.QUEUED, touched_at=now)
        _enqueue_build(report_id)
        done["reports"] += 1

    waiting = CityDispatch.objects.filter(
        status__in=[CityDispatch.Status.PENDING, CityDispatch.Status.SENDING],
        touched_at__lt=stale,
        report__status=Report.Status.DONE,
    )
    failed = waiting.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=CityDispatch.Status.FAILED, error=str(GAVE_UP % {"attempts": MAX_ATTEMPTS, "error": _("no answer")})
    )
    done["failed"] += failed
    for dispatch_id in waiting.filter(attempts__lt=MAX_ATTEMPTS).values_list("pk", flat=True):
        CityDispatch.objects.filter(pk=dispatch_id).update(status=CityDispatch.Status.PENDING, touched_at=now)
        _enqueue_send(dispatch_id)
        done["dispatches"] += 1
    return done
