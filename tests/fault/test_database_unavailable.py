"""PostgreSQL unreachable for a moment: pages answer a friendly 503 page, and the next request after it is back
works, without restarting anything.

The end-to-end test runs the application under gunicorn against the test database through a TCP proxy of the
test, then cuts the proxy (every connection closed, new ones refused) and restores it.
"""

import http.client
import os
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager, suppress

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.utils import translation

from appraisal.middleware import RETRY_AFTER, UNAVAILABLE_TITLE, DatabaseUnavailableMiddleware, server_error
from appraisal.services import appraisal_year_create
from units.models import DisclosurePublication

from .conftest import backends, database_url, free_port, tail, wait_for

PUBLIC_PAGE = "/units/public/"


class Proxy:
    """A TCP forwarder to PostgreSQL that can be cut, as a network failure or a database restart looks to the
    application: every connection through it closed and new ones refused, until it is restored."""

    def __init__(self, upstream):
        self.upstream, self.port = upstream, free_port()
        self.listener, self.sockets, self.lock = None, set(), threading.Lock()

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self):
        _close(self.listener)  # shutdown() wakes the accept() and stops listening: connections are refused
        with self.lock:
            sockets, self.sockets = self.sockets, set()
        for sock in sockets:
            _close(sock)

    def _accept(self, listener):
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                _close(client)
                continue
            with self.lock:
                self.sockets |= {client, server}
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(target)


def _close(sock):
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@pytest.fixture
def proxy(postgresql):
    db = connection.settings_dict
    proxy = Proxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.start()
    yield proxy
    proxy.cut()


@pytest.fixture
def gunicorn(proxy, processes, tmp_path):
    """The application under gunicorn (one worker, so one persistent database connection) through the proxy."""
    port, log = free_port(), tmp_path / "gunicorn.log"
    command = [sys.executable, "-m", "gunicorn", "appraisal.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--timeout", "30", "--graceful-timeout", "5"]
    env = os.environ | {
        "DATABASE_URL": database_url(port=proxy.port),
        "PGAPPNAME": "fault-gunicorn",
        "DJANGO_DEBUG": "1",
    }
    with open(log, "wb") as output:
        popen = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    processes.append(popen)
    server = {"port": port, "popen": popen, "log": log}
    wait_for(lambda: answers(server), what="gunicorn", processes=[(popen, log)])
    return server


def answers(server):
    try:
        return get(server)
    except OSError:
        return None


def get(server, path=PUBLIC_PAGE):
    """(status, headers, text) of a GET on a fresh connection."""
    client = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=30)
    try:
        client.request("GET", path)
        response = client.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        client.close()


@pytest.fixture
def published(postgresql, unit_a):
    """A page that reads the database: the public list of units whose disclosures are published."""
    year = appraisal_year_create(year=2026)
    DisclosurePublication.objects.create(year=year, unit=unit_a, items=[])
    return unit_a


def unavailable_title():
    with translation.override(settings.LANGUAGE_CODE):
        return str(UNAVAILABLE_TITLE)


def test_a_database_outage_answers_503_and_the_next_request_after_it_works(published, proxy, gunicorn):
    status, _headers, text = get(gunicorn)
    assert status == 200 and published.name in text
    [before] = backends("fault-gunicorn")  # the worker's persistent connection, kept between requests

    proxy.cut()
    for _ in range(2):  # the broken connection, then a connection refused
        status, headers, text = get(gunicorn)
        assert status == 503, tail(gunicorn["log"])
        assert headers["Retry-After"] == str(RETRY_AFTER)
        assert unavailable_title() in text and published.name not in text
    wait_for(lambda: backends("fault-gunicorn") == [], what="PostgreSQL to see the connection gone")

    proxy.start()
    status, _headers, text = get(gunicorn)
    assert status == 200 and published.name in text
    [after] = backends("fault-gunicorn")
    assert after["pid"] != before["pid"]  # the broken connection was dropped, not reused
    assert gunicorn["popen"].poll() is None
    assert "Database unavailable on GET /units/public/" in tail(gunicorn["log"], 100_000)


@contextmanager
def database_unreachable():
    """This process's connection points at a port where nothing listens, as while PostgreSQL restarts."""
    connection.close()
    port = connection.settings_dict["PORT"]
    connection.settings_dict["PORT"] = free_port()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port


def test_a_view_and_a_middleware_that_cannot_reach_the_database_both_answer_503(published, office_user, caplog):
    browser = Client(raise_request_exception=False)
    browser.force_login(office_user)

    with database_unreachable():
        page = browser.get(PUBLIC_PAGE)  # the view's query fails: the middleware's process_exception
        posted = browser.post("/logout/")  # the audit trail's middleware reads the user first: handler500

    for response in (page, posted):
        assert response.status_code == 503
        assert response["Retry-After"] == str(RETRY_AFTER) and response["Cache-Control"] == "no-store"
        assert unavailable_title() in response.content.decode()
    assert "Database unavailable on GET /units/public/" in caplog.text
    assert "Database unavailable on POST /logout/" in caplog.text
    assert browser.get(PUBLIC_PAGE).status_code == 200


def test_the_503_page_needs_no_database(rf):
    """No database access is allowed in this test: a page that needed one would raise instead."""
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(rf.get(PUBLIC_PAGE), OperationalError("connection refused"))
    assert response.status_code == 503 and unavailable_title() in response.content.decode()
    assert "<script" not in response.content.decode()


def test_other_errors_are_left_to_django(rf):
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    assert middleware.process_exception(rf.get("/"), ValueError("a bug")) is None
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(rf.get("/")).status_code == 500
