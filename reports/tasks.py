"""The summaries' jobs. Thin: each takes an id, calls a service, and retries with a countdown on transient errors.

They must not be lost: acknowledged only after they ran (acks_late), handed back to the queue if the worker dies
(reject_on_worker_lost), and safe to run twice (each service claims its row first). Their rows in the database
are the record of what is still to do; `reports_sweep` re-enqueues whatever went missing.
"""

import logging

from celery import shared_task

from appraisal.history import recorded

from .exports import services

logger = logging.getLogger(__name__)

RETRY_COUNTDOWN = 60

MUST_NOT_BE_LOST = {"acks_late": True, "reject_on_worker_lost": True, "max_retries": services.MAX_ATTEMPTS}


def _redelivered(task) -> bool:
    """The broker hands a message out again only when the worker that had it died (reject_on_worker_lost) or
    did not acknowledge it within the visibility timeout: whoever was running the job has stopped."""
    return bool((task.request.delivery_info or {}).get("redelivered"))


@shared_task(bind=True, **MUST_NOT_BE_LOST)
@recorded(task="reports.build_report")
def build_report(self, report_id):
    try:
        services.report_build(report_id=report_id, redelivered=_redelivered(self))
    except services.TRANSIENT_ERRORS as error:
        raise self.retry(exc=error, countdown=RETRY_COUNTDOWN) from error


@shared_task(bind=True, **MUST_NOT_BE_LOST)
@recorded(task="reports.send_to_city")
def send_to_city(self, dispatch_id):
    try:
        services.city_dispatch_send(dispatch_id=dispatch_id, redelivered=_redelivered(self))
    except Exception as error:  # the mail server's errors are many; the service recorded the error and attempt
        raise self.retry(exc=error, countdown=RETRY_COUNTDOWN) from error


@shared_task(acks_late=True, reject_on_worker_lost=True)
@recorded(task="reports.reports_sweep")
def reports_sweep():
    done = services.jobs_sweep()
    if any(done.values()):
        logger.info("Summaries sweep: %s", done)
    return done


@shared_task(acks_late=True, reject_on_worker_lost=True)
@recorded(task="reports.scheduled_city_summaries")
def scheduled_city_summaries():
    return [dispatch.pk for dispatch in services.scheduled_city_summaries()]
