from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections")

    def office_queue(self, year):
        """Inspections the supervisors submitted (or resubmitted) and the office has not decided on yet."""
        from django.urls import reverse

        from appraisal.queue import QueueEntry

        from .models import Inspection

        count = Inspection.objects.filter(status=Inspection.Status.SUBMITTED).count()
        return [QueueEntry(_("Inspections waiting for review"), count, reverse("inspections:review"), order=30)]
