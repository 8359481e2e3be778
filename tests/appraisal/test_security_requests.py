"""Requests: CSRF on every form (the public ones too) and the rate limits of the ballot page and the uploads."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from appraisal.security import BALLOT_TOKEN_RATE, UPLOAD_RATE
from appraisal.services import appraisal_year_create
from hearings import services as hearings
from hearings.models import Ballot

from ..factories import (
    AppointmentFactory,
    HearingFactory,
    InspectionFactory,
    ProblemFactory,
    ServiceObjectFactory,
    SupervisorFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def one_window(time_machine):
    """Rate limits count per clock-aligned window: a test that crossed a minute boundary would start counting
    afresh halfway. The clock stands still at the start of a minute."""
    time_machine.move_to(datetime.datetime(2026, 10, 20, 9, 30, tzinfo=datetime.UTC), tick=False)


TEMPLATES = Path(settings.BASE_DIR) / "templates"
PROJECT_CODE = ["appraisal", "units", "selfcheck", "supervisors", "inspections", "hearings", "reports"]
FORM_TAG = re.compile(r"<form\b[^>]*>", re.I)
POST_METHOD = re.compile(r"""method\s*=\s*["']?post\b""", re.I)


def voting_hearing():
    """A hearing with 3 representatives and a supervisor checked in and voting open; returns it and its codes."""
    year = appraisal_year_create(year=2026, focus="departments")
    year.hearing_quorum_representatives, year.hearing_quorum_supervisors = 3, 1
    year.save()
    unit = UnitFactory(name="区民政局", kind="departments")
    ServiceObjectFactory.create_batch(3, year=year, unit=unit)
    supervisor = AppointmentFactory(supervisor=SupervisorFactory(), year=year, unit=unit).supervisor
    hearing = HearingFactory(unit=unit, year=year)
    hearings.representatives_draw(hearing=hearing, count=3, seed=1)
    hearings.supervisor_add(hearing=hearing, supervisor=supervisor)
    hearings.hearing_open_check_in(hearing=hearing, by=None)
    for attendee in hearing.attendees.all():
        hearings.attendee_check_in(attendee=attendee)
    return hearing, hearings.hearing_open_voting(hearing=hearing, by=None)


def answers(hearing):
    return {f"item_{item.position}": "satisfied" for item in hearings.items_of(hearing)}


def limit_of(rate):
    return int(rate.split("/")[0])


# CSRF


def test_every_post_form_in_the_templates_carries_a_csrf_token():
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for tag in FORM_TAG.finditer(text):
            if not POST_METHOD.search(tag.group(0)):
                continue
            body = text[tag.end() : text.find("</form>", tag.end())]
            if "{% csrf_token %}" not in body:
                missing.append(f"{path.relative_to(TEMPLATES)}: {tag.group(0)}")
    assert not missing, "POST forms without {% csrf_token %}:\n" + "\n".join(missing)


def test_no_view_of_the_project_skips_the_csrf_check():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    sources = [path for app in PROJECT_CODE for path in (Path(settings.BASE_DIR) / app).rglob("*.py")]
    assert sources
    for path in sources:
        text = path.read_text()
        assert "csrf_exempt" not in text and "disable_csrf" not in text, path


def test_the_public_complaint_form_refuses_a_post_without_a_token(unit_a):
    client = Client(enforce_csrf_checks=True)
    assert client.get("/complaints/").status_code == 200
    response = client.post("/complaints/", {"unit": unit_a.pk, "what": "窗口无人办理", "submission_key": "k" * 32})
    assert response.status_code == 403
    assert "403_csrf.html" in [template.name for template in response.templates]
    assert 'id="csrf-failure"' in response.content.decode()


def test_the_ballot_refuses_a_post_without_a_token():
    hearing, tokens = voting_hearing()
    client = Client(enforce_csrf_checks=True)
    assert client.get(f"/hearings/vote/{tokens[0]}/").status_code == 200
    assert client.post(f"/hearings/vote/{tokens[0]}/", answers(hearing)).status_code == 403
    assert not Ballot.objects.exists()


def test_the_ballot_with_its_token_is_counted():
    hearing, tokens = voting_hearing()
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/hearings/vote/{tokens[0]}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(f"/hearings/vote/{tokens[0]}/", answers(hearing) | {"csrfmiddlewaretoken": token})
    assert 'id="thanks"' in response.content.decode()
    assert Ballot.objects.count() == 1


def test_the_login_form_refuses_a_post_without_a_token(liaison_a):
    response = Client(enforce_csrf_checks=True).post("/login/", {"username": "liaison_a", "password": "x"})
    assert response.status_code == 403


