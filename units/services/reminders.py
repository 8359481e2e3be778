"""Deadline reminders: the daily job, the sweep that finishes what was claimed but never sent, and the reads
behind the unit's notices and the office's overdue bulletin.

Before each deadline a unit that still owes something for it is reminded N days ahead (the year's settings,
7 and 1 by default); the day after the deadline it gets an overdue notice copied to its leadership-group head;
a unit still overdue some days later (5 by default) is listed in the office's overdue bulletin. A unit owes a
deadline when it owes a deliverable tied to it (KIND_DEADLINE); the office's own deadlines remind nobody.

Each notice is a `Reminder` row inserted before sending: the unique constraint on (deadline, unit, kind, days
before) lets exactly one job claim it, however many run at once.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from appraisal.models import MAX_DAYS_BEFORE, AppraisalYear, Deadline, ReminderSettings, render_reminder_text

from ..models import Contact, Deliverable, Membership, Participation, Reminder, Unit
from .deliverables import EDITABLE, KIND_DEADLINE, focus_map, kinds_owed

logger = logging.getLogger(__name__)

Kind, Status = Reminder.Kind, Reminder.Status

# A notice missed on its day (beat or workers down) is still sent on the next days, up to this many.
CATCH_UP_DAYS = 2
# A claimed reminder still pending after this long was lost on its way; the sweep sends it again.
STALE_AFTER = datetime.timedelta(minutes=10)
# After this many failed attempts a reminder is marked failed and left to the office.
MAX_ATTEMPTS = 6

# The deliverable kinds each deadline code answers for.
DEADLINE_KINDS = {code: [k for k, c in KIND_DEADLINE.items() if c == code] for code in set(KIND_DEADLINE.values())}


@dataclass
class Notice:
    """A notice the job owes a unit, rendered and addressed, not claimed yet."""

    deadline: Deadline
    unit: Unit
    kind: str
    days_before: int
    deliverables: list[str]
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    subject: str = ""
    body: str = ""

    @property
    def label(self):
        return Reminder(kind=self.kind, days_before=self.days_before).label


def notice_slot(*, due: datetime.date, day: datetime.date, offsets: list[int]):
    """Which notice of a deadline due on `due` is owed on `day`: ("before", n), ("overdue", 0) or None.

    A reminder is owed on its day and, if that run was missed, on the CATCH_UP_DAYS after; of two before-reminders
    owed at once only the later one goes out, and a reminder never goes out on or after the due date. The overdue
    notice is owed every day after the due date: a unit that owes it and has not had it (added, made a focus unit
    or returned after the deadline) gets it on the next run, and its claimed row keeps it to one.
    """
    if day > due:
        return (Kind.OVERDUE, 0)
    owed = [days for days in offsets if 0 <= (day - (due - datetime.timedelta(days))).days <= CATCH_UP_DAYS]
    return (Kind.BEFORE, min(owed)) if owed and day < due else None


def units_owing(*, year: AppraisalYear, deadlines) -> dict:
    """{(deadline id, unit id): (unit, [labels of what it still owes])} for units with something outstanding.

    Outstanding means not submitted yet or returned by the office; submitted and accepted count as done.
    A fixed number of queries whatever the number of units.
    """
    deadlines = [deadline for deadline in deadlines if DEADLINE_KINDS.get(deadline.code)]
    if not deadlines:
        return {}
    participations = list(Participation.objects.filter(year=year, unit__is_active=True).select_related("unit"))
    focus_of = focus_map(year, [p.unit_id for p in participations])
    done = set(Deliverable.objects.filter(year=year).exclude(status__in=EDITABLE).values_list("unit_id", "kind"))
    result = {}
    for participation in participations:
        unit = participation.unit
        owed = kinds_owed(unit=unit, is_focus=participation.is_focus, was_focus_last_year=focus_of[unit.pk][1])
        for deadline in deadlines:
            missing = [k for k in owed if k in DEADLINE_KINDS[deadline.code] and (unit.pk, k) not in done]
            if missing:
                result[(deadline.pk, unit.pk)] = (unit, [str(Deliverable.Kind(k).label) for k in missing])
    return result


def _unique(addresses):
    seen, result = set(), []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            result.append(address)
    return result


def unit_addresses(unit_ids) -> dict:
    """{unit id: (addresses to write to, addresses of the leadership-group heads)}.

    Written to: the unit's accounts in the system and its liaison and office-head contacts; the leadership-group
    heads are copied on overdue notices only.
    """
    to, heads = defaultdict(list), defaultdict(list)
    accounts = Membership.objects.filter(unit_id__in=unit_ids, user__is_active=True).exclude(user__email="")
    for unit_id, email in accounts.order_by("pk").values_list("unit_id", "user__email"):
        to[unit_id].append(email)
    contacts = Contact.objects.filter(unit_id__in=unit_ids).exclude(email="").order_by("role", "name")
    for unit_id, role, email in contacts.values_list("unit_id", "role", "email"):
        (heads if role == Contact.Role.GROUP_HEAD else to)[unit_id].append(email)
    return {unit_id: (_unique(to[unit_id]), _unique(heads[unit_id])) for unit_id in unit_ids}


def _render(notice: Notice, reminder_settings: ReminderSettings, day: datetime.date):
    subject, body = reminder_settings.texts(notice.kind)
    context = {
        "unit": notice.unit,
        "deliverable": "、".join(notice.deliverables),
        "deliverables": notice.deliverables,
        "deadline": notice.deadline,
        "date": notice.deadline.due_date,
        "days": abs((notice.deadline.due_date - day).days),
        "bulletin_days": reminder_settings.bulletin_days,
        "year": reminder_settings.year,
    }
    # A subject is one line; whatever the office typed, line breaks would make it an invalid header.
    notice.subject = " ".join(render_reminder_text(subject, context).split())[:300]
    notice.body = render_reminder_text(body, context)


def _year_notices(year: AppraisalYear, day: datetime.date) -> list[Notice]:
    reminder_settings = ReminderSettings.objects.for_year(year)
    slots = {}
    for deadline in year.deadlines.filter(code__in=list(DEADLINE_KINDS)):
        slot = notice_slot(due=deadline.due_date, day=day, offsets=reminder_settings.offsets)
        if slot:
            slots[deadline] = slot
    owing = units_owing(year=year, deadlines=list(slots))
    claimed = set(
        Reminder.objects.filter(deadline__in=list(slots)).values_list("deadline_id", "unit_id", "kind", "days_before")
    )
    addresses = unit_addresses({unit_id for _deadline_id, unit_id in owing})
    notices = []
    for deadline, (kind, days_before) in slots.items():
        for (deadline_id, unit_id), (unit, labels) in owing.items():
            if deadline_id != deadline.pk or (deadline_id, unit_id, kind, days_before) in claimed:
                continue
            to, heads = addresses[unit_id]
            cc = [a for a in heads if a.lower() not in {t.lower() for t in to}] if kind == Kind.OVERDUE else []
            notice = Notice(deadline, unit, kind, days_before, labels, to=to, cc=cc)
            _render(notice, reminder_settings, day)
            notices.append(notice)
    return sorted(notices, key=lambda n: (n.deadline.due_date, n.unit.name, n.kind, n.days_before))


def reminders_due(*, day: datetime.date) -> list[Notice]:
    """Every notice owed on `day` that no run has claimed yet, rendered and addressed. Writes nothing but the
    year's default reminder settings when it has none yet."""
    window = (day - datetime.timedelta(CATCH_UP_DAYS + 1), day + datetime.timedelta(MAX_DAYS_BEFORE))
    # This calendar year's campaign for its late overdue notices, and any year with a deadline near `day`.
    years = (
        AppraisalYear.objects.filter(Q(deadlines__due_date__range=window) | Q(year=day.year))
        .distinct()
        .order_by("year")
    )
    with translation.override(settings.LANGUAGE_CODE):
        return [notice for year in years for notice in _year_notices(year, day)]


