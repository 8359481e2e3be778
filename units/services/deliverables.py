"""What each unit owes the office in a year, the liaison's submissions and the office's review."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisal.models import AppraisalYear, Focus
from appraisal.uploads import check_upload

from ..models import Contact, Deliverable, DeliverableFile, Participation, ServiceObject, Unit

Kind, Status = Deliverable.Kind, Deliverable.Status

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
    return [Owed(kind, Kind(kind).label, dates[kind], existing.get(kind), today) for kind in kinds]


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


@transaction.atomic
def deliverable_submit(*, year: AppraisalYear, unit: Unit, kind: str, by) -> Deliverable:
    """The liaison hands a deliverable in. Refused while under review or accepted, or when incomplete."""
    deliverable = _owed_deliverable(year=year, unit=unit, kind=kind, lock=True)
    if deliverable.status == Status.SUBMITTED:
        raise ValidationError(ALREADY_SUBMITTED)
    if deliverable.status == Status.ACCEPTED and not _revised_since_acceptance(deliverable):
        raise ValidationError(ALREADY_ACCEPTED)
    errors = _completeness_errors(kind, year=year, unit=unit)
    if errors:
        raise ValidationError(errors)
    deliverable.status = Status.SUBMITTED
    deliverable.submitted_at, deliverable.submitted_by = timezone.now(), by
    deliverable.save()
    return deliverable


@transaction.atomic
def deliverable_review(*, deliverable: Deliverable, by, accept: bool, comment: str = "") -> Deliverable:
    """The office accepts a submission or returns it with a comment saying what to correct."""
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.status != Status.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED)
    if not accept and not comment.strip():
        raise ValidationError(RETURN_NEEDS_COMMENT)
    deliverable.status = Status.ACCEPTED if accept else Status.RETURNED
    deliverable.comment = comment.strip()
    deliverable.reviewed_at, deliverable.reviewed_by = timezone.now(), by
    deliverable.save()
    if accept and deliverable.kind == Kind.DISCLOSURES:
        from .disclosures import disclosures_publish

        disclosures_publish(year=deliverable.year, unit=deliverable.unit, by=by)
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
