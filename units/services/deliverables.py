"""What each unit owes the office in a year, the liaison's submissions and the office's review."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from appraisal.models import AppraisalYear, Focus
from appraisal.uploads import check_upload

from ..access import is_member
from ..models import Contact, Deliverable, DeliverableFile, DeliverableStep, Participation, ServiceObject, Unit

Kind, Status, Action = Deliverable.Kind, Deliverable.Status, DeliverableStep.Action

NOT_OWED = _("Your unit does not owe this deliverable this year.")
ALREADY_SUBMITTED = _(
    "Already submitted and waiting for the office's review. Ask the office to return it to change it."
)
ALREADY_ACCEPTED = _("The office has already accepted this. Ask the office to return it to change it.")
NEEDS_FILE = _("Upload the document first, then submit.")
CONTACTS_MISSING = _("Add the missing contacts first: %(roles)s.")
NO_SUBUNITS = _("List your sub-units first.")
TOO_FEW_SERVICE_OBJECTS = _("%(count)s service objects are listed; %(missing)s more are needed (at least %(minimum)s).")
NO_DISCLOSURES = _("Add your disclosure and commitment items first.")
RETURN_NEEDS_COMMENT = _("Write what the unit must correct when you return it.")
NOT_SUBMITTED = _("Only a submitted deliverable can be accepted or returned.")
FILES_LOCKED = _("The files cannot change while the office is reviewing or has accepted them.")
NOT_THE_UNIT = _(
    "Only the unit's own accounts submit here. If the unit handed the materials in another way, use "
    "“Submit for the unit” and give the reason."
)
SUBMIT_FOR_UNIT_NEEDS_REASON = _("Say why the office submits for the unit (for example: sent on paper on July 9).")
NOT_ACCEPTED = _("Only an accepted deliverable can be reopened.")
REOPEN_NEEDS_REASON = _("Write why the decision is reopened; the unit reads it.")

SERVICE_OBJECTS_MINIMUM = 100

# Which deadline of the year's calendar each deliverable answers to.
KIND_DEADLINE = {
    Kind.PLAN: "materials",
    Kind.CONTACTS: "materials",
    Kind.SUBUNITS: "materials",
    Kind.SERVICE_OBJECTS: "materials",
    Kind.DISCLOSURES: "materials",
    Kind.SELFCHECK_REGISTER: "selfcheck_register",
    Kind.ANNUAL_SUMMARY: "annual_summary",
}
FILE_KINDS = {Kind.PLAN, Kind.ANNUAL_SUMMARY}
FOCUS_KINDS = [Kind.PLAN, Kind.CONTACTS, Kind.SUBUNITS, Kind.DISCLOSURES, Kind.SELFCHECK_REGISTER, Kind.ANNUAL_SUMMARY]
EDITABLE = {Status.MISSING, Status.RETURNED}


def kinds_owed(*, unit: Unit, is_focus: bool, was_focus_last_year: bool) -> list[str]:
    """Focus units owe the July 10 materials, the register and the summary. The 100 service objects are owed
    by focus industries in their year, and by focus departments the year after theirs."""
    kinds = list(FOCUS_KINDS) if is_focus else []
    if (is_focus and unit.kind == Focus.INDUSTRIES) or (was_focus_last_year and unit.kind == Focus.DEPARTMENTS):
        kinds.insert(3, Kind.SERVICE_OBJECTS)
    return kinds


@dataclass
class Owed:
    """One line of a unit's checklist."""

    kind: str
    label: str
    due_date: object
    deliverable: Deliverable | None
    today: object
    revised: bool = False  # accepted disclosures changed since: 已修改，待重新报送

    @property
    def status(self):
        return self.deliverable.status if self.deliverable else Status.MISSING

    @property
    def status_label(self):
        return Status(self.status).label

    @property
    def days_overdue(self):
        """Days past the due date while the unit still owes it (missing or returned); else 0."""
        if self.due_date is None or self.status not in EDITABLE:
            return 0
        return max((self.today - self.due_date).days, 0)

    @property
    def editable(self):
        return self.status in EDITABLE

    @property
    def submittable(self):
        """The unit may hand it in: not yet, returned, or accepted disclosures revised since."""
        return self.editable or self.revised


def focus_map(year: AppraisalYear, unit_ids=None):
    """{unit id: (is focus this year, was focus last year)} for the year's participants."""
    rows = Participation.objects.filter(year__year__in=[year.year, year.year - 1])
    if unit_ids is not None:
        rows = rows.filter(unit_id__in=unit_ids)
    result = {}
    for unit_id, year_number, is_focus in rows.values_list("unit_id", "year__year", "is_focus"):
        now, before = result.get(unit_id, (False, False))
        result[unit_id] = (is_focus, before) if year_number == year.year else (now, is_focus)
    return result


def due_dates(year: AppraisalYear):
    deadlines = dict(year.deadlines.values_list("code", "due_date"))
    return {kind: deadlines.get(code) for kind, code in KIND_DEADLINE.items()}


