import datetime

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from appraisal.services import appraisal_year_create
from hearings import services
from hearings.models import Ballot

from ..factories import (
    AppointmentFactory,
    HearingFactory,
    ServiceObjectFactory,
    SupervisorFactory,
    UnitFactory,
    UserFactory,
)
from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def open_hearing():
    year = appraisal_year_create(year=2026, focus="departments")
    year.hearing_quorum_representatives, year.hearing_quorum_supervisors = 3, 1
    year.save()
    unit = UnitFactory(name="区民政局", kind="departments")
    ServiceObjectFactory.create_batch(5, year=year, unit=unit)
    supervisor = AppointmentFactory(supervisor=SupervisorFactory(), year=year, unit=unit).supervisor
    hearing = HearingFactory(unit=unit, year=year, held_on=datetime.date(2026, 10, 20))
    services.representatives_draw(hearing=hearing, count=3, seed=1)
    services.supervisor_add(hearing=hearing, supervisor=supervisor)
    services.hearing_open_check_in(hearing=hearing, by=None)
    for attendee in hearing.attendees.all():
        services.attendee_check_in(attendee=attendee)
    return hearing, services.hearing_open_voting(hearing=hearing, by=None)


def test_a_voter_scans_votes_and_cannot_vote_twice(live_server, open_page, screenshot):
    hearing, tokens = open_hearing()
    phone = open_page(PHONE)
    phone.goto(f"{live_server.url}/hearings/vote/{tokens[0]}/")
    screenshot(phone, "hearings-ballot-phone")
    for fieldset in phone.locator("fieldset.item").all():
        fieldset.locator("label").first.click()
    phone.locator("textarea[name=comment]").fill("窗口服务很热情")
    phone.locator("#ballot button[type=submit]").click()
    expect(phone.locator("#thanks")).to_be_visible()
    screenshot(phone, "hearings-thanks-phone")
    phone.goto(f"{live_server.url}/hearings/vote/{tokens[0]}/")
    expect(phone.locator("#refused")).to_have_attribute("data-state", "used")
    assert Ballot.objects.count() == 1

    office = UserFactory(username="office", is_staff=True)
    office.groups.add(Group.objects.get(name="office"))
    desk = open_page(DESKTOP)
    desk.context.add_cookies(_session_cookie(live_server, office))
    desk.goto(f"{live_server.url}/hearings/{hearing.pk}/turnout/")
    expect(desk.locator("#cast")).to_have_text("1")
    services.ballot_cast(secret=tokens[1], answers={str(p): "unknown" for p in range(1, 9)})
    expect(desk.locator("#cast")).to_have_text("2", timeout=8_000)  # refreshed by htmx, no reload
    screenshot(desk, "hearings-turnout-desktop")
    services.hearing_close(hearing=hearing, by=office)
    desk.goto(f"{live_server.url}/hearings/{hearing.pk}/results/")
    expect(desk.locator("#results")).to_contain_text("依法行政")
    screenshot(desk, "hearings-results-desktop")


def _session_cookie(live_server, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
