"""A backup is only as good as its restore: back up, restore into a fresh database and folder, compare."""

import os

import psycopg
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from appraisal.backup import DAMAGED, backup_check, backup_restore
from units.models import Unit

from ..factories import UnitFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fresh_database():
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and pg_restore need PostgreSQL")
    db = settings.DATABASES["default"]
    name = f"restore_{os.getpid()}"
    admin = psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres")
    admin.autocommit = True
    admin.execute(f'CREATE DATABASE "{name}"')
    yield {**db, "NAME": name}
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_a_backup_restores_the_database_and_the_files(fresh_database, settings, tmp_path):
    UnitFactory(name="区民政局")
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "photo.jpg").write_bytes(b"\xff\xd8 photo")
    call_command("backup", str(tmp_path / "backups"))
    (folder,) = (tmp_path / "backups").iterdir()
    assert backup_check(folder)["database"] == "postgresql"

    backup_restore(folder, database=fresh_database, media_root=tmp_path / "restored-media")
    db = fresh_database
    with psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"]) as restored:
        names = [row[0] for row in restored.execute("SELECT name FROM units_unit")]
        migrations = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
    assert names == ["区民政局"] and names == list(Unit.objects.values_list("name", flat=True))
    assert migrations > 20
    assert (tmp_path / "restored-media" / "evidence" / "photo.jpg").read_bytes() == b"\xff\xd8 photo"


def test_a_damaged_backup_is_refused_before_anything_is_touched(fresh_database, tmp_path):
    UnitFactory(name="区民政局")
    call_command("backup", str(tmp_path))
    (folder,) = tmp_path.iterdir()
    with (folder / "database.dump").open("r+b") as dump:
        dump.seek(100)
        dump.write(b"\x00\x00\x00")
    with pytest.raises(ValidationError) as refused:
        backup_restore(folder, database=fresh_database, media_root=tmp_path / "media")
    assert refused.value.messages == [str(DAMAGED % {"name": "database.dump"})]
    with pytest.raises(CommandError):
        call_command("restore", str(folder), "--yes")
    assert not (tmp_path / "media").exists() and Unit.objects.count() == 1
