"""Serving uploaded files after the access check: by the application, or by nginx through X-Accel-Redirect."""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def protected_file_response(file, *, filename: str, as_attachment: bool = True, content_type: str | None = None):
    """The response for a stored file the caller has already checked the user may see.

    With PROTECTED_FILES_URL set (production behind nginx), the body is left to nginx: the response only names
    the file under that internal location, so a large video never occupies a gunicorn worker. Otherwise the
    application streams the file itself."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    prefix = settings.PROTECTED_FILES_URL
    if not prefix:
        return FileResponse(file.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type)
    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(file.name)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    return response
