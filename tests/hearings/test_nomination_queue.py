"""Nominations waiting for a decision: counted in the office's queue, whose link opens the list filtered to them;
the list's year is the page's year (appraisal.selectors.page_year)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from appraisal.queue import office_queue
from appraisal.selectors import UNKNOWN_YEAR
from appraisal.services import appraisal_year_create
from hearings.models import WindowNomination

from ..factories import WindowNominationFactory

Status = WindowNomination.Status
LABEL = "待决定的示范窗口推荐"


@pytest.fixture
def nominations(year):
    waiting = WindowNominationFactory.create_batch(2, year=year)
    decided = WindowNominationFactory(year=year, status=Status.SELECTED, decided_at=timezone.now())
    WindowNominationFactory(year=appraisal_year_create(year=2025))  # last year's: not this year's work
    return waiting, decided


def entry_of(year):
    return next(entry for entry in office_queue(year) if str(entry.label) == LABEL)


def test_the_queue_counts_the_nominations_waiting_for_a_decision(year, nominations):
    entry = entry_of(year)
    assert entry.count == 2 and entry.order == 50
    assert entry.url == "/hearings/windows/?year=2026&status=nominated"


def test_the_queue_has_no_entry_without_a_year(db):
    assert not [entry for entry in office_queue(None) if str(entry.label) == LABEL]


def test_the_office_home_links_to_the_filtered_list(client_for, office_user, year, nominations):
    page = client_for(office_user).get(reverse("office_home")).content.decode()
    assert LABEL in page and 'href="/hearings/windows/?year=2026&amp;status=nominated"' in page


def test_the_list_is_filtered_to_the_waiting_ones(client_for, office_user, year, nominations):
    waiting, decided = nominations
    client = client_for(office_user)
    page = client.get(entry_of(year).url)
    assert set(page.context["nominations"]) == set(waiting)
    assert 'class="nav-link active" href="?year=2026&amp;status=nominated"' in page.content.decode()
    assert list(client.get("/hearings/windows/?year=2026&status=selected").context["nominations"]) == [decided]
    everything = client.get("/hearings/windows/?year=2026&status=nonsense").context["nominations"]
    assert set(everything) == {*waiting, decided}


def test_an_unknown_year_says_so_and_shows_the_current_one(client_for, office_user, year, nominations):
    page = client_for(office_user).get("/hearings/windows/?year=1999")
    assert page.status_code == 200 and page.context["year"] == year
    assert str(UNKNOWN_YEAR % {"asked": "1999", "shown": 2026}) in page.content.decode()


def test_the_list_needs_a_year(client_for, office_user, db):
    assert client_for(office_user).get("/hearings/windows/").status_code == 404
