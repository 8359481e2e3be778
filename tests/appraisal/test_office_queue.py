"""The office's home is its work queue; the year a page shows is decided in one place."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from appraisal import queue
from appraisal.queue import QueueEntry, office_queue
from appraisal.selectors import UNKNOWN_YEAR, page_year
from appraisal.services import appraisal_year_create


@pytest.fixture
def years(db):
    return appraisal_year_create(year=2025), appraisal_year_create(year=2026)


def test_page_year_is_asked_for_else_current(years, time_machine):
    time_machine.move_to("2026-06-01")
    last, this = years
    factory = RequestFactory()
    shown = page_year(factory.get("/"))
    assert (shown.year, shown.current, shown.error, shown.is_current) == (this, this, None, True)
    assert [year.year for year in shown.years] == [2026, 2025]
    assert page_year(factory.get("/", {"year": "2025"})).year == last
    missing = page_year(factory.get("/", {"year": "1999"}))
    assert missing.year == this and missing.error == UNKNOWN_YEAR % {"asked": "1999", "shown": 2026}


def test_page_year_without_any_year(db):
    shown = page_year(RequestFactory().get("/", {"year": "2026"}))
    assert shown.year is None and shown.current is None and shown.error


def test_the_queue_collects_every_app(years, monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("appraisal")
    monkeypatch.setattr(
        type(config), "office_queue", lambda self, year: [QueueEntry("测试待办", 3, "/x/", order=0)], raising=False
    )
    entries = office_queue(years[1])
    assert entries[0] == QueueEntry("测试待办", 3, "/x/", order=0)
    assert all(isinstance(entry, QueueEntry) for entry in entries)


def test_the_office_home_shows_the_queue_and_says_when_it_is_empty(years, office_user, client_for, monkeypatch):
    client = client_for(office_user)
    monkeypatch.setattr(queue, "office_queue", lambda year: [QueueEntry("待审核的材料", 0, "/units/matrix/")])
    monkeypatch.setattr("appraisal.views.office_queue", queue.office_queue)
    page = client.get(reverse("office_home")).content.decode()
    assert 'id="queue-empty"' in page and "待审核的材料" in page

    monkeypatch.setattr("appraisal.views.office_queue", lambda year: [QueueEntry("待审核的材料", 2, "/units/matrix/")])
    page = client.get(reverse("office_home")).content.decode()
    assert 'id="queue-empty"' not in page and 'href="/units/matrix/"' in page


def test_the_office_home_is_for_the_office(years, leader_user, liaison_a, client_for):
    for user in (leader_user, liaison_a):
        assert client_for(user).get(reverse("office_home")).status_code == 403
