"""Backups: the database (pg_dump's custom format, or SQLite's online backup) and the uploaded files, in one
folder with a manifest of checksums; and the restore of such a folder, refused when a file does not match."""

import hashlib
import json
import os
import sqlite3
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
NOT_A_BACKUP = _("%(path)s is not a backup folder: it has no manifest.json.")
DAMAGED = _("%(name)s in the backup does not match its checksum; the backup is damaged and was not restored.")
UNSAFE_MEMBER = _("The file archive holds “%(name)s”, which points outside the media folder; nothing was restored.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_environment(db: dict) -> dict:
    """libpq's variables for a Django database dict, so no password ever appears on a command line."""
    values = {"PGHOST": db.get("HOST"), "PGPORT": db.get("PORT"), "PGUSER": db.get("USER")}
    values["PGPASSWORD"] = db.get("PASSWORD")
    return os.environ | {key: str(value) for key, value in values.items() if value}


def _sqlite_copy(source, target):
    """SQLite's online backup: a consistent copy even while the application writes."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def _dump_database(folder: Path) -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "postgresql":
        name = "database.dump"
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={folder / name}"]
        subprocess.run([*command, db["NAME"]], env=_pg_environment(db), check=True, capture_output=True)
        return name
    name = "database.sqlite3"
    _sqlite_copy(db["NAME"], folder / name)
    return name


def _archive_media(folder: Path) -> str:
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        media = Path(settings.MEDIA_ROOT)
        if media.exists():
            archive.add(media, arcname=".")
    return MEDIA_ARCHIVE


def backup_create(parent: Path) -> Path:
    """Write a new folder `appraisal-<time>` under `parent` and return it."""
    folder = Path(parent) / f"appraisal-{timezone.localtime():%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    files = [_dump_database(folder), _archive_media(folder)]
    # the last migration applied per app: what a restored copy must be migrated from
    migrations = dict(MigrationRecorder.Migration.objects.order_by("applied", "id").values_list("app", "name"))
    manifest = {
        "created": timezone.now().isoformat(),
        "database": connection.vendor,
        "migrations": migrations,
        "files": {name: _sha256(folder / name) for name in files},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return folder


def backup_check(folder: Path) -> dict:
    """The manifest of a complete, undamaged backup folder; ValidationError otherwise."""
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise ValidationError(NOT_A_BACKUP % {"path": folder})
    manifest = json.loads((folder / MANIFEST).read_text())
    for name, digest in manifest["files"].items():
        if not (folder / name).is_file() or _sha256(folder / name) != digest:
            raise ValidationError(DAMAGED % {"name": name})
    return manifest


def _restore_database(folder: Path, manifest: dict, db: dict):
    if manifest["database"] == "postgresql":
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error"]
        command += [f"--dbname={db['NAME']}", "--single-transaction", str(folder / "database.dump")]
        subprocess.run(command, env=_pg_environment(db), check=True, capture_output=True)
        return
    _sqlite_copy(folder / "database.sqlite3", db["NAME"])


def _media_members(folder: Path) -> list[tarfile.TarInfo]:
    """The archive's entries, refused when one would land outside the media folder."""
    with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as archive:
        members = archive.getmembers()
    for member in members:
        if member.name.startswith("/") or ".." in Path(member.name).parts or member.issym() or member.islnk():
            raise ValidationError(UNSAFE_MEMBER % {"name": member.name})
    return members


def _restore_media(folder: Path, media_root: Path):
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")


def backup_restore(folder: Path, *, database: dict | None = None, media_root: Path | None = None) -> dict:
    """Restore a checked backup into the configured database and media folder (or the given ones).
    The database is replaced in one transaction; files are added over what is there."""
    folder = Path(folder)
    manifest = backup_check(folder)
    _media_members(folder)
    _restore_database(folder, manifest, database or settings.DATABASES["default"])
    _restore_media(folder, Path(media_root or settings.MEDIA_ROOT))
    return manifest
