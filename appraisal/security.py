"""Login lockouts and request limits: the client address both use, the rate-limit decorators of the views that
take ballots and files, and the office's list and unlocking of locked accounts."""

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone
from django_ratelimit import ALL, UNSAFE
from django_ratelimit.decorators import ratelimit

# Uploads (workbooks, documents, evidence) per signed-in user, all upload pages together: far more than anyone
# hand-picks files, few enough that a script cannot fill the disk or keep the workers parsing.
UPLOAD_RATE = "30/m"
# Submissions per ballot code: a voter correcting a mistake a few times, not a script trying every answer.
BALLOT_TOKEN_RATE = "10/m"


def client_ip(request):
    """The client's address as the rate limits read it (RATELIMIT_IP_META_KEY, set by DJANGO_CLIENT_IP_HEADER):
    the login lockout counts failures per username and this same address. None when the request has none (the
    test client's login)."""
    return request.META.get(settings.RATELIMIT_IP_META_KEY) or None


def ballot_client_rate(group, request):
    """Per client address on the ballot page; generous because a whole hall votes through one Wi-Fi address.
    BALLOT_CLIENT_RATE empty: no per-address limit."""
    return settings.BALLOT_CLIENT_RATE or None


def ballot_token_key(group, request):
    """The ballot code in the URL; ratelimit keeps only a hash of it in the cache."""
    return request.resolver_match.kwargs["token"]


def ballot_ratelimit(view):
    """The phone ballot: POSTs per ballot code and any request per client address; over either, HTTP 429."""
    view = ratelimit(group="ballot-token", key=ballot_token_key, rate=BALLOT_TOKEN_RATE, method=UNSAFE)(view)
    return ratelimit(group="ballot-client", key="ip", rate=ballot_client_rate, method=ALL)(view)


def upload_ratelimit(view):
    """Every view that accepts a file: POSTs per user (or address) over all of them; over the limit, HTTP 429.
    Put it under @login_required so that anonymous requests are sent to the login page, not counted."""
    return ratelimit(group="upload", key="user_or_ip", rate=UPLOAD_RATE, method=UNSAFE)(view)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_accounts():
    """Username and address pairs locked out now: as many failures as the limit within the cool-off time.

    Failures of one pair are kept per browser (user agent) and added up, as django-axes does."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=since)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt")
    )
    return [row | {"locked_until": row["last_attempt"] + settings.AXES_COOLOFF_TIME} for row in rows]


def account_unlock(*, username: str, ip_address: str | None) -> int:
    """Forget the failed logins of a username from an address, so that it can log in again at once.

    Returns how many failure records were removed (0: it was not locked any more)."""
    return axes_reset(username=username, ip=ip_address) if username else 0