def _claim(notice: Notice) -> Reminder | None:
    """Insert the notice's row in its own transaction; None when another run got there first."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                deadline=notice.deadline,
                unit=notice.unit,
                kind=notice.kind,
                days_before=notice.days_before,
                recipients=notice.to,
                cc=notice.cc,
                subject=notice.subject,
                body=notice.body,
            )
    except IntegrityError:
        return None


def reminder_deliver(*, reminder: Reminder) -> bool:
    """Email a claimed reminder and mark it sent. A failure leaves it pending for the sweep to try again
    (failed after MAX_ATTEMPTS). A unit with no address still gets the notice on its page."""
    try:
        if reminder.recipients or reminder.cc:
            EmailMessage(reminder.subject, reminder.body, to=reminder.recipients, cc=reminder.cc).send()
    except Exception as error:  # SMTP refusals, DNS, timeouts: all mean "try again later".
        reminder.status = Status.FAILED if reminder.attempts >= MAX_ATTEMPTS else Status.PENDING
        reminder.error = str(error)[:2000]
        Reminder.objects.filter(pk=reminder.pk).update(status=reminder.status, error=reminder.error)
        logger.warning("Reminder %s not sent (attempt %s): %s", reminder.pk, reminder.attempts, error)
        return False
    reminder.status, reminder.sent_at, reminder.error = Status.SENT, timezone.now(), ""
    Reminder.objects.filter(pk=reminder.pk).update(status=reminder.status, sent_at=reminder.sent_at, error="")
    return True


def reminders_send(*, day: datetime.date | None = None, dry_run: bool = False) -> list:
    """The daily job: claim and send every notice owed on `day` (today by default).

    Returns the reminders it claimed (their status says whether the email went out), or with `dry_run` the
    notices it would send, writing nothing. Safe to run any number of times: a notice is claimed once.
    """
    day = day or timezone.localdate()
    notices = reminders_due(day=day)
    if dry_run:
        return notices
    claimed = []
    for notice in notices:
        reminder = _claim(notice)
        if reminder is not None:
            claimed.append(reminder)
            # Sent only once the claim is committed, so a rolled-back claim never leaves a sent email behind.
            transaction.on_commit(partial(reminder_deliver, reminder=reminder))
    return claimed


def reminders_resend_stale(*, now: datetime.datetime | None = None) -> int:
    """Send again the reminders claimed more than STALE_AFTER ago and still pending; returns how many went out.

    Each is taken with a conditional update, so two sweeps never send the same one.
    """
    now = now or timezone.now()
    cutoff = now - STALE_AFTER
    sent = 0
    stale = Reminder.objects.filter(status=Status.PENDING, claimed_at__lt=cutoff)
    for pk in list(stale.order_by("claimed_at").values_list("pk", flat=True)[:500]):
        taken = Reminder.objects.filter(pk=pk, status=Status.PENDING, claimed_at__lt=cutoff).update(
            claimed_at=now, attempts=F("attempts") + 1
        )
        if taken:
            sent += reminder_deliver(reminder=Reminder.objects.get(pk=pk))
    return sent


# Reads: the unit's notices and the office's overdue bulletin.


def unit_reminders(*, unit: Unit, year: AppraisalYear, limit: int = 5):
    """The notices sent to `unit` about `year`'s deadlines, latest first."""
    return list(
        Reminder.objects.filter(unit=unit, deadline__year=year, status=Status.SENT)
        .select_related("deadline")
        .order_by("-sent_at", "-id")[:limit]
    )


