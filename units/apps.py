from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Evaluated units")

    def home_url_for(self, user):
        """A unit liaison lands on their unit (or the list of their units when they have several)."""
        from django.urls import reverse

        from .selectors import units_of_member

        units = list(units_of_member(user)[:2])
        if len(units) == 1:
            return reverse("units:detail", args=[units[0].pk])
        if units:
            return reverse("units:mine")
        return None

    def office_queue(self, year):
        """Submissions waiting for the office's review, and deliverables units owe past their due date."""
        from django.urls import reverse

        from appraisal.queue import QueueEntry

        from .models import Deliverable
        from .selectors import overdue_deliverables_count

        if year is None:
            return []
        matrix = reverse("units:deliverable_matrix")
        waiting = Deliverable.objects.filter(
            year=year, status=Deliverable.Status.SUBMITTED, unit__is_active=True
        ).count()
        return [
            QueueEntry(_("Submissions to review"), waiting, f"{matrix}?year={year.year}&status=submitted", order=10),
            QueueEntry(
                _("Deliverables overdue"),
                overdue_deliverables_count(year),
                f"{matrix}?year={year.year}&status=overdue",
                order=11,
                overdue=True,
            ),
        ]

    def purge_personal_data(self, *, before, dry_run):
        """Service objects past their retention period (appraisal.personal_data)."""
        from .services.personal_data import service_objects_purge

        return service_objects_purge(before=before, dry_run=dry_run)
