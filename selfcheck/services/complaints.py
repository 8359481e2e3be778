"""Public complaints and reports: the citizen's form, the tracking code, and the office's triage."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models import AppraisalYear

from ..models import Complaint, Problem
from .problems import problem_create

Status = Complaint.Status

UNIT_INACTIVE = _("Choose one of the units listed.")
ALREADY_HANDLED = _("This complaint has already been handled.")
REASON_REQUIRED = _("Write the reason the complaint is not accepted; the citizen sees it with the tracking code.")
NO_YEAR = _("There is no appraisal year to record the problem in; create the year first.")

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


@transaction.atomic
def complaint_accept(*, complaint: Complaint, by, item, subunit=None) -> Problem:
    """Pass the complaint to the unit as a problem of its register (source: complaint), without the citizen's
    name and phone."""
    complaint = _claim(complaint)
    year = AppraisalYear.objects.current()
    if year is None:
        raise ValidationError(NO_YEAR)
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
    )
    complaint.status, complaint.problem = Status.ACCEPTED, problem
    complaint.triaged_at, complaint.triaged_by = timezone.now(), by
    complaint.save()
    return problem


@transaction.atomic
def complaint_reject(*, complaint: Complaint, by, reason: str) -> Complaint:
    if not reason.strip():
        raise ValidationError(REASON_REQUIRED)
    complaint = _claim(complaint)
    complaint.status, complaint.reason = Status.REJECTED, reason.strip()
    complaint.triaged_at, complaint.triaged_by = timezone.now(), by
    complaint.save()
    return complaint