@dataclass
class BulletinRow:
    unit: Unit
    deadline: Deadline
    deliverables: list[str]
    days_overdue: int
    notice: Reminder | None


def overdue_bulletin(*, year: AppraisalYear, today: datetime.date | None = None) -> list[BulletinRow]:
    """Units still owing something for a deadline passed since the overdue notice plus the bulletin days,
    most overdue first. A fixed number of queries."""
    today = today or timezone.localdate()
    reminder_settings = ReminderSettings.objects.filter(year=year).first() or ReminderSettings(year=year)
    passed = [
        deadline
        for deadline in year.deadlines.filter(code__in=list(DEADLINE_KINDS))
        if (today - deadline.due_date).days >= reminder_settings.notice_to_bulletin_days
    ]
    owing = units_owing(year=year, deadlines=passed)
    notices = {
        (reminder.deadline_id, reminder.unit_id): reminder
        for reminder in Reminder.objects.filter(deadline__in=passed, kind=Kind.OVERDUE)
    }
    by_pk = {deadline.pk: deadline for deadline in passed}
    rows = []
    for (deadline_id, unit_id), (unit, labels) in owing.items():
        deadline = by_pk[deadline_id]
        notice = notices.get((deadline_id, unit_id))
        rows.append(BulletinRow(unit, deadline, labels, (today - deadline.due_date).days, notice))
    return sorted(rows, key=lambda row: (-row.days_overdue, row.unit.name))
