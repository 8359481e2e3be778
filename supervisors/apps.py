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
