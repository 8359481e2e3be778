"""Uploaded files: the type is decided by the content, never by the name; files are stored under random names.

`sniff(upload)` returns the kind of document a file really is ("pdf", "docx", "xlsx", "doc", "ofd", …) or None.
`check_upload(upload, kinds=…, max_bytes=…)` refuses anything else, or anything too large, with a message
that says what to do. `sniff` also knows pictures (jpg, png) and phone audio/video (MEDIA_KINDS);
`check_image` refuses a picture Pillow cannot read or one that carries more than a picture (a polyglot), and
`strip_image_metadata` makes a copy that keeps the pixels only.
"""

import io
import os
import uuid
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

UPLOAD_TOO_LARGE = _("The file is %(size)s; the limit is %(limit)s.")
UPLOAD_WRONG_TYPE = _(
    "This file is not one of the accepted kinds (%(kinds)s). Its name says “%(name)s”, its content does not match."
)
UPLOAD_EMPTY = _("The file is empty.")
IMAGE_INVALID = _(
    "This picture is damaged or carries something other than a picture. "
    "Save it again as JPG or PNG (a screenshot will do) and upload it again."
)

DOCUMENT_KINDS = ("pdf", "docx", "doc", "xlsx", "xls", "wps", "ofd")
IMAGE_KINDS = ("jpg", "png")
MEDIA_KINDS = ("mp4", "m4a", "mov", "3gp", "mp3", "amr", "wav")
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
    "mp4": ".mp4",
    "m4a": ".m4a",
    "mov": ".mov",
    "3gp": ".3gp",
    "mp3": ".mp3",
    "amr": ".amr",
    "wav": ".wav",
}
KIND_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "mp4": "video/mp4",
    "m4a": "audio/mp4",
    "mov": "video/quicktime",
    "3gp": "video/3gpp",
    "mp3": "audio/mpeg",
    "amr": "audio/amr",
    "wav": "audio/wav",
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"
# ISO base media (ftyp) brands of phone recordings (3GPP brands: any "3g…"); any other brand (HEIC pictures
# among them) is refused.
FTYP_BRANDS = {
    **dict.fromkeys((b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V "), "mp4"),
    **dict.fromkeys((b"M4A ", b"M4B "), "m4a"),
    b"qt  ": "mov",
}
# Bytes some cameras leave after a JPEG's end marker.
JPEG_PADDING = 16


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


def _media_kind(head):
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "3gp" if brand.startswith(b"3g") else FTYP_BRANDS.get(brand)
    # An ID3 tag, or an MPEG audio frame: 11 sync bits, then a layer that is not the reserved 00 (AAC's ADTS).
    if head.startswith(b"ID3") or (head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06):
        return "mp3"
    if head.startswith(b"#!AMR"):
        return "amr"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    return None


def sniff(upload):
    """The kind of a document or recording by its first bytes (and, for zip containers, by the parts inside)."""
    upload.seek(0)
    head = upload.read(12)
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
    elif len(head) == 12:
        kind = _media_kind(head)
    else:
        kind = None
    upload.seek(0)
    return kind


def check_upload(upload, *, kinds=DOCUMENT_KINDS, max_bytes):
    """Refuse an empty, oversized or mistyped file; returns the kind the content proves."""
    if not upload.size:
        raise ValidationError(UPLOAD_EMPTY)
    check_size(upload, max_bytes=max_bytes)
    kind = sniff(upload)
    if kind not in kinds:
        raise ValidationError(UPLOAD_WRONG_TYPE, params={"kinds": "、".join(kinds), "name": upload.name})
    return kind


def check_size(upload, *, max_bytes):
    if upload.size > max_bytes:
        raise ValidationError(
            UPLOAD_TOO_LARGE, params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )


def _png_end(upload):
    """The offset just after the IEND chunk, walking the chunks by their lengths; None if there is none."""
    upload.seek(len(PNG))
    while len(header := upload.read(8)) == 8:
        upload.seek(int.from_bytes(header[:4], "big") + 4, os.SEEK_CUR)  # the data and the CRC
        if header[4:] == b"IEND":
            return upload.tell()
    return None


def _jpeg_end(data):
    """The offset just after the EOI marker that ends the picture, walking the segments and the scans (so an
    end marker inside a thumbnail or after appended bytes does not count); None if the structure is broken."""
    pos = 2
    while pos + 1 < len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xD9:
            return pos + 2
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            pos += 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xDA:  # entropy-coded data runs to the next marker that is not a stuffed 0xFF or a restart
            pos = data.find(b"\xff", pos)
            while pos != -1 and pos + 1 < len(data) and (data[pos + 1] == 0 or 0xD0 <= data[pos + 1] <= 0xD7):
                pos = data.find(b"\xff", pos + 2)
            if pos == -1:
                return None
    return None


def check_image(upload, kind):
    """Refuse a jpg/png that Pillow cannot read, or one with bytes after the picture's end (HTML, a script, an
    archive appended to a real picture)."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            valid = image.format == {"jpg": "JPEG", "png": "PNG"}[kind]
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, DecompressionBombError, …)
        valid = False
    if valid and kind == "png":
        valid = _png_end(upload) == upload.size
    elif valid:
        upload.seek(0)
        data = upload.read()
        end = _jpeg_end(data)
        valid = end is not None and len(data) - end <= JPEG_PADDING and not data[end:].strip(b"\x00\xff \r\n")
    upload.seek(0)
    if not valid:
        raise ValidationError(IMAGE_INVALID)


def strip_image_metadata(upload) -> ContentFile:
    """A copy of a jpg/png with the pixels only: no EXIF (GPS, device, author), XMP, ICC profile or comments.
    The orientation the camera recorded is applied first, so the picture stays upright without it."""
    upload.seek(0)
    with Image.open(upload) as image:
        upright = ImageOps.exif_transpose(image)
        is_png = image.format == "PNG"
    mode = ("RGBA" if "A" in upright.getbands() or "transparency" in upright.info else "RGB") if is_png else "RGB"
    upright = upright.convert(mode)
    pixels = Image.frombytes(mode, upright.size, upright.tobytes())  # a new image: no info carried over
    output = io.BytesIO()
    pixels.save(output, format="PNG" if is_png else "JPEG", **({} if is_png else {"quality": 90}))
    upload.seek(0)
    return ContentFile(output.getvalue(), name="picture.png" if is_png else "picture.jpg")


def random_name(folder, kind):
    """A storage path that reveals nothing of the original name: folder/<random hex>.<kind>."""
    return f"{folder}/{uuid.uuid4().hex}{KIND_EXTENSIONS.get(kind, '')}"
