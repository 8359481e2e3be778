"""The session store: Django's cached_db (the cache in front of the database: no query per page for the session),
ending office sessions at a fixed time after login (see appraisal.signals)."""

from datetime import datetime

from django.contrib.sessions.backends import cached_db
from django.utils import timezone

# When an office account's session ends, as an ISO date-time, set at login.
ENDS_AT = "_office_session_ends_at"


class SessionStore(cached_db.SessionStore):
    def _ends_at(self, data):
        value = data.get(ENDS_AT)
        return datetime.fromisoformat(value) if value else None

    def load(self):
        """A session past its end is deleted and treated as expired, like one past its database expiry date."""
        data = super().load()
        ends_at = self._ends_at(data)
        if ends_at and ends_at <= timezone.now():
            self.delete(self.session_key)
            self._session_key = None
            return {}
        return data

    def get_session_cookie_age(self):
        """The database row and the cache entry of an office session last no longer than the session itself."""
        ends_at = self._ends_at(self._session)
        if ends_at is None:
            return super().get_session_cookie_age()
        return max(0, int((ends_at - timezone.now()).total_seconds()))
