"""Problems of the self-check register and their rectification: the one place their rules live.

Status moves: open → in progress → rectified → verified (by the office); open or in progress → explained.
The office sends a rectification back (rectified → in progress), reopens a verified or explained problem
(→ in progress) and withdraws a problem it passed by mistake (→ withdrawn), each with a reason; the unit is told.
Every change of state is a step of the problem's timeline (ProblemStep), written here and never changed.
Every write bumps `version`, which is how an Excel export that has gone stale is recognised.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from appraisal.roles import is_office
from appraisal.uploads import DOCUMENT_KINDS, IMAGE_KINDS, check_upload
from units.services.notifications import notification_send

from ..models import DUE_DATE_REQUIRED, Problem, ProblemStep
from ..selectors import register_number

Status, Disposition, Source, Action = Problem.Status, Problem.Disposition, Problem.Source, ProblemStep.Action

ITEM_WRONG_KIND = _("“%(item)s” is not an evaluation item of %(kind)s; choose one of this unit's items.")
SUBUNIT_NOT_OF_UNIT = _("“%(subunit)s” is not a sub-unit of %(unit)s.")
UNKNOWN_SOURCE = _("“%(value)s” is not a known source.")
UNKNOWN_DISPOSITION = _("“%(value)s” is not a known disposition.")
DESCRIPTION_REQUIRED = _("Describe the problem.")
FOUND_IN_FUTURE = _("The date the problem was found cannot be later than today.")
DUE_BEFORE_FOUND = _("The deadline cannot be earlier than the date the problem was found.")
PROBLEM_CLOSED = _("This problem is “%(status)s” and can no longer be changed.")
PROBLEM_CHANGED = _("Someone changed this problem while you were editing it. Open it again and redo your changes.")
CANNOT_START = _("Only an open problem can be started; this one is “%(status)s”.")
CANNOT_RECTIFY = _("Only an open or in-progress problem can be marked rectified; this one is “%(status)s”.")
CANNOT_VERIFY = _("Only a rectified problem can be verified; this one is “%(status)s”.")
CANNOT_EXPLAIN = _("Only an open or in-progress problem can be explained; this one is “%(status)s”.")
NOTE_REQUIRED = _("Say what was done to rectify the problem.")
EXPLANATION_REQUIRED = _("Explain why the problem cannot be solved.")
CANNOT_SEND_BACK = _("Only a rectified problem can be sent back; this one is “%(status)s”.")
SEND_BACK_COMMENT_REQUIRED = _("Write what is still missing, so the unit knows what to do.")
CANNOT_REOPEN = _("Only a verified or explained problem can be reopened; this one is “%(status)s”.")
REOPEN_REASON_REQUIRED = _("Write why the problem is reopened; the unit reads it.")
CANNOT_WITHDRAW = _(
    "The unit has already rectified or closed this problem (“%(status)s”); it can no longer be withdrawn."
)
WITHDRAW_REASON_REQUIRED = _("Write why the problem is withdrawn; the unit reads it.")

SENT_BACK_TITLE = _("The office sent back the rectification of problem No. %(number)s")
REOPENED_TITLE = _("The office reopened problem No. %(number)s")
WITHDRAWN_TITLE = _("The office withdrew problem No. %(number)s")

EDITABLE_FIELDS = (
    "subunit",
    "source",
    "found_on",
    "item",
    "description",
    "cause",
    "measure",
    "disposition",
    "responsible",
    "due_on",
    "note",
)
TEXT_FIELDS = ("description", "cause", "measure", "responsible", "note")
RELATED_FIELDS = ("subunit", "item")
DUE_DATE_DISPOSITIONS = (Disposition.DEADLINE, Disposition.PLAN)
EVIDENCE_KINDS = DOCUMENT_KINDS + IMAGE_KINDS
OPEN_STATES = (Status.OPEN, Status.IN_PROGRESS)
REOPENABLE_STATES = (Status.VERIFIED, Status.EXPLAINED)
# Computed once: the import checks thousands of rows against them.
SOURCES, DISPOSITIONS = frozenset(Source.values), frozenset(Disposition.values)

# Control characters other than tab and newline: a spreadsheet refuses them, nobody types them on purpose.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value) -> str:
    """Text as stored: one kind of line break, no control characters, no surrounding blanks."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", text).strip()


