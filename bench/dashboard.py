"""Does the leaders' dashboard keep up at city scale? Its query count for 5 and 100 units, and its throughput
under gunicorn beside a trivial view's.

    .venv/bin/python bench/dashboard.py [--requests 800] [--rounds 3]

Uses DATABASE_URL like the application (default: SQLite in a temporary directory) and always works in a throwaway
database: a file in the temporary directory for SQLite, `bench_dashboard_<pid>` created on the same PostgreSQL
server (and dropped at the end). The cache is the application's: Redis when REDIS_URL (or CELERY_BROKER_URL) is
set, as in production; only the dashboard's own keys are removed from it first.

1. Builds this year's campaign for 5 units in bulk — 500 problems and a closed hearing of 1,000 ballots each
   (frozen by the real `hearing_close`), unit teams and the district team with their inspections, deliverables
   on time, late and missing, survey results — and last year's for comparison, then counts the dashboard's
   queries with the cache off (every figure computed; Django test client, in process).
2. Adds 95 units the same way (100 units, 50,000 problems, 100,000 ballots this year) and counts again.
3. Starts gunicorn on 127.0.0.1 with production settings (DEBUG off, collected static files) and the project's
   URLs plus `bench/trivial/` (a tiny HttpResponse) and `bench/layout/` (the cheapest page a logged-in leader can
   get: the site's layout and nothing else). Each round, 16 clients at once GET the dashboard as a logged-in
   leader N times, then the trivial view N times and the layout N times with the same cookie, each request on a
   fresh connection; the rounds follow one another so that both sides of a ratio meet the same load on a shared
   machine. Every dashboard response is checked: status, page, and figures at most DASHBOARD_CACHE_SECONDS old
   when they arrive (one second allowed for the trip).

The last line is `queries_small=<n> queries_large=<n> ratio=<dashboard req/s / trivial req/s>`, the ratio being the
median of the rounds'. Goal: equal query counts and a ratio of at least 0.2, with figures never more than 60
seconds stale. The dashboard ÷ layout line shows how close it comes to the cost of any logged-in page (session,
user and groups read from the database, the layout rendered): the dashboard cannot do better than that.
"""

import argparse
import concurrent.futures
import datetime
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ballots import free_port, report, request  # noqa: E402

CLIENTS = 16  # at most this many clients at once
SMALL, LARGE = 5, 100
PROBLEMS_PER_UNIT = 500  # 50,000 for 100 units
BALLOTS_PER_HEARING = 1000  # 100,000 for 100 units
DISTRICT_SUPERVISORS = 16
TEAM_SIZE = 4
COMPUTED_AT = re.compile(rb'data-computed-at="([^"]+)"')


def __getattr__(name):
    """The URLconf of the server this script starts: the project's URLs, the trivial view and the cheapest page
    a leader can get (logged in, the site's layout, nothing else). Built on first use: the script imports Django
    only once the database exists."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.shortcuts import render
    from django.urls import path

    from appraisal.urls import urlpatterns

    def trivial(request):
        return HttpResponse(b"ok", content_type="text/plain")

    @login_required
    def layout(request):
        return render(request, "base.html")

    return [path("bench/trivial/", trivial), path("bench/layout/", layout), *urlpatterns]


def throwaway_database(workdir):
    """(DATABASE_URL of a new empty database, a function dropping it or None)."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if not url or parts.scheme.startswith("sqlite"):
        return f"sqlite:///{workdir}/bench.sqlite3", None
    if not parts.scheme.startswith("postgres"):
        sys.exit(f"bench/dashboard.py knows SQLite and PostgreSQL, not {parts.scheme}")
    import psycopg

    name = f"bench_dashboard_{os.getpid()}"
    server = urlunsplit(parts._replace(scheme="postgresql"))
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def bench_settings():
    """This module as the URLconf; static files collected into the run's temporary directory."""
    from django.test.utils import override_settings

    override_settings(ROOT_URLCONF="bench.dashboard", STATIC_ROOT=os.environ["BENCH_STATIC_ROOT"]).enable()


