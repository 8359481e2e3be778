"""The supervisors' tests run on 2026-07-01, in the 2026 campaign (departments in focus)."""

import pytest

from appraisal.models import AppraisalYear, Focus
from appraisal.services import appraisal_year_create
from units.models import Participation

from ..factories import AppointmentFactory, SupervisorFactory


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-07-01 09:00 +0800", tick=False)


@pytest.fixture
def year(db):
    return AppraisalYear.objects.filter(year=2026).first() or appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)


@pytest.fixture
def previous_year(db):
    return appraisal_year_create(year=2025, focus=Focus.INDUSTRIES)


@pytest.fixture
def focus_a(year, unit_a):
    Participation.objects.create(year=year, unit=unit_a, is_focus=True)
    return unit_a


@pytest.fixture
def team_of(year):
    """`team_of(unit, members, service_objects)`: appoint that many people to the unit's team this year."""

    def make(unit, members, service_objects):
        return [
            AppointmentFactory(
                year=year,
                unit=unit,
                supervisor=SupervisorFactory(sector="service_object" if i < service_objects else "enterprise"),
            )
            for i in range(members)
        ]

    return make
