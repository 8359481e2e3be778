"""Public complaints and reports: the citizen's form, the tracking code, and the office's triage.

Triage passes a complaint to the unit as a problem of its register, with the evaluation item, the disposition and
the deadline the office sets, and tells the unit; or refuses it with a reason the citizen reads. Either decision
can be undone by the office with a reason; every decision is a ComplaintStep.
"""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from appraisal.models import AppraisalYear

from ..models import Complaint, ComplaintStep, Problem
from .problems import problem_create, problem_withdraw, tell_unit

Status = Complaint.Status

UNIT_INACTIVE = _("Choose one of the units listed.")
ALREADY_HANDLED = _("This complaint has already been handled.")
REASON_REQUIRED = _("Write the reason the complaint is not accepted; the citizen sees it with the tracking code.")
NO_YEAR = _("There is no appraisal year to record the problem in; create the year first.")
NOT_HANDLED = _("This complaint is still waiting for the office; there is no decision to undo.")
UNDO_REASON_REQUIRED = _("Write why the decision is undone; it is kept with the complaint.")
ACCEPTED_TITLE = _("A public complaint was passed to your register as problem No. %(number)s")
ACCEPTED_BODY = _(
    "Disposition: %(disposition)s. Deadline: %(due)s. Write its cause analysis and rectification measure in the "
    "register; the register cannot be submitted without them."
)

# The default the office sees at triage: a complaint is solved by a deadline, 15 days from the triage.
DEFAULT_DISPOSITION = Problem.Disposition.DEADLINE
DEFAULT_DAYS = 15


def default_due_on(today=None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=DEFAULT_DAYS)


# No 0/O or 1/I/L: codes are read out over the phone and copied by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch in CODE_ALPHABET)


def complaint_submit(*, unit, what, submission_key, occurred_on=None, place="", name="", phone="") -> Complaint:
    """Store a complaint once: a second post of the same form returns the complaint the first one stored."""
    if not unit.is_active:
        raise ValidationError(UNIT_INACTIVE)
    existing = Complaint.objects.filter(submission_key=submission_key).first()
    if existing:
        return existing
    fields = {
        "unit": unit,
        "what": what.strip(),
        "occurred_on": occurred_on,
        "place": place.strip(),
        "name": name.strip(),
        "phone": phone.strip(),
    }
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Complaint.objects.create(code=new_code(), submission_key=submission_key, **fields)
        except IntegrityError:
            existing = Complaint.objects.filter(submission_key=submission_key).first()
            if existing:  # the same form posted twice at once: the other request stored it
                return existing
    raise RuntimeError("no free tracking code after 5 attempts")


def complaint_find(code: str) -> Complaint | None:
    code = normalise_code(code)
    return Complaint.objects.select_related("unit", "problem").filter(code=code).first() if code else None


def _claim(complaint):
    complaint = Complaint.objects.select_for_update().select_related("unit").get(pk=complaint.pk)
    if complaint.status != Status.RECEIVED:
        raise ValidationError(ALREADY_HANDLED)
    return complaint


def _step(complaint, *, action, by, note="", problem=None):
    ComplaintStep.objects.create(complaint=complaint, action=action, by=by, note=note, problem=problem)


@transaction.atomic
def complaint_accept(
    *, complaint: Complaint, by, item, subunit=None, disposition=DEFAULT_DISPOSITION, due_on=None
) -> Problem:
    """Pass the complaint to the unit as a problem of its register (source: complaint) with the evaluation item,
    disposition and deadline the office sets, without the citizen's name and phone; the unit is told."""
    complaint = _claim(complaint)
    year = AppraisalYear.objects.current()
    if year is None:
        raise ValidationError(NO_YEAR)
    if due_on is None and disposition in (Problem.Disposition.DEADLINE, Problem.Disposition.PLAN):
        due_on = default_due_on()
    facts = [complaint.what]
    if complaint.occurred_on:
        facts.append(str(_("When: %(date)s")) % {"date": complaint.occurred_on.isoformat()})
    if complaint.place:
        facts.append(str(_("Where: %(place)s")) % {"place": complaint.place})
    problem = problem_create(
        year=year,
        unit=complaint.unit,
        source=Problem.Source.COMPLAINT,
        found_on=timezone.localdate(complaint.submitted_at),
        item=item,
        description="\n".join(facts),
        by=by,
        subunit=subunit,
        disposition=disposition or "",
        due_on=due_on,
    )
    complaint.status, complaint.problem, complaint.reason = Status.ACCEPTED, problem, ""
    complaint.triaged_at, complaint.triaged_by = timezone.now(), by
    complaint.save()
    _step(complaint, action=ComplaintStep.Action.ACCEPTED, by=by, problem=problem)
    due = problem.due_on.isoformat() if problem.due_on else "—"
    body = gettext(ACCEPTED_BODY) % {"disposition": problem.get_disposition_display() or "—", "due": due}
    tell_unit(problem, title=ACCEPTED_TITLE, body=f"{problem.description}\n\n{body}", by=by)
    return problem


@transaction.atomic
def complaint_reject(*, complaint: Complaint, by, reason: str) -> Complaint:
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED)
    complaint = _claim(complaint)
    complaint.status, complaint.reason = Status.REJECTED, reason.strip()
    complaint.triaged_at, complaint.triaged_by = timezone.now(), by
    complaint.save()
    _step(complaint, action=ComplaintStep.Action.REJECTED, by=by, note=complaint.reason)
    return complaint


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, by, reason: str) -> Complaint:
    """Undo the office's decision made by mistake: the complaint waits for triage again. An accepted complaint's
    problem is withdrawn from the unit's register (the unit is told); that is refused once the unit has
    rectified or closed it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(UNDO_REASON_REQUIRED)
    complaint = Complaint.objects.select_for_update(of=("self",)).select_related("problem").get(pk=complaint.pk)
    if complaint.status == Status.RECEIVED:
        raise ValidationError(NOT_HANDLED)
    problem = complaint.problem
    if problem is not None:
        problem_withdraw(problem=problem, by=by, reason=reason)
    complaint.status, complaint.problem, complaint.reason = Status.RECEIVED, None, ""
    complaint.triaged_at = complaint.triaged_by = None
    complaint.save()
    _step(complaint, action=ComplaintStep.Action.REOPENED, by=by, note=reason, problem=problem)
    return complaint
