"""Writes of the inspection register: the one place its rules live.

Status moves: draft → submitted → accepted, or submitted → returned (with the office's comment) → submitted.
The office undoes an acceptance with a reason (accepted → returned or submitted), taking back the problems it put
in the unit's register. A draft or a returned inspection is the supervisor's to change; a submitted or accepted one
is not. Each move is a `Step` of the inspection's timeline, and the office's decisions are told to the supervisor.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from appraisal.models import AppraisalYear
from appraisal.uploads import (
    DOCUMENT_KINDS,
    IMAGE_KINDS,
    MEDIA_KINDS,
    check_image,
    check_size,
    check_upload,
    strip_image_metadata,
)
from selfcheck.models import Problem
from selfcheck.selectors import register_number
from selfcheck.services import problem_create
from selfcheck.services.problems import clean_text, problem_withdraw
from supervisors.services import may_inspect
from units.models import Contact
from units.services.notifications import notification_send

from .models import Evidence, Finding, Inspection, Step

Status, Method = Inspection.Status, Inspection.Method

NOT_EDITABLE = _("This inspection is “%(status)s”: it can no longer be changed.")
NO_YEAR = _("There is no %(year)s appraisal year yet: an inspection belongs to the campaign of its date.")
IN_FUTURE = _("The inspection cannot have taken place later than now.")
UNKNOWN_MODE = _("Choose open or covert.")
METHOD_REQUIRED = _("Choose at least one method.")
UNKNOWN_METHOD = _("“%(value)s” is not a known inspection method.")
OTHER_METHOD_REQUIRED = _("Describe the other method you used.")
SUBUNIT_NOT_OF_UNIT = _("“%(subunit)s” is not a sub-unit of %(unit)s.")
ITEM_WRONG_KIND = _("“%(item)s” is not an evaluation item of %(kind)s; choose one of this unit's items.")
COMMITMENT_NOT_OF_UNIT = _("“%(item)s” is not a published commitment of %(unit)s for %(year)s.")
OBSERVED_REQUIRED = _("Describe what you saw.")
SUMMARY_REQUIRED = _("Write a summary before submitting; if you found nothing wrong, say so.")
NOT_SUBMITTED = _("Only a submitted inspection can be accepted or returned; this one is “%(status)s”.")
RETURN_COMMENT_REQUIRED = _("Write what the supervisor should change.")
FEEDBACK_TITLE = _("Problems found by supervisors at %(unit)s")
LIVELIHOOD_NOTE = _("Livelihood issue (民生)")
RETURNED_TITLE = _("The office returned your inspection of %(unit)s on %(date)s")
ACCEPTED_TITLE = _("The office accepted your inspection of %(unit)s on %(date)s")
ACCEPTED_BODY = ngettext_lazy(
    "The problem you found is now in the unit's self-check register.",
    "The %(count)s problems you found are now in the unit's self-check register.",
    "count",
)
ACCEPTED_NOTHING = _("It is counted towards your quota.")
NOT_ACCEPTED = _("Only an accepted inspection can be reopened; this one is “%(status)s”.")
REOPEN_REASON_REQUIRED = _("Write why the acceptance is undone; the supervisor and the unit read it.")
UNIT_HAS_ACTED = _(
    "The unit has already acted on problem No. %(numbers)s of its register: handle those problems in the "
    "register instead; the acceptance stays."
)
REOPENED_TITLE = _("The office undid its acceptance of your inspection of %(unit)s on %(date)s")
REOPENED_TO_SUPERVISOR = _("It is back with you: change what the office asks, then submit it again.")
REOPENED_TO_REVIEW = _("The office will review it again.")
FINDING_NOT_OF_INSPECTION = _("That finding belongs to another inspection; choose one of this inspection's findings.")

EVIDENCE_KINDS = IMAGE_KINDS + MEDIA_KINDS + DOCUMENT_KINDS

EDITABLE_FIELDS = ("occurred_at", "mode", "methods", "other_method", "subunit", "items", "commitments", "summary")


def _raise_if(errors: dict):
    if errors:
        raise ValidationError({name: [str(message)] for name, message in errors.items()})


def _check_editable(inspection):
    if not inspection.is_editable:
        raise ValidationError(NOT_EDITABLE % {"status": inspection.get_status_display()})


def _year_of(occurred_at):
    day = timezone.localtime(occurred_at).date()
    return AppraisalYear.objects.filter(year=day.year).first()


def inspection_errors(*, supervisor, unit, values: dict) -> dict:
    """The rules across an inspection's fields, as {field: message}."""
    errors = {}
    occurred_at = values["occurred_at"]
    if occurred_at > timezone.now():
        errors["occurred_at"] = IN_FUTURE
    elif _year_of(occurred_at) is None:
        errors["occurred_at"] = NO_YEAR % {"year": timezone.localtime(occurred_at).year}
    else:
        refusal = may_inspect(supervisor, unit, timezone.localtime(occurred_at).date())
        if refusal:
            errors["occurred_at" if "unit" not in values else "unit"] = refusal
    if values["mode"] not in Inspection.Mode.values:
        errors["mode"] = UNKNOWN_MODE
    methods = values["methods"]
    unknown = [code for code in methods if code not in Method.values]
    if not methods:
        errors["methods"] = METHOD_REQUIRED
    elif unknown:
        errors["methods"] = UNKNOWN_METHOD % {"value": unknown[0]}
    elif Method.OTHER in methods and not values["other_method"]:
        errors["other_method"] = OTHER_METHOD_REQUIRED
    subunit = values.get("subunit")
    if subunit is not None and subunit.unit_id != unit.pk:
        errors["subunit"] = SUBUNIT_NOT_OF_UNIT % {"subunit": subunit.name, "unit": unit.name}
    for item in values.get("items", ()):
        if item.kind != unit.kind:
            errors["items"] = ITEM_WRONG_KIND % {"item": item.name, "kind": unit.get_kind_display()}
    year = _year_of(occurred_at)
    for commitment in values.get("commitments", ()):
        if commitment.unit_id != unit.pk or (year and commitment.year_id != year.pk):
            errors["commitments"] = COMMITMENT_NOT_OF_UNIT % {
                "item": commitment.title,
                "unit": unit.name,
                "year": getattr(year, "year", ""),
            }
    return errors


