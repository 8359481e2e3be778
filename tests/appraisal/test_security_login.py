"""Logins: lockout after repeated failures per username and client address, the office's unlock, password
strength, and office sessions that end after OFFICE_SESSION_SECONDS and when the browser closes."""

import datetime
from importlib import import_module

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.contrib.sessions.backends import cached_db
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = 5
HOUR = 60 * 60


def attempt(client, username, password="wrong-password", **extra):
    return client.post("/login/", {"username": username, "password": password}, **extra)


def fail(client, username, times, **extra):
    return [attempt(client, username, **extra) for _ in range(times)]


def logged_in(client):
    return "_auth_user_id" in client.session


def lock(username, **extra):
    fail(Client(), username, LIMIT, **extra)


# Lockout


def test_the_settings_lock_by_username_and_client_address():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_failures_below_the_limit_only_show_the_form_error(client, liaison_a):
    for response in fail(client, "liaison_a", LIMIT - 1):
        assert response.status_code == 200
        assert response.context["form"].errors
    assert attempt(client, "liaison_a", PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_failure_at_the_limit_locks_the_account_with_a_clear_page(client, liaison_a):
    *before, last = fail(client, "liaison_a", LIMIT)
    assert all(response.status_code == 200 for response in before)
    assert last.status_code == 429
    assert "registration/lockout.html" in [template.name for template in last.templates]
    assert last.context["minutes"] == 30 and last["Retry-After"] == "1800"
    page = last.content.decode()
    assert 'id="lockout"' in page and 'href="/login/"' in page


def test_a_locked_account_cannot_log_in_even_with_the_right_password(client, liaison_a):
    lock("liaison_a")
    response = attempt(client, "liaison_a", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)


def test_the_lock_holds_for_that_username_and_client_address_only(liaison_a, liaison_b):
    lock("liaison_a", REMOTE_ADDR="10.0.0.1")
    same_address, other_address = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    assert attempt(same_address, "liaison_b", PASSWORD).status_code == 302
    assert attempt(other_address, "liaison_a", PASSWORD).status_code == 302
    assert attempt(Client(REMOTE_ADDR="10.0.0.1"), "liaison_a", PASSWORD).status_code == 429


def test_the_client_address_is_the_one_the_rate_limits_use(settings, liaison_a):
    """Behind nginx: the address in X-Real-IP (DJANGO_CLIENT_IP_HEADER), not the proxy's."""
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    lock("liaison_a", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.5")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    other_person = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.6")
    assert attempt(other_person, "liaison_a", PASSWORD).status_code == 302
    same_person = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.5")
    assert attempt(same_person, "liaison_a", PASSWORD).status_code == 429


def test_a_successful_login_forgets_the_earlier_failures(client, liaison_a):
    fail(client, "liaison_a", LIMIT - 1)
    attempt(client, "liaison_a", PASSWORD)
    client.post("/logout/")
    assert [response.status_code for response in fail(client, "liaison_a", LIMIT - 1)] == [200] * (LIMIT - 1)
    assert attempt(client, "liaison_a", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off_time(client, liaison_a, time_machine):
    time_machine.move_to("2026-07-01 09:00 +0800", tick=False)
    lock("liaison_a")
    time_machine.shift(datetime.timedelta(minutes=29))
    assert attempt(client, "liaison_a", PASSWORD).status_code == 429
    time_machine.shift(datetime.timedelta(minutes=31))  # 30 minutes after the last (refused) attempt
    assert attempt(client, "liaison_a", PASSWORD).status_code == 302


def test_the_admin_login_is_locked_too(client, office_user):
    for _ in range(LIMIT):
        response = client.post("/admin/login/", {"username": "office", "password": "wrong-password"})
    assert response.status_code == 429
    assert attempt(client, "office", PASSWORD).status_code == 429


# The office unlocks


def test_the_office_sees_locked_accounts_and_unlocks_one(client_for, office_user, liaison_a, liaison_b):
    lock("liaison_a")
    fail(Client(), "liaison_b", LIMIT - 1)  # not locked: not listed
    office = client_for(office_user)
    page = office.get("/office/lockouts/")
    assert [row["username"] for row in page.context["locked"]] == ["liaison_a"]
    assert page.context["locked"][0]["ip_address"] == "127.0.0.1"
    response = office.post("/office/lockouts/unlock/", {"username": "liaison_a", "ip_address": "127.0.0.1"})
    assert response.status_code == 302 and response.url == "/office/lockouts/"
    assert office.get("/office/lockouts/").context["locked"] == []
    assert attempt(Client(), "liaison_a", PASSWORD).status_code == 302


def test_unlocking_asks_for_an_account_and_a_valid_address(client_for, office_user, liaison_a):
    lock("liaison_a")
    office = client_for(office_user)
    for data in ({"username": "", "ip_address": "127.0.0.1"}, {"username": "liaison_a", "ip_address": "not-an-ip"}):
        response = office.post("/office/lockouts/unlock/", data, follow=True)
        assert [message.level_tag for message in response.context["messages"]] == ["error"]
    assert AccessAttempt.objects.filter(username="liaison_a").exists()


@pytest.mark.parametrize("user", ["leader_user", "liaison_a", "outsider", "supervisor_user"])
def test_only_the_office_sees_and_unlocks_locked_accounts(client_for, request, user, liaison_b):
    lock("liaison_b")
    client = client_for(request.getfixturevalue(user))
    assert client.get("/office/lockouts/").status_code == 403
    assert client.post("/office/lockouts/unlock/", {"username": "liaison_b"}).status_code == 403
    assert AccessAttempt.objects.filter(username="liaison_b").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, liaison_b):
    lock("liaison_b")
    assert client.get("/office/lockouts/").url.startswith("/login/")
    assert client.post("/office/lockouts/unlock/", {"username": "liaison_b"}).url.startswith("/login/")
    assert AccessAttempt.objects.filter(username="liaison_b").exists()


def test_the_office_unlocks_in_the_admin_by_deleting_the_attempts(client_for, office_user, liaison_a):
    lock("liaison_a")
    office = client_for(office_user)
    assert office.get("/admin/axes/accessattempt/").status_code == 200
    attempts = list(AccessAttempt.objects.values_list("pk", flat=True))
    response = office.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": attempts, "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert attempt(Client(), "liaison_a", PASSWORD).status_code == 302


def test_only_the_office_group_gets_the_lockout_permissions():
    office = Group.objects.get(name="office").permissions.filter(content_type__app_label="axes")
    assert set(office.values_list("codename", flat=True)) == {
        "view_accessattempt",
        "delete_accessattempt",
        "view_accesslog",
        "view_accessfailurelog",
    }
    assert not Group.objects.get(name="leaders").permissions.filter(content_type__app_label="axes").exists()


# Passwords


def test_a_weak_new_password_is_refused_on_the_password_page(client_for, liaison_a):
    client = client_for(liaison_a)
    weak = "12345678"
    response = client.post("/password/", {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak})
    assert response.status_code == 200
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password(weak, liaison_a)
    assert len(refused.value.messages) >= 3  # too short, too common, entirely numeric
    assert response.context["form"].errors["new_password2"] == refused.value.messages
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(PASSWORD)


def test_a_password_like_the_username_is_refused(client_for, liaison_a):
    response = client_for(liaison_a).post(
        "/password/", {"old_password": PASSWORD, "new_password1": "liaison_a1", "new_password2": "liaison_a1"}
    )
    assert response.status_code == 200 and response.context["form"].errors["new_password2"]


def test_a_strong_new_password_is_accepted(client_for, liaison_a):
    strong = "qinhuai-window-2026-north"
    response = client_for(liaison_a).post(
        "/password/", {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong}
    )
    assert response.status_code == 302 and response.url == "/password/done/"
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(strong)


# Sessions


def test_sessions_live_in_the_cache_in_front_of_the_database():
    assert issubclass(import_module(settings.SESSION_ENGINE).SessionStore, cached_db.SessionStore)


def test_a_page_reads_the_session_from_the_cache(client, liaison_a, unit_a):
    attempt(client, "liaison_a", PASSWORD)
    client.get(f"/units/{unit_a.pk}/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/units/{unit_a.pk}/").status_code == 200
    assert not [query["sql"] for query in queries if "django_session" in query["sql"]]


def test_an_office_session_ends_when_the_browser_closes(client, office_user):
    response = attempt(client, "office", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and cookie["max-age"] == "" and cookie["expires"] == ""


def test_an_office_session_ends_after_office_session_seconds(client, office_user, time_machine):
    time_machine.move_to("2026-07-01 09:00 +0800", tick=False)
    attempt(client, "office", PASSWORD)
    time_machine.shift(datetime.timedelta(seconds=settings.OFFICE_SESSION_SECONDS - 60))
    assert client.get("/office/").status_code == 200
    time_machine.shift(datetime.timedelta(seconds=61))
    response = client.get("/office/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_office_session_seconds_is_a_setting(client, office_user, settings, time_machine):
    assert settings.OFFICE_SESSION_SECONDS == 8 * HOUR
    settings.OFFICE_SESSION_SECONDS = 600
    time_machine.move_to("2026-07-01 09:00 +0800", tick=False)
    attempt(client, "office", PASSWORD)
    time_machine.shift(datetime.timedelta(seconds=599))
    assert client.get("/office/").status_code == 200
    time_machine.shift(datetime.timedelta(seconds=2))
    assert client.get("/office/").status_code == 302


def test_other_accounts_keep_the_two_week_session(client, liaison_a, unit_a, time_machine):
    time_machine.move_to("2026-07-01 09:00 +0800", tick=False)
    response = attempt(client, "liaison_a", PASSWORD)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE == 14 * 24 * HOUR
    time_machine.shift(datetime.timedelta(days=13))
    assert client.get(f"/units/{unit_a.pk}/").status_code == 200