def normalised(fields: dict) -> dict:
    return {name: clean_text(value) if name in TEXT_FIELDS else value for name, value in fields.items()}


def problem_errors(*, unit, values: dict, today=None) -> dict:
    """The rules across a problem's fields, as {field: message}; shared by the forms and the Excel import."""
    errors = {}
    item, subunit = values["item"], values.get("subunit")
    if item.kind != unit.kind:
        errors["item"] = ITEM_WRONG_KIND % {"item": item.name, "kind": unit.get_kind_display()}
    if subunit is not None and subunit.unit_id != unit.pk:
        errors["subunit"] = SUBUNIT_NOT_OF_UNIT % {"subunit": subunit.name, "unit": unit.name}
    if values["source"] not in SOURCES:
        errors["source"] = UNKNOWN_SOURCE % {"value": values["source"]}
    if values["disposition"] and values["disposition"] not in DISPOSITIONS:
        errors["disposition"] = UNKNOWN_DISPOSITION % {"value": values["disposition"]}
    if not values["description"]:
        errors["description"] = DESCRIPTION_REQUIRED
    found_on, due_on = values["found_on"], values.get("due_on")
    if found_on > (today or timezone.localdate()):
        errors["found_on"] = FOUND_IN_FUTURE
    if values["disposition"] in DUE_DATE_DISPOSITIONS and due_on is None:
        errors["due_on"] = DUE_DATE_REQUIRED
    elif due_on is not None and due_on < found_on:
        errors["due_on"] = DUE_BEFORE_FOUND
    return errors


def _raise_if(errors: dict):
    if errors:
        raise ValidationError({name: [str(message)] for name, message in errors.items()})


def _locked(problem) -> Problem:
    """A fresh copy of the problem, locked until the end of the transaction."""
    return Problem.objects.select_for_update(of=("self",)).select_related("unit", "item", "subunit").get(pk=problem.pk)


def _save(problem, now=None):
    problem.version += 1
    problem.updated_at = now or timezone.now()
    problem.save()
    return problem


def _check_state(problem, allowed, refusal):
    if problem.status not in allowed:
        raise ValidationError(refusal, params={"status": problem.get_status_display()})


def _required(text, refusal, field="note") -> str:
    text = clean_text(text)
    if not text:
        raise ValidationError({field: [str(refusal)]})
    return text


def step_record(problem, *, action, by, status_from="", note="", at=None, evidence_of=None) -> ProblemStep:
    """Write one step of the problem's timeline; `evidence_of` copies the evidence the problem holds now."""
    step = ProblemStep(
        problem=problem,
        at=at or timezone.now(),
        by=by,
        by_office=is_office(by) if by is not None else False,
        action=action,
        status_from=status_from,
        status_to=problem.status,
        note=note,
    )
    if evidence_of is not None:
        step.evidence, step.evidence_name, step.evidence_kind = (
            evidence_of.evidence.name,
            evidence_of.evidence_name,
            evidence_of.evidence_kind,
        )
    step.save()
    return step


def problem_url(problem) -> str:
    return reverse("selfcheck:problem_detail", args=[problem.pk])


def tell_unit(problem, *, title, body="", by=None):
    """Tell the problem's unit (its page and email) that the office handed the problem back to it."""
    number = register_number(problem)
    notification_send(
        unit=problem.unit, title=gettext(title) % {"number": number}, body=body, url=problem_url(problem), by=by
    )


