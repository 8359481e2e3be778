from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from appraisal.backup import backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder under DIR, with a checksum manifest."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="where the new backup folder is created")

    def handle(self, *args, directory, **options):
        folder = backup_create(directory)
        self.stdout.write(self.style.SUCCESS(_("Backup written to %(folder)s") % {"folder": folder}))
