"""Can the phone ballot take a hearing's burst? The real ballot flow against a bare Django insert, under gunicorn.

    .venv/bin/python bench/ballots.py [--voters 500]

Uses DATABASE_URL like the application (default: SQLite in a temporary directory) and always works in a throwaway
database: a file in the temporary directory for SQLite, `bench_ballots_<pid>` created on the same PostgreSQL
server (and dropped at the end). Builds a hearing in voting state with N checked-in voters and N tokens through
the hearings services, starts gunicorn on 127.0.0.1 with production settings (DEBUG off, collected static
files; settings bench/ballots_settings.py, URLconf bench/ballots_urls.py; the cache in Redis when REDIS_URL is
set, as in production) and has N clients (at most 50 at once) each GET the ballot page and POST an answer for
every item with the CSRF cookie and token; then N POSTs to the bare `bench/insert/` endpoint (one row, 204).
The last line is `ratio=<ballot flows per second / bare inserts per second> stored=<ballots> errors=<n>
duplicates=<n>`, errors counting both bursts. Goal: ratio ≥ 0.5; for 500 voters 500 stored, 0 errors and
0 duplicates.
"""

import argparse
import collections
import concurrent.futures
import datetime
import http.client
import http.cookies
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CLIENTS = 50  # at most this many clients at once
TIMEOUT = 30  # seconds, every request
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEM_INPUT = re.compile(r'name="(item_\d+)"')


def throwaway_database(workdir):
    """(DATABASE_URL of a new empty database, a function dropping it or None)."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if not url or parts.scheme.startswith("sqlite"):
        return f"sqlite:///{workdir}/bench.sqlite3", None
    if not parts.scheme.startswith("postgres"):
        sys.exit(f"bench/ballots.py knows SQLite and PostgreSQL, not {parts.scheme}")
    import psycopg

    name = f"bench_ballots_{os.getpid()}"
    server = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def setup_django(database_url, workdir):
    """Production settings (DEBUG off, collected static files), but plain HTTP on loopback."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.ballots_settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"  # nginx terminates TLS in production
    os.environ["BENCH_STATIC_ROOT"] = f"{workdir}/static"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def voting_hearing(voters):
    """A hearing with `voters` representatives checked in and voting open; returns it and the plain tokens."""
    from django.utils import timezone

    from appraisal.models import Focus
    from appraisal.services import appraisal_year_create
    from hearings import services
    from hearings.models import BallotToken, Hearing
    from units.models import ServiceObject, Unit

    today = timezone.localdate()
    year = appraisal_year_create(year=today.year, focus=Focus.DEPARTMENTS)
    year.hearing_quorum_representatives = min(year.hearing_quorum_representatives, voters)
    year.hearing_quorum_supervisors = 0
    year.save(update_fields=["hearing_quorum_representatives", "hearing_quorum_supervisors"])
    unit = Unit.objects.create(name="区基准测试局", kind=Focus.DEPARTMENTS, sector="测试")
    ServiceObject.objects.bulk_create(
        ServiceObject(year=year, unit=unit, name=f"服务对象{n}", phone=f"139{n:08d}") for n in range(1, voters + 1)
    )
    hearing = services.hearing_create(unit=unit, year=year, held_on=today, venue="区行政服务中心三楼会议室", by=None)
    services.representatives_draw(hearing=hearing, count=voters, seed=1)
    services.hearing_open_check_in(hearing=hearing, by=None)
    for attendee in hearing.attendees.all():
        services.attendee_check_in(attendee=attendee)
    tokens = services.hearing_open_voting(hearing=hearing, by=None)
    kept = set(BallotToken.objects.filter(hearing=hearing).values_list("secret", flat=True))
    assert kept == set(tokens) and len(tokens) == voters, "the plain tokens are not those kept on the token rows"
    assert Hearing.objects.get(pk=hearing.pk).status == Hearing.Status.VOTING
    return hearing, tokens


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port, *, workers, threads, log):
    command = [
        *(sys.executable, "-m", "gunicorn", "--chdir", str(ROOT), "--bind", f"127.0.0.1:{port}"),
        *("--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread"),
        *("--timeout", "60", "--graceful-timeout", "5", "appraisal.wsgi:application"),
    ]
    return subprocess.Popen(command, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)


