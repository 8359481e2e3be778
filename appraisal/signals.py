"""Office sessions are short: they end OFFICE_SESSION_SECONDS after login and when the browser closes. Other
accounts keep Django's default (SESSION_COOKIE_AGE, two weeks)."""

import datetime

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from .roles import is_office
from .sessions import ENDS_AT


@receiver(user_logged_in, dispatch_uid="appraisal.office_session_expiry")
def office_session_expiry(sender, request, user, **kwargs):
    # An office account changes every unit's data: a session left open on a shared computer must not last.
    if request is None or not hasattr(request, "session") or not is_office(user):
        return
    ends_at = timezone.now() + datetime.timedelta(seconds=settings.OFFICE_SESSION_SECONDS)
    request.session[ENDS_AT] = ends_at.isoformat()
    request.session.set_expiry(0)  # the cookie goes when the browser closes