def checklist(*, year: AppraisalYear, unit: Unit, today=None) -> list[Owed]:
    """What `unit` owes in `year`, each with its due date and current state."""
    is_focus, was_focus = focus_map(year, [unit.pk]).get(unit.pk, (False, False))
    kinds = kinds_owed(unit=unit, is_focus=is_focus, was_focus_last_year=was_focus)
    existing = {d.kind: d for d in Deliverable.objects.filter(year=year, unit=unit).prefetch_related("files")}
    dates, today = due_dates(year), today or timezone.localdate()
    owed = [Owed(kind, Kind(kind).label, dates[kind], existing.get(kind), today) for kind in kinds]
    for line in owed:
        if line.kind == Kind.DISCLOSURES and line.status == Status.ACCEPTED:
            from .disclosures import disclosures_revised

            line.revised = unit.pk in disclosures_revised(year=year, unit_ids=[unit.pk])
    return owed


def _completeness_errors(kind, *, year, unit):
    if kind in FILE_KINDS:
        has_file = DeliverableFile.objects.filter(
            deliverable__year=year, deliverable__unit=unit, deliverable__kind=kind
        )
        return [] if has_file.exists() else [NEEDS_FILE]
    if kind == Kind.CONTACTS:
        present = set(unit.contacts.values_list("role", flat=True))
        missing = [str(label) for role, label in Contact.Role.choices if role not in present]
        return [CONTACTS_MISSING % {"roles": "、".join(missing)}] if missing else []
    if kind == Kind.SUBUNITS:
        return [] if unit.subunits.filter(is_active=True).exists() else [NO_SUBUNITS]
    if kind == Kind.SERVICE_OBJECTS:
        count = ServiceObject.objects.filter(year=year, unit=unit).count()
        if count < SERVICE_OBJECTS_MINIMUM:
            return [
                TOO_FEW_SERVICE_OBJECTS
                % {
                    "count": count,
                    "missing": SERVICE_OBJECTS_MINIMUM - count,
                    "minimum": SERVICE_OBJECTS_MINIMUM,
                }
            ]
    if kind == Kind.DISCLOSURES and not unit.disclosures.filter(year=year).exists():
        return [NO_DISCLOSURES]
    return []


def _revised_since_acceptance(deliverable):
    """Published disclosures may be revised and handed in again; the public keeps the accepted version meanwhile."""
    from .disclosures import disclosures_changed_since_publication

    return deliverable.kind == Kind.DISCLOSURES and disclosures_changed_since_publication(
        year=deliverable.year, unit=deliverable.unit
    )


def _owed_deliverable(*, year, unit, kind, lock=False):
    """The unit's row for `kind`, created on first use; refuses a kind the unit does not owe."""
    if kind not in {owed.kind for owed in checklist(year=year, unit=unit)}:
        raise ValidationError(NOT_OWED)
    rows = Deliverable.objects.select_for_update() if lock else Deliverable.objects
    deliverable, _created = rows.get_or_create(year=year, unit=unit, kind=kind)
    return deliverable


def _record(deliverable, action, *, by, note=""):
    DeliverableStep.objects.create(deliverable=deliverable, action=action, status=deliverable.status, by=by, note=note)


def _tell_unit(deliverable, title, body, *, by):
    """The unit reads the office's decision on its page and by email, with a link to the deliverable."""
    from .notifications import notification_send

    url = reverse("units:deliverable", args=[deliverable.unit_id, deliverable.kind])
    notification_send(unit=deliverable.unit, title=title, body=body, url=f"{url}?year={deliverable.year.year}", by=by)


def _check_submittable(deliverable, *, year, unit, kind):
    if deliverable.status == Status.SUBMITTED:
        raise ValidationError(ALREADY_SUBMITTED)
    if deliverable.status == Status.ACCEPTED and not _revised_since_acceptance(deliverable):
        raise ValidationError(ALREADY_ACCEPTED)
    errors = _completeness_errors(kind, year=year, unit=unit)
    if errors:
        raise ValidationError(errors)


def _mark_submitted(deliverable, *, by):
    deliverable.status = Status.SUBMITTED
    deliverable.submitted_at, deliverable.submitted_by = timezone.now(), by
    deliverable.save()


@transaction.atomic
def deliverable_submit(*, year: AppraisalYear, unit: Unit, kind: str, by) -> Deliverable:
    """The liaison hands a deliverable in. Refused while under review or accepted, when incomplete, and for anyone
    but the unit's own accounts: the office never submits silently (deliverable_submit_for_unit says so)."""
    if not is_member(by, unit):
        raise ValidationError(NOT_THE_UNIT)
    deliverable = _owed_deliverable(year=year, unit=unit, kind=kind, lock=True)
    _check_submittable(deliverable, year=year, unit=unit, kind=kind)
    _mark_submitted(deliverable, by=by)
    _record(deliverable, Action.SUBMITTED, by=by)
    return deliverable