def _normalised(values: dict) -> dict:
    values = dict(values)
    for name in ("other_method", "summary"):
        if name in values:
            values[name] = clean_text(values[name])
    values["methods"] = list(dict.fromkeys(values.get("methods") or []))
    if Method.OTHER not in values["methods"]:
        values["other_method"] = ""
    return values


@transaction.atomic
def inspection_create(*, supervisor, unit, occurred_at, mode: str, methods, other_method: str = "") -> Inspection:
    """File a draft inspection. A supervisor files only for a unit they may inspect on the inspection's date."""
    values = _normalised(
        {"unit": unit, "occurred_at": occurred_at, "mode": mode, "methods": methods, "other_method": other_method}
    )
    _raise_if(inspection_errors(supervisor=supervisor, unit=unit, values=values))
    values.pop("unit")
    return Inspection.objects.create(supervisor=supervisor, unit=unit, year=_year_of(occurred_at), **values)


@transaction.atomic
def inspection_update(*, inspection, **fields) -> Inspection:
    """Change a draft or returned inspection; the unit is fixed once filed."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"inspection_update() cannot change {', '.join(sorted(unknown))}")
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("unit").get(pk=inspection.pk)
    _check_editable(inspection)
    current = {name: getattr(inspection, name) for name in EDITABLE_FIELDS if name not in ("items", "commitments")}
    values = _normalised(current | fields)
    _raise_if(inspection_errors(supervisor=inspection.supervisor, unit=inspection.unit, values=values))
    for name, value in values.items():
        if name not in ("items", "commitments"):
            setattr(inspection, name, value)
    inspection.year = _year_of(inspection.occurred_at)
    inspection.save()
    for name in ("items", "commitments"):
        if name in values:
            getattr(inspection, name).set(values[name])
    return inspection


@transaction.atomic
def inspection_delete(*, inspection):
    """A draft filed by mistake (wrong unit) is deleted; anything the office has seen stays."""
    if inspection.status != Status.DRAFT:
        raise ValidationError(NOT_EDITABLE % {"status": inspection.get_status_display()})
    files = [name for evidence in inspection.evidence.all() for name in _file_names(evidence)]
    inspection.delete()
    transaction.on_commit(lambda: _remove_files(files))


def _finding_values(inspection, item, observed, place, livelihood):
    values = {"item": item, "observed": clean_text(observed), "place": clean_text(place), "livelihood": livelihood}
    errors = {}
    if item.kind != inspection.unit.kind:
        errors["item"] = ITEM_WRONG_KIND % {"item": item.name, "kind": inspection.unit.get_kind_display()}
    if not values["observed"]:
        errors["observed"] = OBSERVED_REQUIRED
    _raise_if(errors)
    return values


@transaction.atomic
def finding_add(*, inspection, item, observed: str, place: str = "", livelihood: bool = False) -> Finding:
    """Enter one problem seen during the inspection, item by item."""
    _check_editable(inspection)
    return Finding.objects.create(
        inspection=inspection, **_finding_values(inspection, item, observed, place, livelihood)
    )


@transaction.atomic
def finding_update(*, finding, item, observed: str, place: str = "", livelihood: bool = False) -> Finding:
    _check_editable(finding.inspection)
    for name, value in _finding_values(finding.inspection, item, observed, place, livelihood).items():
        setattr(finding, name, value)
    finding.save()
    return finding


@transaction.atomic
def finding_delete(*, finding):
    _check_editable(finding.inspection)
    finding.delete()


@transaction.atomic
def inspection_submit(*, inspection, by) -> Inspection:
    """Hand the inspection to the office. An inspection that found nothing is a valid record; it needs a
    summary. The supervisor must still have been allowed to inspect the unit on that date."""
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("unit").get(pk=inspection.pk)
    _check_editable(inspection)
    if not inspection.summary:
        raise ValidationError({"summary": [str(SUMMARY_REQUIRED)]})
    refusal = may_inspect(inspection.supervisor, inspection.unit, inspection.occurred_on)
    if refusal:
        raise ValidationError(refusal)
    inspection.status, inspection.submitted_at = Status.SUBMITTED, timezone.now()
    inspection.save(update_fields=["status", "submitted_at", "updated_at"])
    Step.objects.create(inspection=inspection, kind=Step.Kind.SUBMITTED, by=by, at=inspection.submitted_at)
    return inspection


def _refuse_unless_submitted(inspection):
    inspection.refresh_from_db(fields=["status"])
    raise ValidationError(NOT_SUBMITTED % {"status": inspection.get_status_display()})


@transaction.atomic
def inspection_accept(*, inspection, by) -> list[Problem]:
    """Accept a submitted inspection: each finding becomes a problem in the unit's register, entered by the
    office reviewer `by`, and the unit gets feedback by email and on its home page, never naming the supervisor.

    The row is claimed by a conditional UPDATE first, so accepting twice (even at the same moment) creates the
    problems once."""
    now = timezone.now()
    claimed = Inspection.objects.filter(pk=inspection.pk, status=Status.SUBMITTED).update(
        status=Status.ACCEPTED, reviewed_at=now, reviewed_by=by, review_comment="", updated_at=now
    )
    if not claimed:
        _refuse_unless_submitted(inspection)
    Step.objects.create(inspection_id=inspection.pk, kind=Step.Kind.ACCEPTED, by=by, at=now)
    inspection = Inspection.objects.select_related("unit", "subunit", "year", "supervisor__user").get(pk=inspection.pk)
    problems = []
    for finding in inspection.findings.select_related("item").order_by("id"):
        finding.problem = problem_create(
            year=inspection.year,
            unit=inspection.unit,
            source=Problem.Source.INSPECTION,
            found_on=inspection.occurred_on,
            item=finding.item,
            description=f"{finding.place}：{finding.observed}" if finding.place else finding.observed,
            by=by,
            subunit=inspection.subunit,
            note=_g(LIVELIHOOD_NOTE) if finding.livelihood else "",
        )
        finding.save(update_fields=["problem"])
        problems.append(finding.problem)
    if problems:
        _send_feedback(inspection.unit, problems, by)
    params = {"unit": inspection.unit.name, "date": f"{inspection.occurred_on:%Y-%m-%d}"}
    body = str(ACCEPTED_BODY % {"count": len(problems)}) if problems else _g(ACCEPTED_NOTHING)
    _tell_supervisor(inspection, title=_g(ACCEPTED_TITLE) % params, body=body, by=by)
    return problems


def _send_feedback(unit, problems, by):
    """The notification on the unit's page, emailed to its accounts and liaison, and a copy by email to its
    leadership group head. Both list the problems only: no supervisor, no inspection mode."""
    context = {"unit": unit, "problems": problems, "district_name": settings.DISTRICT_NAME}
    title = _g(FEEDBACK_TITLE) % {"unit": unit.name}
    body = render_to_string("inspections/feedback.txt", context).strip()
    notification = notification_send(
        unit=unit, title=title, body=body, url=reverse("selfcheck:register", args=[unit.pk]), by=by
    )
    heads = unit.contacts.filter(role=Contact.Role.GROUP_HEAD).exclude(email="").values_list("email", flat=True)
    heads = sorted(set(heads) - set(notification.emailed_to))
    if heads:
        transaction.on_commit(lambda: send_mail(title, body, None, heads))


@transaction.atomic
def inspection_return(*, inspection, by, comment: str) -> Inspection:
    """Send a submitted inspection back to the supervisor with what to change; they may edit and resubmit it."""
    comment = clean_text(comment)
    if not comment:
        raise ValidationError({"comment": [str(RETURN_COMMENT_REQUIRED)]})
    now = timezone.now()
    claimed = Inspection.objects.filter(pk=inspection.pk, status=Status.SUBMITTED).update(
        status=Status.RETURNED, reviewed_at=now, reviewed_by=by, review_comment=comment, updated_at=now
    )
    if not claimed:
        _refuse_unless_submitted(inspection)
    Step.objects.create(inspection_id=inspection.pk, kind=Step.Kind.RETURNED, note=comment, by=by, at=now)
    inspection.refresh_from_db()
    params = {"unit": inspection.unit.name, "date": f"{inspection.occurred_on:%Y-%m-%d}"}
    _tell_supervisor(inspection, title=_g(RETURNED_TITLE) % params, body=comment, by=by)
    return inspection


@transaction.atomic
def inspection_reopen(*, inspection, by, reason: str, back_to_supervisor: bool) -> Inspection:
    """Undo the office's acceptance, with a reason: the problems it put in the unit's register are withdrawn
    (the unit is told, each problem's timeline keeps it) and its findings unlinked, so that accepting again
    enters them anew. The inspection goes back to the supervisor as returned, with the reason as the office's
    comment, or back to the office's review queue as submitted.

    Refused while the unit has acted on any of those problems (started, rectified, explained...): the office
    handles them in the register then."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": [str(REOPEN_REASON_REQUIRED)]})
    inspection = (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("unit", "supervisor__user")
        .get(pk=inspection.pk)
    )
    if inspection.status != Status.ACCEPTED:
        raise ValidationError(NOT_ACCEPTED % {"status": inspection.get_status_display()})
    problems = list(
        Problem.objects.select_for_update(of=("self",)).filter(finding__inspection=inspection).order_by("id")
    )
    acted = [problem for problem in problems if problem.status not in (Problem.Status.OPEN, Problem.Status.WITHDRAWN)]
    if acted:
        numbers = "、".join(str(register_number(problem)) for problem in acted)
        raise ValidationError(UNIT_HAS_ACTED % {"numbers": numbers})
    inspection.findings.exclude(problem=None).update(problem=None)
    for problem in problems:
        if problem.status == Problem.Status.OPEN:  # one the office already withdrew in the register stays as it is
            problem_withdraw(problem=problem, by=by, reason=reason)
    now = timezone.now()
    if back_to_supervisor:
        inspection.status, inspection.review_comment = Status.RETURNED, reason
        inspection.reviewed_at, inspection.reviewed_by = now, by
    else:
        inspection.status, inspection.review_comment = Status.SUBMITTED, ""
        inspection.reviewed_at, inspection.reviewed_by = None, None
    inspection.save(update_fields=["status", "review_comment", "reviewed_at", "reviewed_by", "updated_at"])
    Step.objects.create(inspection=inspection, kind=Step.Kind.REOPENED, note=reason, by=by, at=now)
    params = {"unit": inspection.unit.name, "date": f"{inspection.occurred_on:%Y-%m-%d}"}
    where = REOPENED_TO_SUPERVISOR if back_to_supervisor else REOPENED_TO_REVIEW
    _tell_supervisor(inspection, title=_g(REOPENED_TITLE) % params, body=f"{reason}\n\n{where}", by=by)
    return inspection