def request(port, method, path, *, body=b"", headers=None):
    """(status, Set-Cookie values, body) of one request on a fresh loopback connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body if method == "POST" else None, headers=headers or {})
        response = connection.getresponse()
        cookies = [value for name, value in response.getheaders() if name.lower() == "set-cookie"]
        return response.status, cookies, response.read()
    finally:
        connection.close()


def wait_until_up(port, server, log_path):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{Path(log_path).read_text()[-3000:]}")
        try:
            if request(port, "GET", "/login/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer on 127.0.0.1:{port} within 60 s")


def voter(port, token):
    """One phone: GET the ballot, POST an answer per item with the CSRF cookie and token. (ok, seconds, why)."""
    started = time.perf_counter()
    try:
        path = f"/hearings/vote/{token}/"
        status, set_cookies, body = request(port, "GET", path)
        page = body.decode()
        if status != 200 or 'id="ballot"' not in page:
            return False, time.perf_counter() - started, f"GET {status}"
        jar = http.cookies.SimpleCookie()
        for value in set_cookies:
            jar.load(value)
        match = CSRF_INPUT.search(page)
        items = sorted(set(ITEM_INPUT.findall(page)))
        if "csrftoken" not in jar or not match or not items:
            return False, time.perf_counter() - started, "GET without CSRF cookie, token or items"
        form = [("csrfmiddlewaretoken", match.group(1)), *((item, "satisfied") for item in items), ("comment", "")]
        origin = f"http://127.0.0.1:{port}"
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{name}={morsel.value}" for name, morsel in jar.items()),
            "Origin": origin,
            "Referer": origin + path,
        }
        status, _cookies, body = request(port, "POST", path, body=urlencode(form).encode(), headers=headers)
        if status in (200, 302) and (status == 302 or 'id="thanks"' in body.decode()):
            return True, time.perf_counter() - started, ""
        why = "refused" if 'id="refused"' in body.decode() else "no thank-you page"
        return False, time.perf_counter() - started, f"POST {status} {why}"
    except (OSError, http.client.HTTPException, UnicodeDecodeError) as error:
        return False, time.perf_counter() - started, type(error).__name__


def bare_insert(port, _n):
    started = time.perf_counter()
    try:
        status = request(port, "POST", "/bench/insert/", headers={"Content-Length": "0"})[0]
        return status == 204, time.perf_counter() - started, "" if status == 204 else f"POST {status}"
    except (OSError, http.client.HTTPException) as error:
        return False, time.perf_counter() - started, type(error).__name__


def burst(client, port, arguments):
    """Run `client` once per argument, at most CLIENTS at once: (seconds, [(ok, seconds, why)])."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(CLIENTS, len(arguments))) as pool:
        started = time.perf_counter()
        results = list(pool.map(lambda argument: client(port, argument), arguments))
        return time.perf_counter() - started, results


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def report(label, unit, seconds, results):
    times = [result[1] for result in results]
    errors = collections.Counter(result[2] for result in results if not result[0])
    rate = len(results) / seconds
    print(
        f"{label}: {len(results)} in {seconds:.2f} s = {rate:.1f} {unit}/s; per client p50 "
        f"{percentile(times, 0.5) * 1000:.0f} ms, p99 {percentile(times, 0.99) * 1000:.0f} ms; "
        f"ok {len(results) - errors.total()}, errors {errors.total()}"
        + (f" ({', '.join(f'{why}: {n}' for why, n in errors.most_common(5))})" if errors else "")
    )
    return rate, errors.total()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=500)
    voters = parser.parse_args().voters
    if voters < 1:
        parser.error("--voters must be at least 1")
    with tempfile.TemporaryDirectory() as workdir:
        database_url, drop = throwaway_database(workdir)
        server = None
        try:
            setup_django(database_url, workdir)
            from django.conf import settings
            from django.db import connection, connections

            from hearings.models import Ballot, BallotToken

            hearing, tokens = voting_hearing(voters)
            vendor = connection.vendor
            connections.close_all()  # the server gets the database to itself

            cpus = os.cpu_count() or 1
            workers, threads = (1, 8) if vendor == "sqlite" else (2 * cpus + 1, 2)
            port = free_port()
            log_path = f"{workdir}/gunicorn.log"
            with open(log_path, "w") as log:
                server = start_gunicorn(port, workers=workers, threads=threads, log=log)
            wait_until_up(port, server, log_path)
            for _ in range(2 * workers):  # every worker has imported the views and opened its connection
                request(port, "GET", f"/hearings/vote/{tokens[0]}/")
            print(
                f"database: {vendor} ({urlsplit(database_url).path.lstrip('/')}); gunicorn {workers} worker(s) × "
                f"{threads} threads on 127.0.0.1:{port}; cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
                f"{voters} voters, {min(CLIENTS, voters)} clients at once; "
                f"{datetime.datetime.now():%Y-%m-%d %H:%M}"
            )

            seconds, results = burst(voter, port, tokens)
            ballot_rate, ballot_errors = report("ballot flow (GET ballot + POST answers)", "voters", seconds, results)
            seconds, results = burst(bare_insert, port, list(range(voters)))
            bare_rate, bare_errors = report("bare insert (POST bench/insert/)", "requests", seconds, results)

            stored = Ballot.objects.filter(hearing=hearing).count()
            used = BallotToken.objects.filter(hearing=hearing, used=True).count()
            hearing.refresh_from_db(fields=["web_ballots"])
            duplicates = max(0, stored - min(used, voters))
            print(f"ballots stored {stored}, tokens used {used}, hearing web_ballots {hearing.web_ballots}")
            connections.close_all()
        finally:
            if server is not None:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait(timeout=5)
            if drop is not None:
                if "django.db" in sys.modules:
                    sys.modules["django.db"].connections.close_all()
                drop()
    print(
        f"ratio={ballot_rate / bare_rate:.2f} stored={stored} errors={ballot_errors + bare_errors} "
        f"duplicates={duplicates}"
    )


if __name__ == "__main__":
    main()
