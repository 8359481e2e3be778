from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from appraisal.history import recorded
from appraisal.models import AppraisalYear
from selfcheck.services import register_import
from units.models import Unit


class Command(BaseCommand):
    help = "Import a unit's self-check register from Excel into the current year (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", type=int, required=True, help="the unit's id")
        parser.add_argument("file", help="the register workbook (.xlsx), laid out like the register's template")

    @recorded(command="import_selfcheck")
    def handle(self, *args, unit, file, **options):
        unit = Unit.objects.filter(pk=unit).first()
        if unit is None:
            raise CommandError(_("There is no unit with this id."))
        year = AppraisalYear.objects.current()
        if year is None:
            raise CommandError(_("There is no appraisal year yet; the office creates it first."))
        try:
            with open(file, "rb") as upload:
                result = register_import(year=year, unit=unit, upload=upload, by=None)
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
                _(
                    "Imported into the %(year)s register of %(unit)s. Added: %(added)d, updated: %(updated)d, "
                    "unchanged: %(unchanged)d."
                )
                % {
                    "year": year.year,
                    "unit": unit.name,
                    "added": result.added,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
        )