@transaction.atomic
def deliverable_submit_for_unit(*, year: AppraisalYear, unit: Unit, kind: str, by, reason: str) -> Deliverable:
    """代为报送: the office hands a deliverable in on the unit's behalf (sent on paper, by email …), saying why.
    The same completeness rules as the unit's own submission; recorded as the office's and told to the unit.
    The self-check register has rules of its own (selfcheck.services.submission), checked before calling this."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(SUBMIT_FOR_UNIT_NEEDS_REASON)
    deliverable = _owed_deliverable(year=year, unit=unit, kind=kind, lock=True)
    _check_submittable(deliverable, year=year, unit=unit, kind=kind)
    _mark_submitted(deliverable, by=by)
    _record(deliverable, Action.SUBMITTED_FOR_UNIT, by=by, note=reason)
    label = Kind(kind).label
    _tell_unit(
        deliverable,
        gettext("The district appraisal office submitted “%(name)s” for your unit") % {"name": label},
        reason,
        by=by,
    )
    return deliverable


@transaction.atomic
def deliverable_review(*, deliverable: Deliverable, by, accept: bool, comment: str = "") -> Deliverable:
    """The office accepts a submission or returns it with a comment saying what to correct; the unit is told."""
    deliverable = Deliverable.objects.select_for_update().select_related("unit", "year").get(pk=deliverable.pk)
    if deliverable.status != Status.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED)
    if not accept and not comment.strip():
        raise ValidationError(RETURN_NEEDS_COMMENT)
    deliverable.status = Status.ACCEPTED if accept else Status.RETURNED
    deliverable.comment = comment.strip()
    deliverable.reviewed_at, deliverable.reviewed_by = timezone.now(), by
    deliverable.save()
    _record(deliverable, Action.ACCEPTED if accept else Action.RETURNED, by=by, note=deliverable.comment)
    if accept and deliverable.kind == Kind.DISCLOSURES:
        from .disclosures import disclosures_publish

        disclosures_publish(year=deliverable.year, unit=deliverable.unit, by=by)
    label = deliverable.get_kind_display()
    if accept:
        title = gettext("“%(name)s” was accepted by the district appraisal office") % {"name": label}
    else:
        title = gettext("“%(name)s” was returned for correction") % {"name": label}
    _tell_unit(deliverable, title, deliverable.comment, by=by)
    return deliverable


@transaction.atomic
def deliverable_reopen(*, deliverable: Deliverable, by, reason: str, review_again: bool = False) -> Deliverable:
    """Undo an acceptance made by mistake. By default the deliverable goes back to the unit as returned, the reason
    as the office's comment, so the unit can change it and submit again; with `review_again` it goes back to the
    office's review (submitted), the unit having nothing to change. Published disclosures stay public until a new
    version is accepted. Recorded, and the unit is told."""
    deliverable = Deliverable.objects.select_for_update().select_related("unit", "year").get(pk=deliverable.pk)
    if deliverable.status != Status.ACCEPTED:
        raise ValidationError(NOT_ACCEPTED)
    reason = reason.strip()
    if not reason:
        raise ValidationError(REOPEN_NEEDS_REASON)
    deliverable.status = Status.SUBMITTED if review_again else Status.RETURNED
    deliverable.comment = reason
    deliverable.reviewed_at, deliverable.reviewed_by = timezone.now(), by
    deliverable.save()
    _record(deliverable, Action.REOPENED, by=by, note=reason)
    if review_again:
        next_step = gettext("The office reviews it again; there is nothing to submit.")
    else:
        next_step = gettext("Correct it and submit it again.")
    title = gettext("The district appraisal office reopened “%(name)s”") % {"name": deliverable.get_kind_display()}
    _tell_unit(deliverable, title, f"{reason}\n{next_step}", by=by)
    return deliverable


@transaction.atomic
def deliverable_file_add(*, year: AppraisalYear, unit: Unit, kind: str, upload, by) -> DeliverableFile:
    """Attach a document, checked by content and size, stored under a random name."""
    if kind not in FILE_KINDS:
        raise ValidationError(NOT_OWED)
    deliverable = _owed_deliverable(year=year, unit=unit, kind=kind, lock=True)
    if deliverable.status not in EDITABLE:
        raise ValidationError(FILES_LOCKED)
    file_kind = check_upload(upload, max_bytes=settings.DOCUMENT_MAX_UPLOAD_BYTES)
    attachment = DeliverableFile(
        deliverable=deliverable, original_name=upload.name[:200], file_kind=file_kind, size=upload.size, uploaded_by=by
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def deliverable_file_delete(*, attachment: DeliverableFile) -> None:
    if Deliverable.objects.select_for_update().get(pk=attachment.deliverable_id).status not in EDITABLE:
        raise ValidationError(FILES_LOCKED)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
