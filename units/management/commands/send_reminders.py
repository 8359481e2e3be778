import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.history import recorded
from units.services.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Send the deadline reminders and overdue notices owed on a day (today by default), as the daily job does. "
        "Each notice is sent once, however often this runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to run the job for, YYYY-MM-DD (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")

    @recorded(command="send_reminders")
    def handle(self, *args, date=None, dry_run=False, **options):
        day = self._day(date) or timezone.localdate()
        results = reminders_send(day=day, dry_run=dry_run)
        for result in results:
            self.stdout.write(self._line(result, dry_run=dry_run))
        if dry_run:
            summary = _("%(day)s: %(count)d notices would be sent (dry run, nothing sent).")
        else:
            summary = _("%(day)s: %(count)d notices sent.")
        self.stdout.write(self.style.SUCCESS(summary % {"day": day.isoformat(), "count": len(results)}))

    def _day(self, value):
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(_("“%(value)s” is not a date; write it as 2026-07-10.") % {"value": value}) from None

    def _line(self, result, *, dry_run):
        """One notice: what, to whom, and (when sent) whether the email went out."""
        to = result.to if dry_run else result.recipients
        state = _("would send") if dry_run else result.get_status_display()
        line = f"[{state}] {result.unit.name} · {result.deadline.title}（{result.deadline.due_date:%Y-%m-%d}）· {result.label}"
        line += " → " + ("、".join(to) or _("no email address, notice on the unit's page only"))
        if result.cc:
            line += " " + _("cc") + " " + "、".join(result.cc)
        return line