def is_changed(problem, name, value) -> bool:
    if name in RELATED_FIELDS:
        return getattr(problem, f"{name}_id") != (value.pk if value is not None else None)
    return getattr(problem, name) != value


def start(problem, now):
    """Open → in progress; shared with the Excel import, which may set this status too."""
    problem.status = Status.IN_PROGRESS
    problem.started_at = problem.started_at or now


@transaction.atomic
def problem_create(
    *,
    year,
    unit,
    source: str,
    found_on,
    item,
    description: str,
    by,
    subunit=None,
    cause: str = "",
    measure: str = "",
    disposition: str = "",
    responsible: str = "",
    due_on=None,
    note: str = "",
) -> Problem:
    """Record a problem in a unit's register.

    The inspections and complaints features call this with source "inspection" or "complaint". `by` is the
    person who enters the problem: for an inspection finding, the office reviewer who accepted it, never the
    supervisor (a covert inspection must not reveal who found the problem).
    """
    values = normalised(
        {
            "subunit": subunit,
            "source": source,
            "found_on": found_on,
            "item": item,
            "description": description,
            "cause": cause,
            "measure": measure,
            "disposition": disposition,
            "responsible": responsible,
            "due_on": due_on,
            "note": note,
        }
    )
    _raise_if(problem_errors(unit=unit, values=values))
    problem = Problem(year=year, unit=unit, created_by=by, **values)
    problem.save()
    step_record(problem, action=Action.CREATED, by=by, at=problem.created_at)
    return problem


@transaction.atomic
def problem_update(*, problem: Problem, by, expected_version: int | None = None, **fields) -> Problem:
    """Change the register fields of a problem. A closed problem (verified or explained) is refused; a change
    that equals the current values writes nothing. `expected_version` refuses an edit based on an old copy."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"problem_update() cannot change {', '.join(sorted(unknown))}")
    problem = _locked(problem)
    if expected_version is not None and expected_version != problem.version:
        raise ValidationError(PROBLEM_CHANGED)
    changes = {name: value for name, value in normalised(fields).items() if is_changed(problem, name, value)}
    if not changes:
        return problem
    if problem.is_closed:
        raise ValidationError(PROBLEM_CLOSED, params={"status": problem.get_status_display()})
    values = {name: getattr(problem, name) for name in EDITABLE_FIELDS} | changes
    _raise_if(problem_errors(unit=problem.unit, values=values))
    for name, value in changes.items():
        setattr(problem, name, value)
    return _save(problem)


@transaction.atomic
def problem_start(*, problem: Problem, by) -> Problem:
    """The unit has begun to rectify the problem."""
    problem = _locked(problem)
    _check_state(problem, (Status.OPEN,), CANNOT_START)
    now = timezone.now()
    start(problem, now)
    _save(problem, now)
    step_record(problem, action=Action.STARTED, by=by, status_from=Status.OPEN, at=now)
    return problem


@transaction.atomic
def problem_rectify(*, problem: Problem, by, note: str, evidence=None) -> Problem:
    """The unit says the problem is rectified, with what was done and, optionally, a document or photo that
    shows it. The evidence is checked by its content and stored under a random name; the timeline keeps each
    rectification's note and evidence, so a rectification sent back and done again loses neither."""
    problem = _locked(problem)
    _check_state(problem, OPEN_STATES, CANNOT_RECTIFY)
    note = _required(note, NOTE_REQUIRED)
    if evidence is not None:
        problem.evidence_kind = check_upload(
            evidence, kinds=EVIDENCE_KINDS, max_bytes=settings.DOCUMENT_MAX_UPLOAD_BYTES
        )
        problem.evidence_name = (evidence.name or "")[-200:]
        problem.evidence.save(evidence.name, evidence, save=False)
    now, before = timezone.now(), problem.status
    problem.started_at = problem.started_at or now
    problem.status, problem.rectified_at, problem.rectification_note = Status.RECTIFIED, now, note
    _save(problem, now)
    evidence_of = problem if evidence is not None else None
    step_record(problem, action=Action.RECTIFIED, by=by, status_from=before, note=note, at=now, evidence_of=evidence_of)
    return problem


