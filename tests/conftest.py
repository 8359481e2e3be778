"""One user per role, as every test of access needs them; a real Celery worker for the job tests."""

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.test import Client

from appraisal.roles import LEADERS_GROUP, OFFICE_GROUP

from .factories import MembershipFactory, UnitFactory, UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Tests create many accounts; a slow password hash is not what they are about."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def login_with_a_request(monkeypatch):
    """The login lockout (django-axes) needs the request of every login; the test client's `login()` passes none,
    so it gets an empty one here (`force_login()` needs nothing)."""
    login = Client.login

    def login_with_request(self, **credentials):
        credentials.setdefault("request", HttpRequest())
        return login(self, **credentials)

    monkeypatch.setattr(Client, "login", login_with_request)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def own_cache(settings, tmp_path):
    """Each test starts with an empty cache of its own, so no cached page or figure leaks between tests."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": str(tmp_path)}
    }


@pytest.fixture
def unit_a(db):
    return UnitFactory(name="区民政局", sector="民政")


@pytest.fixture
def unit_b(db):
    return UnitFactory(name="区司法局", sector="司法")


@pytest.fixture
def office_user(db):
    user = UserFactory(username="office", is_staff=True)
    user.groups.add(Group.objects.get(name=OFFICE_GROUP))
    return user


@pytest.fixture
def leader_user(db):
    user = UserFactory(username="leader")
    user.groups.add(Group.objects.get(name=LEADERS_GROUP))
    return user


@pytest.fixture
def liaison_a(unit_a):
    return MembershipFactory(user=UserFactory(username="liaison_a"), unit=unit_a).user


@pytest.fixture
def liaison_b(unit_b):
    return MembershipFactory(user=UserFactory(username="liaison_b"), unit=unit_b).user


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def client_for(client):
    """`client_for(user)`: a test client logged in as that user."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def supervisor_user(db):
    """A user with a supervisor record on the district team of the current year (created when missing)."""
    from appraisal.models import AppraisalYear
    from appraisal.services import appraisal_year_create

    from .factories import AppointmentFactory, SupervisorFactory

    year = AppraisalYear.objects.current() or appraisal_year_create(year=2026)
    user = UserFactory(username="supervisor")
    supervisor = SupervisorFactory(name="张国华", user=user)
    AppointmentFactory(supervisor=supervisor, year=year)
    return user


@dataclass
class CeleryWorker:
    """A `celery worker` subprocess: `popen` to signal or kill it, `log_path` for what it printed."""

    popen: subprocess.Popen
    log_path: Path
    hostname: str
    mail_dir: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout=30):
        """Warm shutdown (SIGTERM), then SIGKILL if it does not exit in time; always reaped."""
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout)


def _test_database_url(connection):
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or ''}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


@pytest.fixture
def start_celery_worker(transactional_db, tmp_path):
    """`start_celery_worker(pool="prefork", env={...}, args=[...])`: start a real worker on the real broker (or
    on `broker=URL`), wait until it is ready (it answers a ping), and return a `CeleryWorker`; every worker started
    is stopped after the test.

    It uses the test database (PostgreSQL, committed data: hence transactional_db) and the same broker as the
    tests, and writes email to files in `mail_dir`. Skipped without a broker or on SQLite, whose in-memory test
    database another process cannot open. Tasks go to the default queue, which is purged first so that messages
    left behind by earlier runs do not run against this database.
    """
    from django.conf import settings
    from django.db import connection

    from appraisal.celery import app

    if not settings.CELERY_BROKER_URL or connection.vendor != "postgresql":
        pytest.skip("needs CELERY_BROKER_URL and a PostgreSQL DATABASE_URL")
    app.control.purge()
    workers = []

    def start(*, pool="prefork", env=None, args=(), timeout=60, broker=None):
        broker = broker or settings.CELERY_BROKER_URL  # another broker: a private Redis of the test
        name = f"test-{uuid.uuid4().hex[:8]}"
        mail_dir = tmp_path / name / "mail"
        mail_dir.mkdir(parents=True)
        log_path = tmp_path / name / "worker.log"
        environment = os.environ | {
            "DATABASE_URL": _test_database_url(connection),
            "CELERY_BROKER_URL": broker,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, "-m", "celery", "-A", "appraisal", "worker", f"--pool={pool}", "--concurrency=1"]
        command += ["--loglevel=INFO", f"--hostname={name}@%h", "--without-gossip", "--without-mingle", *args]
        with open(log_path, "wb") as log:
            popen = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=environment | (env or {}), stdout=log, stderr=subprocess.STDOUT
            )
        worker = CeleryWorker(popen, log_path, name, mail_dir)
        workers.append(worker)

        def answers():
            if broker == settings.CELERY_BROKER_URL:
                return any(name in reply for answer in app.control.ping(timeout=0.5) for reply in answer)
            # A ping goes out on the app's own broker only; on another one, the worker's log says it is ready.
            time.sleep(0.2)
            return f"{name}@" in worker.log() and " ready." in worker.log()

        deadline = time.monotonic() + timeout
        while not answers():
            if popen.poll() is not None or time.monotonic() > deadline:
                worker.stop()
                pytest.fail(f"The Celery worker did not start (exit code {popen.returncode}):\n{worker.log()[-4000:]}")
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def celery_worker_process(start_celery_worker):
    """One real Celery worker (prefork, one process) for the test; see `start_celery_worker`."""
    return start_celery_worker()
