"""Telling the next person of a hand-off: a notification on their home page, and an email where they have an
address, sent once the change that caused it has been committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from ..models import Notification, Unit
from .reminders import unit_addresses


def _link(url: str) -> str:
    return f"{settings.SITE_URL}{url}" if url and settings.SITE_URL else ""


def notification_send(*, title: str, body: str = "", url: str = "", unit: Unit | None = None, user=None, by=None):
    """Tell a unit (every account of it, its liaison and office contacts) or one person (`user`) about work
    handed to them. `url` is the page where they act on it."""
    if (unit is None) == (user is None):
        raise ValueError("a notification goes to a unit or to a person")
    addresses = unit_addresses([unit.pk])[unit.pk][0] if unit else [user.email] if user.email else []
    notification = Notification.objects.create(
        unit=unit, user=user, title=title[:200], body=body, url=url, created_by=by, emailed_to=addresses
    )
    if addresses:
        text = "\n\n".join(part for part in (body, _link(url)) if part)
        transaction.on_commit(lambda: send_mail(title, text, None, addresses))
    return notification
