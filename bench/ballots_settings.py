"""Settings for the gunicorn that bench/ballots.py starts: the project's, with the bench URLconf.

On SQLite several threads write at once, so the connection uses WAL, a 30 s busy timeout and immediate
transactions (a deferred transaction that reads and then writes fails at once with "database is locked").
"""

import os

from appraisal.settings import *  # noqa: F403
from appraisal.settings import ALLOWED_HOSTS, DATABASES

ROOT_URLCONF = "bench.ballots_urls"
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]  # collected into the bench's temporary directory
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1"]

if "sqlite" in DATABASES["default"]["ENGINE"]:
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
