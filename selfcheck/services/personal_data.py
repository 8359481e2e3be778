"""Complainants' names and phones: the office's alone, kept for the retention period after the office handled
the complaint (settings.PERSONAL_DATA_RETENTION, README: Personal data), then blanked. The complaint itself,
its unit, dates, status and problem stay for the statistics."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from appraisal.personal_data import purge, retention_cutoff

from ..models import Complaint

COMPLAINANTS_ANONYMISED = _("Complainants' names and phones removed")


def complaints_purge(*, before, dry_run) -> list[tuple[str, int]]:
    expired = Complaint.objects.filter(triaged_at__date__lt=retention_cutoff("complaints", before)).filter(
        ~Q(name="") | ~Q(phone="")
    )
    return [(COMPLAINANTS_ANONYMISED, purge(expired, dry_run, name="", phone=""))]
