"""The demo district (manage.py seed_demo) in a live-server test database, and its accounts logged in a browser."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from ..conftest import PASSWORD

# The demo's accounts (appraisal/demo.py, units/demo.py, supervisors/demo.py) by role.
DEMO_ACCOUNTS = {"office": "office", "leader": "leader", "liaison": "school", "supervisor": "jiandu"}


def seed_demo():
    """The same seeding as `manage.py seed_demo`; the demo's printed random passwords are replaced by the tests'."""
    call_command("seed_demo", stdout=io.StringIO())
    for user in get_user_model().objects.filter(username__in=DEMO_ACCOUNTS.values()):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def log_in(page, live_server, username):
    """Log in on the login page, as a person would, and wait for their home."""
    page.goto(f"{live_server.url}/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert "/login/" not in page.url, f"{username} could not log in"
