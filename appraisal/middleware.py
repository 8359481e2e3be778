"""A friendly page instead of a server error while the database cannot be reached for a moment."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _
from django.views import defaults

logger = logging.getLogger(__name__)

# Seconds a browser or client is asked to wait before trying again.
RETRY_AFTER = 30

UNAVAILABLE_TITLE = _("The system is briefly unavailable")
UNAVAILABLE_MESSAGE = _(
    "The database cannot be reached for the moment. Nothing you did is lost: wait a few seconds and reload the "
    "page. If it keeps happening, contact the district appraisal office."
)
TRY_AGAIN = _("Reload the page")


DATABASE_ERRORS = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    """Turns a database connection error raised by a view into a 503 page with Retry-After.

    The page is rendered from a plain template with no request context: the context processors would look up
    the user, which needs the very database that is down. Django discards the broken connection when the
    request ends (its health check fails), so the next request connects afresh.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Database unavailable on %s %s: %s", request.method, request.path, exception, exc_info=exception)
        return unavailable_response()


def unavailable_response() -> HttpResponse:
    context = {"title": UNAVAILABLE_TITLE, "message": UNAVAILABLE_MESSAGE, "try_again": TRY_AGAIN}
    response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    # Never cached by a proxy or the browser: the page is only true for a moment.
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: the 503 page when the error was the database's, raised outside a view (a middleware that
    reads the session or the user, which process_exception never sees); Django's 500 page otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        logger.error("Database unavailable on %s %s: %s", request.method, request.path, error)
        return unavailable_response()
    return defaults.server_error(request)