def served_application():
    """What gunicorn serves (`bench.dashboard:served_application()`)."""
    import django
    from django.core.handlers.wsgi import WSGIHandler

    django.setup(set_prefix=False)
    bench_settings()
    return WSGIHandler()


def setup_django(database_url, workdir):
    """Production settings (DEBUG off, collected static files), but plain HTTP on loopback."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "appraisal.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"  # nginx terminates TLS in production
    os.environ["BENCH_STATIC_ROOT"] = f"{workdir}/static"
    import django
    from django.core.management import call_command

    django.setup()
    bench_settings()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def campaign_years():
    from django.utils import timezone

    from appraisal.models import Focus
    from appraisal.services import appraisal_year_create

    today = timezone.localdate()
    last = appraisal_year_create(year=today.year - 1, focus=Focus.DEPARTMENTS)
    return appraisal_year_create(year=today.year, focus=Focus.INDUSTRIES), last


def add_units(first, count, *, year, last_year):
    """`count` units (half industries, half departments) with a year's work each, built in bulk."""
    from appraisal.models import Focus
    from units.models import Participation, Unit

    kinds = [Focus.INDUSTRIES, Focus.DEPARTMENTS]
    units = Unit.objects.bulk_create(
        Unit(name=f"基准测试单位{n:03d}", kind=kinds[n % 2], sector="测试") for n in range(first, first + count)
    )
    Participation.objects.bulk_create(
        [Participation(year=year, unit=unit, is_focus=unit.kind == year.focus) for unit in units]
        + [Participation(year=last_year, unit=unit, is_focus=unit.kind == last_year.focus) for unit in units]
    )
    add_problems(units, year, PROBLEMS_PER_UNIT)
    add_problems(units, last_year, PROBLEMS_PER_UNIT // 2)
    add_teams_and_inspections(units, year)
    add_deliverables(units, year)
    add_surveys(units[::2], year)
    for unit in units:
        close_hearing(unit, year, BALLOTS_PER_HEARING)
    copy_hearings(units, last_year, year)
    return units


def add_problems(units, year, per_unit):
    from appraisal.models import EvaluationItem
    from selfcheck.models import Problem

    items = {}
    for item in EvaluationItem.objects.order_by("position"):
        items.setdefault(item.kind, []).append(item)
    sources, statuses = Problem.Source.values, Problem.Status.values
    start = datetime.date(year.year, 7, 11)

    def rows():
        for unit in units:
            for n in range(per_unit):
                due_on = start + datetime.timedelta(days=n % 150) if n % 3 else None
                yield Problem(
                    year=year,
                    unit=unit,
                    source=sources[n % len(sources)],
                    found_on=start + datetime.timedelta(days=n % 50),
                    item=items[unit.kind][n % len(items[unit.kind])],
                    description=f"第{n}号问题：窗口办事群众反映等候时间过长",
                    disposition="deadline" if due_on else "immediate",
                    due_on=due_on,
                    status=statuses[(n // 3) % len(statuses)],
                )

    Problem.objects.bulk_create(rows(), batch_size=5000)


def add_teams_and_inspections(units, year):
    """A team of four per unit with one to five inspections, and (once) the district team with its own."""
    from inspections.models import Inspection
    from supervisors.models import Appointment, Supervisor

    starts, ends = datetime.date(year.year, 5, 1), datetime.date(year.year + 1, 4, 30)
    district = not Appointment.objects.filter(year=year, unit=None).exists()
    teams = [(unit, n) for unit in units for n in range(TEAM_SIZE)]
    if district:
        teams += [(None, n) for n in range(DISTRICT_SUPERVISORS)]
    supervisors = Supervisor.objects.bulk_create(
        Supervisor(
            name=f"监督员{unit.pk if unit else 0}-{n}",
            sector="enterprise",
            phone=f"13{unit.pk if unit else 0:05d}{n:04d}",
        )
        for unit, n in teams
    )
    Appointment.objects.bulk_create(
        Appointment(supervisor=supervisor, year=year, unit=unit, starts_on=starts, ends_on=ends)
        for supervisor, (unit, _n) in zip(supervisors, teams, strict=True)
    )
    at = datetime.datetime(year.year, 8, 1, 2, tzinfo=datetime.UTC)
    Inspection.objects.bulk_create(
        Inspection(
            supervisor=supervisor,
            year=year,
            unit=unit or units[n % len(units)],
            occurred_at=at + datetime.timedelta(days=k * 20),
            mode="covert",
            status="accepted" if k % 3 else "submitted",
        )
        for supervisor, (unit, n) in zip(supervisors, teams, strict=True)
        for k in range(1 + (supervisor.pk % 5 if unit else 6))
    )


def add_deliverables(units, year):
    """What focus units owe: some on time, some late, some missing."""
    from units.models import Deliverable
    from units.services.deliverables import FOCUS_KINDS, due_dates

    dates = due_dates(year)
    rows = []
    for index, unit in enumerate(units):
        if unit.kind != year.focus:
            continue
        for n, kind in enumerate(FOCUS_KINDS):
            if (index + n) % 4 == 3 or dates[kind] is None:
                continue  # missing
            day = dates[kind] + datetime.timedelta(days=2 if (index + n) % 4 == 2 else -1)
            submitted = datetime.datetime(day.year, day.month, day.day, 2, tzinfo=datetime.UTC)
            rows.append(Deliverable(year=year, unit=unit, kind=kind, status="accepted", submitted_at=submitted))
    Deliverable.objects.bulk_create(rows)


def add_surveys(units, year):
    from hearings.models import SurveyResult

    SurveyResult.objects.bulk_create(
        SurveyResult(
            year=year,
            unit=unit,
            respondents=200,
            satisfied=120 + n % 40,
            fairly=60 - n % 40,
            dissatisfied=15,
            unknown=5,
        )
        for n, unit in enumerate(units)
    )


def close_hearing(unit, year, ballots):
    """A hearing of `ballots` paper ballots, closed through the real service (its results are frozen there)."""
    from hearings import services
    from hearings.models import Ballot, Hearing
    from hearings.selectors import items_of

    hearing = Hearing.objects.create(
        unit=unit,
        year=year,
        held_on=datetime.date(year.year, 10, 20),
        venue="区行政服务中心三楼会议室",
        status=Hearing.Status.VOTING,
        voters=ballots,
        paper_ballots=ballots,
    )
    positions = [str(item.position) for item in items_of(hearing)]
    answers = ["satisfied"] * 7 + ["fairly", "dissatisfied", "unknown"]
    Ballot.objects.bulk_create(
        (
            Ballot(
                hearing=hearing,
                origin=Ballot.Origin.PAPER,
                answers={p: answers[(n + i + unit.pk) % len(answers)] for i, p in enumerate(positions)},
            )
            for n in range(ballots)
        ),
        batch_size=2000,
    )
    services.hearing_close(hearing=hearing, by=None)


def copy_hearings(units, last_year, year):
    """Last year's hearings: closed, with this year's frozen results (their ballots are not needed)."""
    from hearings.models import Hearing

    results = dict(Hearing.objects.filter(year=year, unit__in=units).values_list("unit_id", "results"))
    Hearing.objects.bulk_create(
        Hearing(
            unit=unit,
            year=last_year,
            held_on=datetime.date(last_year.year, 10, 20),
            venue="区行政服务中心三楼会议室",
            status=Hearing.Status.CLOSED,
            results=results[unit.pk],
        )
        for unit in units
    )


def leader_client():
    from django.contrib.auth.models import Group, User
    from django.test import Client

    leader = User.objects.create_user("bench-leader", password=secrets.token_urlsafe(16))
    leader.groups.add(Group.objects.get(name="leaders"))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(leader)
    return client


def count_queries(client, label):
    """The dashboard's queries with the cache off (every figure computed), and how long the page took."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    with override_settings(DASHBOARD_CACHE_SECONDS=0), CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/reports/dashboard/")
        seconds = time.perf_counter() - started
    assert response.status_code == 200 and b'id="ranking"' in response.content, response.status_code
    units = re.search(rb'data-figure="units">(\d+)<', response.content).group(1).decode()
    print(f"{label}: {units} units; {len(queries)} queries; page with every figure computed in {seconds:.2f} s")
    return len(queries)


def start_gunicorn(port, *, workers, threads, log):
    command = [
        *(sys.executable, "-m", "gunicorn", "--chdir", str(ROOT), "--bind", f"127.0.0.1:{port}"),
        *("--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread"),
        *("--timeout", "60", "--graceful-timeout", "5", "bench.dashboard:served_application()"),
    ]
    return subprocess.Popen(command, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)


def wait_until_up(port, server, log_path):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited with {server.returncode}:\n{Path(log_path).read_text()[-3000:]}")
        try:
            if request(port, "GET", "/bench/trivial/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"gunicorn did not answer on 127.0.0.1:{port} within 60 s")


def dashboard_client(cookie, max_age, ages):
    """One leader's GET of the dashboard: (ok, seconds, why); the age of the figures served goes to `ages`."""

    def get(port, _n):
        started = time.perf_counter()
        try:
            status, _cookies, body = request(port, "GET", "/reports/dashboard/", headers={"Cookie": cookie})
        except OSError as error:
            return False, time.perf_counter() - started, type(error).__name__
        seconds = time.perf_counter() - started
        found = COMPUTED_AT.search(body)
        if status != 200 or b'id="ranking"' not in body or not found:
            return False, seconds, f"GET {status}"
        age = time.time() - datetime.datetime.fromisoformat(found.group(1).decode()).timestamp()
        ages.append(age)
        return (age <= max_age + 1), seconds, "" if age <= max_age + 1 else "stale figures"

    return get


def plain(path, cookie):
    """A GET of `path` with the leader's cookie: (ok, seconds, why)."""

    def get(port, _n):
        started = time.perf_counter()
        try:
            status = request(port, "GET", path, headers={"Cookie": cookie})[0]
        except OSError as error:
            return False, time.perf_counter() - started, type(error).__name__
        return status == 200, time.perf_counter() - started, "" if status == 200 else f"GET {status}"

    return get


def burst(client, port, count, clients):
    """Run `client` `count` times, `clients` at once: (seconds, [(ok, seconds, why)])."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        started = time.perf_counter()
        results = list(pool.map(lambda n: client(port, n), range(count)))
        return time.perf_counter() - started, results


def throughput(requests, rounds, cookie, vendor, workdir):
    """The median over `rounds` of (dashboard requests/s ÷ trivial requests/s), the two bursts of a round run
    one after the other so that both meet the same load on a shared machine; and the errors."""
    from django.conf import settings
    from django.db import connections

    connections.close_all()  # the server gets the database to itself
    cpus = os.cpu_count() or 1
    workers, threads = (1, 8) if vendor == "sqlite" else (2 * cpus + 1, 2)
    clients = min(CLIENTS, requests)
    port, log_path, server = free_port(), f"{workdir}/gunicorn.log", None
    try:
        with open(log_path, "w") as log:
            server = start_gunicorn(port, workers=workers, threads=threads, log=log)
        wait_until_up(port, server, log_path)
        for _ in range(2 * workers):  # every worker has loaded its templates and opened its connection
            request(port, "GET", "/reports/dashboard/", headers={"Cookie": cookie})
        cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(
            f"gunicorn {workers} worker(s) × {threads} threads on 127.0.0.1:{port}; cache {cache}, figures kept "
            f"{settings.DASHBOARD_CACHE_SECONDS} s; {rounds} rounds of {requests} requests each, {clients} clients "
            f"at once; {datetime.datetime.now():%Y-%m-%d %H:%M}"
        )
        ratios, floors, errors, ages = [], [], 0, []
        for number in range(1, rounds + 1):
            get = dashboard_client(cookie, settings.DASHBOARD_CACHE_SECONDS, ages)
            seconds, results = burst(get, port, requests, clients)
            dashboard_rate, failed = report(f"round {number}: dashboard (GET, leader)", "requests", seconds, results)
            errors += failed
            seconds, results = burst(plain("/bench/trivial/", cookie), port, requests, clients)
            trivial_rate, failed = report(
                f"round {number}: trivial view (bench/trivial/)", "requests", seconds, results
            )
            errors += failed
            ratios.append(dashboard_rate / trivial_rate)
            seconds, results = burst(plain("/bench/layout/", cookie), port, requests, clients)
            layout_rate, failed = report(
                f"round {number}: logged-in layout only (bench/layout/)", "requests", seconds, results
            )
            errors += failed
            floors.append(dashboard_rate / layout_rate)
        print(f"oldest figures served: {max(ages, default=0):.1f} s")
        print(f"dashboard ÷ trivial per round: {', '.join(f'{r:.2f}' for r in ratios)}")
        print(f"dashboard ÷ logged-in layout per round: {', '.join(f'{r:.2f}' for r in floors)}")
        return statistics.median(ratios), errors
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=800, help="requests per burst")
    parser.add_argument("--rounds", type=int, default=3, help="dashboard and trivial bursts, one after the other")
    arguments = parser.parse_args()
    requests, rounds = arguments.requests, arguments.rounds
    if requests < 1 or rounds < 1:
        parser.error("--requests and --rounds must be at least 1")
    with tempfile.TemporaryDirectory() as workdir:
        database_url, drop = throwaway_database(workdir)
        try:
            setup_django(database_url, workdir)
            from django.conf import settings
            from django.core.cache import cache
            from django.db import connection

            from reports.views import figures_cache_key

            vendor = connection.vendor
            print(f"database: {vendor} ({urlsplit(database_url).path.lstrip('/')})")
            year, last_year = campaign_years()
            years = [year.year, last_year.year]
            stale = [figures_cache_key(n, years, with_calendar=flag) for n in years for flag in (True, False)]
            cache.delete_many(["reports:dashboard:years", *stale])  # what an earlier run left in the cache
            started = time.perf_counter()
            add_units(1, SMALL, year=year, last_year=last_year)
            print(f"built {SMALL} units in {time.perf_counter() - started:.1f} s")
            client = leader_client()
            queries_small = count_queries(client, "small")
            started = time.perf_counter()
            add_units(SMALL + 1, LARGE - SMALL, year=year, last_year=last_year)
            print(f"built {LARGE - SMALL} more units in {time.perf_counter() - started:.1f} s; " + totals(year))
            queries_large = count_queries(client, "large")
            cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
            ratio, errors = throughput(requests, rounds, cookie, vendor, workdir)
            if errors:
                print(f"errors: {errors}")
        finally:
            if "django.db" in sys.modules:
                sys.modules["django.db"].connections.close_all()
            if drop is not None:
                drop()
    print(f"queries_small={queries_small} queries_large={queries_large} ratio={ratio:.2f}")


def totals(year):
    from hearings.models import Ballot
    from selfcheck.models import Problem
    from units.models import Participation

    units = Participation.objects.filter(year=year).count()
    problems = Problem.objects.filter(year=year).count()
    ballots = Ballot.objects.filter(hearing__year=year).count()
    return f"this year: {units} units, {problems} problems, {ballots} ballots"


if __name__ == "__main__":
    main()
