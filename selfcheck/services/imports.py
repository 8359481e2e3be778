"""Upload of a unit's register from Excel: every row checked first, then all of it written at once, or nothing.

A row with a number (the hidden 编号 column) updates that problem of the same register; a row without one adds a
problem, fingerprinted by its content (`import_key`) so that the same file uploaded twice adds nothing. Rows
equal to the stored problem change nothing; nothing is ever deleted. A row that differs from a problem whose
version has moved on since the export is refused: someone changed it after the file was made.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from appraisal.excel import cell_error, open_workbook, read_sheet
from appraisal.models import EvaluationItem
from appraisal.roles import is_office
from units.models import Unit

from ..models import Problem, ProblemStep
from .problems import EDITABLE_FIELDS, PROBLEM_CLOSED, is_changed, normalised, problem_errors, start
from .workbook import WORKBOOK_STATES, register_spec

Status = Problem.Status

UNIT_MISMATCH = _("this register belongs to “%(unit)s”, not to “%(value)s”. Upload each unit's register on its page.")
NOT_IN_REGISTER = _(
    "problem %(id)s is not in this register. To add the row as a new problem, clear its cells in columns %(columns)s."
)
REPEATED_ID = _("problem %(id)s is already on row %(row)s.")
REPEATED_ROW = _("repeats row %(row)s.")
CHANGED_AFTER_EXPORT = _(
    "problem %(id)s (source: %(source)s) was changed on %(when)s, after this file was exported. "
    "Export the register again and redo your changes to this row."
)
UPLOADED = _("From the Excel upload")
STATUS_NOT_IN_WORKBOOK = _(
    "the workbook can set %(states)s only. Mark a problem rectified or explained on its page (a note is "
    "needed); the office verifies it there."
)
BATCH_SIZE = 500


@dataclass
class RegisterImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Plan:
    """What an upload will write, worked out row by row before anything is written."""

    spec: object
    unit: Unit
    year: object
    by: object
    now: object
    existing: dict  # the register's problems by number, locked
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (problem, the columns the row changes)
    errors: list = field(default_factory=list)
    result: RegisterImportResult = field(default_factory=RegisterImportResult)
    ids_seen: dict = field(default_factory=dict)
    keys_seen: dict = field(default_factory=dict)

    def __post_init__(self):
        # A new row is already in the register when an earlier upload added it (its stored key), or when a
        # problem has exactly its content now (typed online, or copied into a fresh template without its number).
        problems = self.existing.values()
        self.existing_keys = {problem.import_key for problem in problems if problem.import_key}
        self.existing_keys |= {import_key(self.year, _content(problem)) for problem in problems}

    def error(self, row, key, message):
        self.errors.append(cell_error(self.spec, row, key, message))


def register_import(*, year, unit, upload, by) -> RegisterImportResult:
    """Check the whole uploaded register of `unit` for `year`, then write it in one transaction, or raise a
    ValidationError listing every problem found ("工作表「…」第 N 行，第 X 列（列名）：…")."""
    items = {item.name: item for item in EvaluationItem.objects.filter(kind=unit.kind).order_by("position")}
    subunits = {subunit.name: subunit for subunit in unit.subunits.order_by("name")}
    spec = register_spec(items=items.values(), subunits=subunits.values())
    with open_workbook(upload) as workbook:
        rows, errors = read_sheet(workbook, spec)
    for row in rows:
        values = row.values
        values["item"] = items.get(values["item"])
        values["subunit"] = subunits.get(values["subunit"])
    with transaction.atomic():
        # One import of a unit's register at a time; the problems themselves are locked against online edits.
        Unit.objects.select_for_update(no_key=True).only("pk").get(pk=unit.pk)
        existing = Problem.objects.select_for_update(of=("self",)).filter(year=year, unit=unit).order_by("pk")
        existing = {problem.pk: problem for problem in existing}
        plan = _Plan(spec=spec, unit=unit, year=year, by=by, now=timezone.now(), existing=existing)
        for row in rows:
            if not row.invalid:  # its cells' errors are reported already; checks across cells would only repeat them
                _plan_row(plan, row)
        errors += plan.errors
        if errors:
            raise ValidationError(errors)
        _write(plan)
    return plan.result


def _plan_row(plan, row):
    values = row.values
    if values["unit"] and values["unit"] not in (plan.unit.name, plan.unit.short_name):
        plan.error(row, "unit", UNIT_MISMATCH % {"unit": plan.unit.name, "value": values["unit"]})
        return
    if values["id"] is None:
        _plan_new(plan, row)
    else:
        _plan_update(plan, row)


def _fields(values, status):
    fields = normalised({name: values[name] for name in EDITABLE_FIELDS})
    fields["status"] = values["status"] or status
    return fields


def _plan_update(plan, row):
    number = row.values["id"]
    problem = plan.existing.get(number)
    if problem is None:
        columns = f"{plan.spec.letter('id')}、{plan.spec.letter('version')}"
        return plan.error(row, "id", NOT_IN_REGISTER % {"id": number, "columns": columns})
    if number in plan.ids_seen:
        return plan.error(row, "id", REPEATED_ID % {"id": number, "row": plan.ids_seen[number]})
    plan.ids_seen[number] = row.number
    fields = _fields(row.values, problem.status)
    changes = {name: value for name, value in fields.items() if is_changed(problem, name, value)}
    if not changes:
        plan.result.unchanged += 1
        return
    first = next(iter(changes))
    if row.values["version"] != problem.version:
        when = timezone.localtime(problem.updated_at).strftime("%Y-%m-%d %H:%M")
        message = CHANGED_AFTER_EXPORT % {"id": problem.pk, "source": problem.get_source_display(), "when": when}
        return plan.error(row, first, message)
    if problem.is_closed:
        return plan.error(row, first, PROBLEM_CLOSED % {"status": problem.get_status_display()})
    if not _check(plan, row, fields, current=problem.status):
        return
    status = changes.pop("status", None)
    for name, value in changes.items():
        setattr(problem, name, value)
    columns = set(changes)
    if status:
        start(problem, plan.now)
        columns |= {"status", "started_at"}
    problem.version += 1
    problem.updated_at = plan.now
    plan.changed.append((problem, frozenset(columns)))


def _check(plan, row, fields, *, current):
    """The problem rules and the status moves the workbook may make; reports each failure on its cell."""
    errors = problem_errors(unit=plan.unit, values=fields)
    status = fields["status"]
    moves_forward = current == Status.OPEN and status == Status.IN_PROGRESS
    if status != current and not moves_forward:
        states = "、".join(f"“{state.label}”" for state in WORKBOOK_STATES)
        errors["status"] = STATUS_NOT_IN_WORKBOOK % {"states": states}
    for name, message in errors.items():
        plan.error(row, name, message)
    return not errors


KEY_FIELDS = (*EDITABLE_FIELDS, "status")


def import_key(year, fields) -> str:
    """The fingerprint of a row's content: the same content in the same year is the same problem."""
    parts = [str(year.pk)]
    for name in KEY_FIELDS:
        value = fields[name]
        value = getattr(value, "pk", value)
        parts.append("" if value is None else str(value))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _content(problem) -> dict:
    return {name: getattr(problem, f"{name}_id" if name in ("subunit", "item") else name) for name in KEY_FIELDS}


