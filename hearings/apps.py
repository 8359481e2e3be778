from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Hearings")

    def office_queue(self, year):
        """Model-window nominations of the year still waiting for the office's decision."""
        from django.urls import reverse

        from appraisal.queue import QueueEntry

        from .models import WindowNomination

        if year is None:
            return []
        waiting = WindowNomination.objects.filter(year=year, status=WindowNomination.Status.NOMINATED).count()
        url = reverse("hearings:nominations") + f"?year={year.year}&status={WindowNomination.Status.NOMINATED}"
        return [QueueEntry(_("Nominations awaiting a decision"), waiting, url, order=50)]
