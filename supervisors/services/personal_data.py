"""Supervisors' personal data: kept while they serve and for the retention period after their last appointment
ended (settings.PERSONAL_DATA_RETENTION, README: Personal data), then anonymised.

The record stays, so past inspections, teams and quotas keep adding up; only the name, the phone, the email and
the employer go, from the record and from its audit-trail snapshots alike.
"""

from django.db.models import CharField, Max, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.utils.translation import gettext_lazy as _

from appraisal.personal_data import ANONYMISED, purge, retention_cutoff

from ..models import Supervisor

SUPERVISORS_ANONYMISED = _("Supervisors anonymised")


def _anonymised(pk_field):
    return {
        "name": Concat(Value(f"{ANONYMISED}#"), Cast(pk_field, CharField())),
        "phone": "",
        "email": "",
        "employer": "",
    }


def supervisors_purge(*, before, dry_run) -> list[tuple[str, int]]:
    """Anonymise supervisors whose last appointment ended (or who, never appointed, were entered) before the
    retention cut-off."""
    cutoff = retention_cutoff("supervisors", before)
    last_day = Coalesce(Max(Coalesce("appointments__ended_on", "appointments__ends_on")), TruncDate("created_at"))
    expired = (
        Supervisor.objects.exclude(name__startswith=ANONYMISED)
        .annotate(last_day=last_day)
        .filter(Q(last_day__lt=cutoff))
    )
    pks = list(expired.values_list("pk", flat=True))
    count = purge(Supervisor.objects.filter(pk__in=pks), dry_run, **_anonymised("pk"))
    if not dry_run:
        events = Supervisor.pgh_event_model.objects.filter(pgh_obj_id__in=pks)
        events.update(**_anonymised("pgh_obj_id"))
    return [(SUPERVISORS_ANONYMISED, count)]
