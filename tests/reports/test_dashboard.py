import datetime

import pytest

from appraisal.services import appraisal_year_create
from units.models import Participation

from ..factories import ContactFactory, SubUnitFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(db):
    year = appraisal_year_create(year=2026)
    units = UnitFactory.create_batch(3) + [UnitFactory(kind="industries"), UnitFactory(is_active=False)]
    for unit in units[:2]:
        Participation.objects.create(year=year, unit=unit, is_focus=True)
    SubUnitFactory.create_batch(4, unit=units[0])
    SubUnitFactory(unit=units[3], kind="school")
    SubUnitFactory(unit=units[4])  # of an inactive unit: not counted
    ContactFactory.create_batch(2, unit=units[0])
    return year


def figure(page, name):
    marker = f'data-figure="{name}">'
    return page.split(marker, 1)[1].split("<", 1)[0]


def test_the_dashboard_shows_real_counts(client, leader_user, district, time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 20, 9, tzinfo=datetime.UTC))
    client.force_login(leader_user)
    page = client.get("/reports/dashboard/").content.decode()
    assert figure(page, "units") == "4"
    assert figure(page, "focus") == "2"
    assert figure(page, "subunits") == "5"
    assert figure(page, "contacts") == "2"
    assert "报送自查自纠登记表" in page and "5 天后" in page
    assert "当前阶段：自查自纠" in page


def test_the_dashboard_query_count_does_not_grow(client, leader_user, district, django_assert_num_queries):
    client.force_login(leader_user)
    client.get("/reports/dashboard/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get("/reports/dashboard/")
    for _ in range(20):
        SubUnitFactory(unit=UnitFactory())
    with django_assert_num_queries(len(before)):
        client.get("/reports/dashboard/")
