"""Security headers on every kind of page, a content security policy the templates can keep (no inline script,
style or event handler), HSTS in production and a clean `check --deploy`."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "appraisal.example",
}


def policy(response):
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return dict(directives)


def assert_secure_headers(response):
    assert policy(response) == POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/login/", "/complaints/", "/units/public/", "/no-such-page/"])
def test_public_pages_carry_the_headers(client, url):
    assert_secure_headers(client.get(url))


@pytest.mark.parametrize(
    ("user", "url"),
    [
        ("office_user", "/office/"),
        ("office_user", "/admin/"),
        ("office_user", "/office/lockouts/"),
        ("leader_user", "/reports/dashboard/"),
        ("liaison_a", "/units/"),
        ("outsider", "/"),
    ],
)
def test_signed_in_pages_carry_the_headers(client_for, request, user, url):
    response = client_for(request.getfixturevalue(user)).get(url)
    assert response.status_code in (200, 403)
    assert_secure_headers(response)


def test_the_429_pages_carry_the_headers(client, liaison_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/login/", {"username": "liaison_a", "password": "wrong-password"})
    assert response.status_code == 429
    assert_secure_headers(response)


def test_https_responses_carry_hsts_with_the_production_values(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Strict-Transport-Security" not in client.get("/login/")  # never over plain HTTP


def run_manage(*args, env=None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")} | PRODUCTION | (env or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_turn_on_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
        "s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = run_manage("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-6:] == ["31536000", "True", "True", "True", "True", "True"]


def test_the_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# What the policy needs of the templates


INLINE = {
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "htmx inline handler": re.compile(r"\shx-on", re.I),
}


def test_no_template_has_inline_script_style_or_event_handlers():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        found += [f"{path.relative_to(TEMPLATES)}: {what}" for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, "\n".join(found)


def test_htmx_is_told_not_to_inject_its_indicator_styles():
    base = (TEMPLATES / "base.html").read_text()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false' in base
    assert ".htmx-indicator" in (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