def _plan_new(plan, row):
    fields = _fields(row.values, Status.OPEN)
    if not _check(plan, row, fields, current=Status.OPEN):
        return
    key = import_key(plan.year, fields)
    if key in plan.keys_seen:
        return plan.error(row, "description", REPEATED_ROW % {"row": plan.keys_seen[key]})
    plan.keys_seen[key] = row.number
    if key in plan.existing_keys:
        plan.result.unchanged += 1
        return
    problem = Problem(year=plan.year, unit=plan.unit, created_by=plan.by, import_key=key, **fields)
    if problem.status == Status.IN_PROGRESS:
        problem.started_at = plan.now
    plan.new.append(problem)


def _write(plan):
    """Inserts in batches; updates grouped by the columns they change, so a batch sets only what changed."""
    Problem.objects.bulk_create(plan.new, batch_size=BATCH_SIZE)
    groups = defaultdict(list)
    for problem, fields in plan.changed:
        groups[fields].append(problem)
    for fields, problems in groups.items():
        Problem.objects.bulk_update(problems, sorted(fields), batch_size=BATCH_SIZE)
    numbers = [problem.pk for problem, _fields in plan.changed]
    for start_at in range(0, len(numbers), BATCH_SIZE):
        batch = numbers[start_at : start_at + BATCH_SIZE]
        Problem.objects.filter(pk__in=batch).update(version=F("version") + 1, updated_at=plan.now)
    _write_steps(plan)
    plan.result.added, plan.result.updated = len(plan.new), len(plan.changed)


def _write_steps(plan):
    """The timeline of every problem the upload added, and of every one whose state it moved."""
    common = {
        "at": plan.now,
        "by": plan.by,
        "by_office": is_office(plan.by) if plan.by is not None else False,
        "note": gettext(UPLOADED),
    }
    steps = [
        ProblemStep(problem=problem, action=ProblemStep.Action.CREATED, status_to=problem.status, **common)
        for problem in plan.new
    ]
    steps += [
        ProblemStep(
            problem=problem,
            action=ProblemStep.Action.STARTED,
            status_from=Status.OPEN,
            status_to=problem.status,
            **common,
        )
        for problem, columns in plan.changed
        if "status" in columns
    ]
    ProblemStep.objects.bulk_create(steps, batch_size=BATCH_SIZE)