def _tell_supervisor(inspection, *, title, body, by):
    """The supervisor hears of the office's decision on their home page and by email. A supervisor without a
    login account is emailed at the address on their record."""
    supervisor = inspection.supervisor
    url = reverse("inspections:detail", args=[inspection.pk])
    if supervisor.user is not None:
        notification_send(user=supervisor.user, title=title, body=body, url=url, by=by)
    elif supervisor.email:
        link = f"{settings.SITE_URL}{url}" if settings.SITE_URL else ""
        text = "\n\n".join(part for part in (body, link) if part)
        transaction.on_commit(lambda: send_mail(title, text, None, [supervisor.email]))


# Evidence ------------------------------------------------------------------------------------------------


def _evidence_limit(kind):
    if kind in IMAGE_KINDS:
        return settings.EVIDENCE_MAX_IMAGE_BYTES
    if kind in MEDIA_KINDS:
        return settings.EVIDENCE_MAX_MEDIA_BYTES
    return settings.EVIDENCE_MAX_DOCUMENT_BYTES


def _file_names(evidence):
    return [field.name for field in (evidence.file, evidence.unit_copy) if field]


def _remove_files(names):
    storage = Evidence._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


@transaction.atomic
def evidence_add(*, inspection, finding=None, upload, by) -> Evidence:
    """Attach a photo, recording or document to an editable inspection, or to one of its findings.

    The kind is proven by the content and the size checked against that kind's limit before anything is stored;
    a picture must be a clean picture, and gets a copy without metadata for the unit. A refused file leaves
    nothing on disk or in the database."""
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=inspection.pk)
    _check_editable(inspection)
    if finding is not None and finding.inspection_id != inspection.pk:
        raise ValidationError({"finding": [str(FINDING_NOT_OF_INSPECTION)]})
    kind = check_upload(upload, kinds=EVIDENCE_KINDS, max_bytes=max(map(_evidence_limit, EVIDENCE_KINDS)))
    check_size(upload, max_bytes=_evidence_limit(kind))
    if kind in IMAGE_KINDS:
        check_image(upload, kind)
    unit_copy = strip_image_metadata(upload) if kind in IMAGE_KINDS else None
    evidence = Evidence(
        inspection=inspection,
        finding=finding,
        kind=kind,
        size=upload.size,
        original_name=os.path.basename(upload.name or "")[-200:] or f"evidence.{kind}",
        uploaded_by=by,
    )
    try:
        evidence.file.save(upload.name, upload, save=False)
        if unit_copy is not None:
            evidence.unit_copy.save(unit_copy.name, unit_copy, save=False)
        evidence.save()
    except Exception:
        _remove_files(_file_names(evidence))
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, evidence):
    """Remove a file attached by mistake, while the inspection is still the supervisor's to change. The files
    go once the deletion is committed."""
    inspection = Inspection.objects.select_for_update(of=("self",)).get(pk=evidence.inspection_id)
    _check_editable(inspection)
    files = _file_names(evidence)
    evidence.delete()
    transaction.on_commit(lambda: _remove_files(files))
