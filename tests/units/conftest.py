import pytest

from appraisal.services import appraisal_year_create
from units.models import Participation


@pytest.fixture
def year(db, time_machine):
    """The 2026 campaign on 2026-07-01, industries in focus; both units take part as focus units."""
    time_machine.move_to("2026-07-01 09:00 +0800")
    return appraisal_year_create(year=2026, focus="industries")


@pytest.fixture
def focus_a(year, unit_a):
    return Participation.objects.create(year=year, unit=unit_a, is_focus=True)


@pytest.fixture
def focus_b(year, unit_b):
    return Participation.objects.create(year=year, unit=unit_b, is_focus=True)