# The ballot's limits


def test_a_ballot_code_takes_a_few_submissions_a_minute(client):
    hearing, tokens = voting_hearing()
    incomplete = {"item_1": "satisfied"}  # the page comes back with the missing items marked
    for _ in range(limit_of(BALLOT_TOKEN_RATE)):
        assert client.post(f"/hearings/vote/{tokens[0]}/", incomplete).status_code == 200
    refused = client.post(f"/hearings/vote/{tokens[0]}/", answers(hearing))
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "ratelimited.html" in [template.name for template in refused.templates]
    assert 'id="ratelimited"' in refused.content.decode()
    assert not Ballot.objects.exists()
    # another voter in the same hall is not held up
    assert 'id="thanks"' in client.post(f"/hearings/vote/{tokens[1]}/", answers(hearing)).content.decode()


def test_the_ballot_page_limits_each_client_address(settings):
    assert settings.BALLOT_CLIENT_RATE == "3000/m"  # a hall of 500 behind one address: 1,000 requests
    settings.BALLOT_CLIENT_RATE = "3/m"
    hearing, tokens = voting_hearing()
    hall, other = Client(REMOTE_ADDR="10.1.1.1"), Client(REMOTE_ADDR="10.1.1.2")
    assert [hall.get(f"/hearings/vote/{token}/").status_code for token in tokens[:3]] == [200, 200, 200]
    assert hall.post(f"/hearings/vote/{tokens[3]}/", answers(hearing)).status_code == 429
    assert other.get(f"/hearings/vote/{tokens[3]}/").status_code == 200


def test_the_client_address_comes_from_the_configured_header(settings):
    settings.BALLOT_CLIENT_RATE = "1/m"
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    hearing, tokens = voting_hearing()
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    assert Client(**proxy, HTTP_X_REAL_IP="10.2.2.1").get(f"/hearings/vote/{tokens[0]}/").status_code == 200
    assert Client(**proxy, HTTP_X_REAL_IP="10.2.2.2").get(f"/hearings/vote/{tokens[0]}/").status_code == 200
    assert Client(**proxy, HTTP_X_REAL_IP="10.2.2.1").get(f"/hearings/vote/{tokens[0]}/").status_code == 429


# Uploads


@pytest.fixture
def upload_urls(unit_a, supervisor_user):
    """Every view that accepts a file."""
    inspection = InspectionFactory(supervisor=supervisor_user.supervisor, unit=unit_a)
    problem = ProblemFactory(unit=unit_a)
    return [
        "/units/import/",
        f"/units/{unit_a.pk}/disclosures/upload/",
        f"/units/{unit_a.pk}/service-objects/upload/",
        f"/units/{unit_a.pk}/deliverables/plan/upload/",
        f"/selfcheck/units/{unit_a.pk}/upload/",
        f"/selfcheck/problems/{problem.pk}/rectify/",
        f"/selfcheck/problems/{problem.pk}/explain/",
        f"/inspections/{inspection.pk}/evidence/",
        "/supervisors/import/",
        "/hearings/survey/",
    ]


def test_uploads_are_limited_per_user_over_every_upload_page(client_for, office_user, outsider, upload_urls):
    client = client_for(office_user)
    first, *others = upload_urls
    statuses = [client.post(first).status_code for _ in range(limit_of(UPLOAD_RATE))]
    assert 429 not in statuses
    for url in upload_urls:
        refused = client.post(url)
        assert refused.status_code == 429, url
        assert "ratelimited.html" in [template.name for template in refused.templates]
    # someone else is not held up by this user's uploads
    other = Client()
    other.force_login(outsider)
    assert all(other.post(url).status_code != 429 for url in upload_urls)


def test_every_upload_page_counts_towards_the_limit(client_for, office_user, upload_urls):
    client = client_for(office_user)
    for n in range(limit_of(UPLOAD_RATE)):
        assert client.post(upload_urls[n % len(upload_urls)]).status_code != 429
    assert client.post(upload_urls[0]).status_code == 429


def test_looking_at_an_upload_page_is_not_limited(client_for, office_user):
    client = client_for(office_user)
    assert {client.get("/units/import/").status_code for _ in range(limit_of(UPLOAD_RATE) + 5)} == {200}
    assert client.post("/units/import/").status_code != 429


def test_anonymous_uploads_go_to_the_login_page_uncounted(client, upload_urls):
    for _ in range(limit_of(UPLOAD_RATE) + 1):
        response = client.post(upload_urls[0])
        assert response.status_code == 302 and response.url.startswith("/login/")
