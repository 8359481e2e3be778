import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from appraisal.history import recorded
from appraisal.models import AppraisalYear
from reports.exports import SUMMARIES, Scope, summary_named, write_summary
from units.models import Unit


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("“%(value)s” is not a date; write it as 2026-07-10.") % {"value": value}) from None


class Command(BaseCommand):
    help = "Build one of the Excel summaries for the city office now, in this process, into FILE.xlsx."

    def add_arguments(self, parser):
        names = ", ".join(f"{s.number}={s.kind}" for s in SUMMARIES.values())
        parser.add_argument("kind", help=f"the summary: {names}")
        parser.add_argument("--year", type=int, required=True, help="the campaign year, e.g. 2026")
        parser.add_argument("--unit", type=int, help="only this unit (its id); every unit when left out")
        parser.add_argument("--from", dest="date_from", type=_date, help="summary 2: first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="date_to", type=_date, help="summary 2: last day (YYYY-MM-DD)")
        parser.add_argument("--out", required=True, help="the workbook to write (.xlsx)")

    @recorded(command="export_report")
    def handle(self, *args, kind, year, unit, date_from, date_to, out, **options):
        summary = summary_named(kind)
        if summary is None:
            names = ", ".join(f"{s.number} / {s.kind}" for s in SUMMARIES.values())
            raise CommandError(_("Unknown summary “%(kind)s”; use one of: %(names)s.") % {"kind": kind, "names": names})
        scope = Scope(self._year(year), self._unit(unit), date_from, date_to)
        try:
            rows = write_summary(kind=summary.kind, scope=scope, file=out)
        except OSError as error:
            raise CommandError(_("Cannot write %(file)s: %(error)s") % {"file": out, "error": error.strerror}) from None
        self.stdout.write(self.style.SUCCESS(_("%(rows)d rows written to %(file)s") % {"rows": rows, "file": out}))

    def _year(self, number):
        year = AppraisalYear.objects.filter(year=number).first()
        if year is None:
            known = ", ".join(str(y) for y in AppraisalYear.objects.order_by("year").values_list("year", flat=True))
            raise CommandError(
                _("There is no appraisal year %(year)s; the years are: %(known)s.")
                % {"year": number, "known": known or "—"}
            )
        return year

    def _unit(self, pk):
        if pk is None:
            return None
        unit = Unit.objects.filter(pk=pk).first()
        if unit is None:
            raise CommandError(_("There is no unit with this id."))
        return unit
