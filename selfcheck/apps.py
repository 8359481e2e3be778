from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfcheckConfig(AppConfig):
    name = "selfcheck"
    verbose_name = _("Self-check and correction")

    def purge_personal_data(self, *, before, dry_run):
        """Complainants past their retention period (appraisal.personal_data)."""
        from .services.personal_data import complaints_purge

        return complaints_purge(before=before, dry_run=dry_run)
