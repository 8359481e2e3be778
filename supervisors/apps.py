from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisorsConfig(AppConfig):
    name = "supervisors"
    verbose_name = _("Supervisors")

    def home_url_for(self, user):
        """A supervisor lands on their own page: appointments, trainings, the units they may inspect."""
        from django.urls import reverse

        from .access import is_supervisor

        return reverse("supervisors:home") if is_supervisor(user) else None

    def purge_personal_data(self, *, before, dry_run):
        """Supervisors past their retention period (appraisal.personal_data)."""
        from .services.personal_data import supervisors_purge

        return supervisors_purge(before=before, dry_run=dry_run)

    def office_queue(self, year):
        """Units' requests to end an appointment, and (with a year) the unit teams below the rule."""
        from django.urls import reverse

        from appraisal.queue import QueueEntry

        from .models import AppointmentEndRequest
        from .selectors import unit_teams

        pending = AppointmentEndRequest.objects.filter(status=AppointmentEndRequest.Status.PENDING).count()
        entries = [
            QueueEntry(_("Units asked to end an appointment"), pending, reverse("supervisors:end_requests"), order=40)
        ]
        if year is not None:
            flagged = sum(unit.flagged for unit in unit_teams(year=year))
            url = f"{reverse('supervisors:unit_teams')}?flagged=1"
            entries.append(QueueEntry(_("Unit teams below the rule"), flagged, url, order=41))
        return entries
