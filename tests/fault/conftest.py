"""What the fault tolerance tests share: real PostgreSQL, processes that are always reaped, the backends of a
process found by their application name."""

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection


@pytest.fixture
def postgresql(transactional_db):
    """These tests hand the test database to other processes, so it must be a server's and committed."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a PostgreSQL DATABASE_URL")


def database_url(*, port=None) -> str:
    """The test database as a DATABASE_URL for another process; `port` reaches it through something else."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{port or db['PORT'] or 5432}/{quote(db['NAME'])}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, what, timeout=30, processes=(), interval=0.05):
    """Poll `condition` until it returns something true, and return that; fail naming `what` on timeout or if
    one of the `processes` (Popen, log path) exits meanwhile."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        for popen, log in processes:
            if popen.poll() is not None:
                pytest.fail(f"Exited ({popen.returncode}) while waiting for {what}:\n{tail(log)}")
        if time.monotonic() > deadline:
            pytest.fail(f"Gave up after {timeout} s waiting for {what}")
        time.sleep(interval)


def tail(path, size=4000) -> str:
    path = Path(path)
    return path.read_text(errors="replace")[-size:] if path.exists() else ""


def stop(popen: subprocess.Popen, timeout=15):
    """Terminate and reap a process; SIGKILL if it does not exit in time."""
    if popen.poll() is None:
        popen.terminate()
        try:
            popen.wait(timeout)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(timeout)


def children(pid) -> list[int]:
    """The direct children of a process (Linux)."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def kill(pid):
    """SIGKILL, as the kernel's OOM killer or a power cut would: no chance to clean up."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def backends(application_name) -> list[dict]:
    """The PostgreSQL backends of the processes started with PGAPPNAME=application_name."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, wait_event_type, query FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        columns = [column.name for column in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def blocked_on(application_name, statement) -> dict | None:
    """The backend of that process waiting for a lock while running `statement` (the audit trail may prepend
    its own SQL to the query)."""
    for backend in backends(application_name):
        if backend["wait_event_type"] == "Lock" and statement in backend["query"]:
            return backend
    return None


@pytest.fixture
def processes():
    """`processes.append(popen)`: every process a test starts is stopped and reaped after it, even on failure."""
    started = []
    yield started
    for popen in started:
        stop(popen)