@transaction.atomic
def problem_verify(*, problem: Problem, by) -> Problem:
    """The office has checked the rectification. Only the office may call this; the view checks the role."""
    problem = _locked(problem)
    _check_state(problem, (Status.RECTIFIED,), CANNOT_VERIFY)
    now = timezone.now()
    problem.status, problem.verified_at, problem.verified_by = Status.VERIFIED, now, by
    _save(problem, now)
    step_record(problem, action=Action.VERIFIED, by=by, status_from=Status.RECTIFIED, at=now)
    return problem


@transaction.atomic
def problem_send_back(*, problem: Problem, by, comment: str) -> Problem:
    """The office finds the rectification insufficient and sends the problem back to the unit (in progress).
    The unit's note and evidence stay on the problem and on its timeline; the unit is told with the comment."""
    comment = _required(comment, SEND_BACK_COMMENT_REQUIRED, field="comment")
    problem = _locked(problem)
    _check_state(problem, (Status.RECTIFIED,), CANNOT_SEND_BACK)
    now = timezone.now()
    problem.status, problem.review_comment, problem.rectified_at = Status.IN_PROGRESS, comment, None
    _save(problem, now)
    step_record(problem, action=Action.SENT_BACK, by=by, status_from=Status.RECTIFIED, note=comment, at=now)
    tell_unit(problem, title=SENT_BACK_TITLE, body=comment, by=by)
    return problem


@transaction.atomic
def problem_reopen(*, problem: Problem, by, reason: str) -> Problem:
    """The office undoes a verification or accepts no more an explanation: the problem is in progress again,
    the unit is told why."""
    reason = _required(reason, REOPEN_REASON_REQUIRED, field="reason")
    problem = _locked(problem)
    _check_state(problem, REOPENABLE_STATES, CANNOT_REOPEN)
    now, before = timezone.now(), problem.status
    problem.status, problem.review_comment = Status.IN_PROGRESS, reason
    problem.verified_at = problem.verified_by = problem.explained_at = problem.rectified_at = None
    problem.started_at = problem.started_at or now
    _save(problem, now)
    step_record(problem, action=Action.REOPENED, by=by, status_from=before, note=reason, at=now)
    tell_unit(problem, title=REOPENED_TITLE, body=reason, by=by)
    return problem


@transaction.atomic
def problem_withdraw(*, problem: Problem, by, reason: str) -> Problem:
    """The office takes back a problem it passed to the unit by mistake (a complaint accepted in error). The
    problem stays in the register, marked withdrawn, with its timeline; it needs nothing more of the unit."""
    reason = _required(reason, WITHDRAW_REASON_REQUIRED, field="reason")
    problem = _locked(problem)
    _check_state(problem, OPEN_STATES, CANNOT_WITHDRAW)
    now, before = timezone.now(), problem.status
    problem.status = Status.WITHDRAWN
    _save(problem, now)
    step_record(problem, action=Action.WITHDRAWN, by=by, status_from=before, note=reason, at=now)
    tell_unit(problem, title=WITHDRAWN_TITLE, body=reason, by=by)
    return problem


@transaction.atomic
def problem_explain(*, problem: Problem, by, note: str) -> Problem:
    """The problem cannot be solved for now; the unit explains why (作出说明). This closes it."""
    problem = _locked(problem)
    _check_state(problem, OPEN_STATES, CANNOT_EXPLAIN)
    note = _required(note, EXPLANATION_REQUIRED)
    now, before = timezone.now(), problem.status
    problem.status, problem.explained_at, problem.explanation = Status.EXPLAINED, now, note
    problem.disposition = Disposition.EXPLAIN
    _save(problem, now)
    step_record(problem, action=Action.EXPLAINED, by=by, status_from=before, note=note, at=now)
    return problem
