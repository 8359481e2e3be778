from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from appraisal.backup import backup_check, backup_restore


class Command(BaseCommand):
    help = "Restore a folder written by `manage.py backup`: replaces the database, adds the files to MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, folder, yes, **options):
        try:
            manifest = backup_check(folder)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        question = _("Replace the whole database with the backup of %(created)s? Type yes: ")
        if not yes and input(question % {"created": manifest["created"]}).strip() != "yes":
            raise CommandError(_("Nothing was restored."))
        connections.close_all()  # pg_restore needs the tables without this process holding them
        backup_restore(folder)
        self.stdout.write(self.style.SUCCESS(_("Restored the backup of %(created)s.") % manifest))
        self.stdout.write(_("Next: manage.py migrate, then restart the web, worker and beat services."))
