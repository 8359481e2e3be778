from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = _("Appraisal campaign")

    def ready(self):
        from . import signals  # noqa: F401 - connects the office session expiry at login
        from .reference_data import ensure_reference_data

        # Permissions only exist once every app has migrated, so the role groups are kept in step then.
        post_migrate.connect(ensure_reference_data, dispatch_uid="appraisal.ensure_reference_data")
