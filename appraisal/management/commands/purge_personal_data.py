import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisal.personal_data import purge_personal_data


class Command(BaseCommand):
    help = (
        "Anonymise or remove the personal data whose retention period (settings.PERSONAL_DATA_RETENTION) ended "
        "before DATE (default: today). Statistics, counts and ballots are kept. One transaction; running it again "
        "changes nothing more."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", help="the day, YYYY-MM-DD, by which the retention must have ended")
        parser.add_argument("--dry-run", action="store_true", help="print what would change; change nothing")

    def handle(self, *args, before=None, dry_run=False, **options):
        day = self._day(before) if before else timezone.localdate()
        results = purge_personal_data(before=day, dry_run=dry_run)
        for description, count in results:
            self.stdout.write(f"{description}: {count}")
        total = sum(count for _description, count in results)
        if dry_run:
            summary = _("Retention ended before %(day)s: %(count)d records would change (dry run, nothing changed).")
        else:
            summary = _("Retention ended before %(day)s: %(count)d records changed.")
        self.stdout.write(self.style.SUCCESS(summary % {"day": day.isoformat(), "count": total}))

    def _day(self, value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(_("“%(value)s” is not a date; write it as 2026-07-10.") % {"value": value}) from None
