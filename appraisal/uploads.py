"""Uploaded files: the type is decided by the content, never by the name; files are stored under random names.

`sniff(upload)` returns the kind of document a file really is ("pdf", "docx", "xlsx", "doc", "ofd", …) or None.
`check_upload(upload, kinds=…, max_bytes=…)` refuses anything else, or anything too large, with a message
that says what to do. Image and media kinds are added here by the apps that need them.
"""

import os
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

UPLOAD_TOO_LARGE = _("The file is %(size)s; the limit is %(limit)s.")
UPLOAD_WRONG_TYPE = _(
    "This file is not one of the accepted kinds (%(kinds)s). Its name says “%(name)s”, its content does not match."
)
UPLOAD_EMPTY = _("The file is empty.")

DOCUMENT_KINDS = ("pdf", "docx", "doc", "xlsx", "xls", "wps", "ofd")
IMAGE_KINDS = ("jpg", "png")
KIND_EXTENSIONS = {
    "pdf": ".pdf",
    "docx": ".docx",
    "doc": ".doc",
    "xlsx": ".xlsx",
    "xls": ".xls",
    "wps": ".wps",
    "ofd": ".ofd",
    "jpg": ".jpg",
    "png": ".png",
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"


def _zip_kind(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return None


def _ole_kind(name):
    # Word, Excel and WPS binary files share the OLE2 container; the extension picks among them, the content
    # has already proven it is one of them.
    extension = os.path.splitext(name or "")[1].lower()
    return {".xls": "xls", ".wps": "wps", ".et": "xls"}.get(extension, "doc")


def sniff(upload):
    """The kind of a document by its first bytes (and, for zip containers, by the parts inside)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(OLE2):
        kind = _ole_kind(getattr(upload, "name", ""))
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
    elif head.startswith(JPEG):
        kind = "jpg"
    elif head.startswith(PNG):
        kind = "png"
    else:
        kind = None
    upload.seek(0)
    return kind


def check_upload(upload, *, kinds=DOCUMENT_KINDS, max_bytes):
    """Refuse an empty, oversized or mistyped file; returns the kind the content proves."""
    size = upload.size
    if not size:
        raise ValidationError(UPLOAD_EMPTY)
    if size > max_bytes:
        raise ValidationError(
            UPLOAD_TOO_LARGE, params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
        )
    kind = sniff(upload)
    if kind not in kinds:
        raise ValidationError(UPLOAD_WRONG_TYPE, params={"kinds": "、".join(kinds), "name": upload.name})
    return kind


def random_name(folder, kind):
    """A storage path that reveals nothing of the original name: folder/<random hex>.<kind>."""
    return f"{folder}/{uuid.uuid4().hex}{KIND_EXTENSIONS.get(kind, '')}"
