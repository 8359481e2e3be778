"""The register's tests run on 2026-08-10, in the self-check phase of the 2026 campaign."""

import datetime
import zoneinfo

import pytest

from appraisal.models import EvaluationItem, Focus
from appraisal.services import appraisal_year_create
from units.models import Participation

from ..factories import ProblemFactory, SubUnitFactory

TODAY = datetime.datetime(2026, 8, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def year(db):
    return appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)


@pytest.fixture
def items(db):
    """The department evaluation items by name (unit_a and unit_b are departments)."""
    return {item.name: item for item in EvaluationItem.objects.filter(kind=Focus.DEPARTMENTS)}


@pytest.fixture
def window(unit_a):
    return SubUnitFactory(unit=unit_a, name="婚姻登记处")


@pytest.fixture
def focus_a(year, unit_a):
    Participation.objects.create(year=year, unit=unit_a, is_focus=True)
    return unit_a


@pytest.fixture
def problem_of(year):
    def make(unit, **fields):
        return ProblemFactory(year=year, unit=unit, **fields)

    return make
