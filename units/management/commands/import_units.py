from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from appraisal.history import recorded
from units.services import roster_import


class Command(BaseCommand):
    help = "Import units, sub-units and contacts from a roster workbook (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the roster workbook (.xlsx), laid out like the office page's template")

    @recorded(command="import_units")
    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as upload:
                result = roster_import(upload=upload)
        except OSError as error:
            raise CommandError(_("Cannot open %(file)s: %(error)s") % {"file": file, "error": error.strerror}) from None
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(
                _("Nothing was imported: %(count)d problems to fix.") % {"count": len(error.messages)}
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported. New: %(units)d units, %(subunits)d sub-units, %(contacts)d contacts.") % result.created
            )
        )
        self.stdout.write(
            _("Updated: %(units)d units, %(subunits)d sub-units, %(contacts)d contacts.") % result.updated
        )
