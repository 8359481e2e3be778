"""Personal data: exports of it are recorded, and what is past its retention period is anonymised or removed.

Retention periods live in settings.PERSONAL_DATA_RETENTION (days per kind; README: Personal data). Each app
that keeps personal data has a `purge_personal_data(before, dry_run)` on its AppConfig returning
`[(description, count), …]`; `manage.py purge_personal_data` calls them all in one transaction. Purging
anonymises rather than deletes wherever statistics count the rows: counts, dates, units, statuses and
ballots stay as they were.
"""

import datetime

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .history import history_context, is_recorded
from .models import PersonalDataExport

# What an anonymised name reads; stored data, the same whatever the language of the command that wrote it.
ANONYMISED = "已匿名"

EXPORT_RECORDS = _("Records of personal-data exports deleted")
AUDIT_EVENTS = _("Audit-trail events deleted")


def personal_data_export_record(*, user, kind: str, description: str = "", rows: int) -> PersonalDataExport:
    """Record that `user` took `rows` rows of personal data (`kind`, e.g. 服务对象名单) out of the system."""
    return PersonalDataExport.objects.create(user=user, kind=str(kind), description=str(description)[:300], rows=rows)


def retention_cutoff(kind: str, before: datetime.date) -> datetime.date:
    """Data of `kind` whose retention clock started before this day has expired by `before`."""
    return before - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION[kind])


def purge(queryset, dry_run: bool, **changes) -> int:
    """Count the rows of `queryset` and, unless it is a dry run, apply `changes` (an update) or delete them."""
    count = queryset.count()
    if count and not dry_run:
        if changes:
            queryset.update(**changes)
        else:
            queryset.delete()
    return count


def purge_personal_data(*, before: datetime.date, dry_run: bool = False) -> list[tuple[str, int]]:
    """Anonymise or remove, in every app, the personal data whose retention period ended before `before`.

    One transaction: all or nothing. A dry run counts what would change and changes nothing. Running it
    again changes nothing more (what is anonymised is not counted twice)."""
    results = []
    with transaction.atomic(), history_context(command="purge_personal_data"):
        for config in apps.get_app_configs():
            hook = getattr(config, "purge_personal_data", None)
            if hook:
                results += hook(before=before, dry_run=dry_run)
        results += _purge_own(before=before, dry_run=dry_run)
        if dry_run:
            transaction.set_rollback(True)
    return results


def _purge_own(*, before, dry_run):
    exports = PersonalDataExport.objects.filter(at__date__lt=retention_cutoff("exports", before))
    results = [(EXPORT_RECORDS, purge(exports, dry_run))]
    if is_recorded():
        results.append((AUDIT_EVENTS, _purge_events(retention_cutoff("audit_events", before), dry_run)))
    return results


def _purge_events(cutoff, dry_run):
    """The audit trail keeps snapshots of rows, personal data included: events older than its period go."""
    from pghistory.models import Context, Event

    count = 0
    for model in apps.get_models():
        if issubclass(model, Event):
            count += purge(model.objects.filter(pgh_created_at__date__lt=cutoff), dry_run)
    purge(Context.objects.filter(updated_at__date__lt=cutoff), dry_run)
    return count
