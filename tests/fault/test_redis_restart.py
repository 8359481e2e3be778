"""Redis crashes and restarts with jobs queued and no worker running.

With the project's persistence settings (deploy/redis/appraisal.conf: appendonly yes, appendfsync everysec) every
queued job is still there after the restart, and a worker then runs them all. Without them the same crash empties
the queue: the settings are what keeps the jobs. The Redis is a private redis-server of the test, started from
that file on a free port in a temporary folder.
"""

import shutil
import signal
import subprocess

import pytest
import redis
from django.conf import settings

from appraisal.celery import app
from appraisal.services import appraisal_year_create
from reports.models import Report
from reports.tasks import build_report
from units.models import Contact, Participation, Reminder
from units.tasks import send_reminders_task

from ..factories import ContactFactory
from .conftest import free_port, stop, tail, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_CONF = settings.BASE_DIR / "deploy" / "redis" / "appraisal.conf"
SUMMARIES = ["selfcheck", "deliverables", "statistics"]
QUEUE = "celery"  # Celery's default queue: a Redis list of that name


class PrivateRedis:
    """A redis-server from the project's configuration file; `options` override its directives."""

    def __init__(self, directory, options):
        self.directory, self.options, self.port = directory, options, free_port()
        self.log = directory / "redis.log"
        self.popen = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = [
            shutil.which("redis-server"),
            str(REDIS_CONF),
            "--port",
            str(self.port),
            "--dir",
            str(self.directory),
        ]
        command += ["--daemonize", "no", "--logfile", str(self.log), *self.options]
        self.popen = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_for(self.answers, what=f"redis-server on port {self.port}", processes=[(self.popen, self.log)])

    def answers(self):
        try:
            return self.client().ping()
        except redis.ConnectionError:
            return False

    def client(self):
        return redis.Redis(port=self.port, socket_timeout=5)

    def crash(self):
        """SIGKILL: no shutdown, no final save; only what is already on disk survives."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(10)

    def append_only_file(self) -> bytes:
        folder = self.directory / "appendonlydir"
        return b"".join(path.read_bytes() for path in sorted(folder.glob("*.aof"))) if folder.exists() else b""


@pytest.fixture
def private_redis(postgresql, tmp_path):
    """`private_redis(*options)`: a started Redis; stopped after the test whatever happens."""
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    if app.conf.task_always_eager:
        pytest.skip("needs CELERY_BROKER_URL: without a broker the tasks run in-process")
    servers = []

    def start(*options):
        directory = tmp_path / f"redis-{len(servers)}"
        directory.mkdir()
        server = PrivateRedis(directory, options)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        if server.popen:
            stop(server.popen)


@pytest.fixture
def jobs(unit_a, liaison_a):
    """Three summaries to build and the reminder job of July 11, when unit A is overdue with its materials."""
    year = appraisal_year_create(year=2026, focus="industries")
    Participation.objects.create(year=year, unit=unit_a, is_focus=True)
    liaison_a.email = "liaison.a@qinhuai.gov.cn"
    liaison_a.save()
    ContactFactory(unit=unit_a, role=Contact.Role.GROUP_HEAD, email="group.head@qinhuai.gov.cn")
    return [Report.objects.create(kind=kind, year=year) for kind in SUMMARIES]


def enqueue(broker, reports):
    """Queue the jobs on that Redis, as the application would (there is no worker yet)."""
    with app.connection_for_write(broker.url) as connection:
        for report in reports:
            build_report.apply_async((report.pk,), connection=connection)
        send_reminders_task.apply_async(kwargs={"date_iso": "2026-07-11"}, connection=connection)
    assert broker.client().llen(QUEUE) == len(reports) + 1


def test_jobs_queued_before_a_redis_crash_all_run_after_the_restart(private_redis, start_celery_worker, jobs, unit_a):
    broker = private_redis()
    enqueue(broker, jobs)
    # appendfsync everysec: every write reaches the file at once and the disk within a second.
    wait_for(
        lambda: broker.append_only_file().count(b"reports.tasks.build_report") == len(jobs),
        what="the queued jobs in the append-only file",
    )

    broker.crash()
    broker.start()
    assert broker.client().llen(QUEUE) == len(jobs) + 1, tail(broker.log)

    worker = start_celery_worker(broker=broker.url, env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)})
    wait_for(
        lambda: (
            set(Report.objects.values_list("status", flat=True)) == {"done"}
            and Reminder.objects.filter(status="sent").exists()
        ),
        what="every job to have run",
        processes=[(worker.popen, worker.log_path)],
    )
    assert sorted(Report.objects.values_list("kind", "attempts")) == sorted((kind, 1) for kind in SUMMARIES)
    assert all(report.file for report in Report.objects.all())
    [reminder] = Reminder.objects.all()
    assert (reminder.unit, reminder.kind) == (unit_a, "overdue")
    assert any(worker.mail_dir.iterdir())


def test_without_the_persistence_settings_the_same_crash_loses_the_queue(private_redis, jobs):
    broker = private_redis("--appendonly", "no", "--save", "")
    enqueue(broker, jobs)

    broker.crash()
    broker.start()
    assert broker.client().llen(QUEUE) == 0
    assert not (broker.directory / "appendonlydir").exists()
