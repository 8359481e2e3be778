"""`may_inspect`: the check the inspections part calls, on the boundaries of the term."""

import datetime

import pytest

from supervisors.services import appointment_end, may_inspect
from supervisors.services import appointments as rules

from ..factories import AppointmentFactory, SupervisorFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def district(year, unit_b):
    """A district supervisor employed by unit_b, term 2026-05-01 – 2027-04-30."""
    return AppointmentFactory(year=year, supervisor=SupervisorFactory(name="王建平", employer_unit=unit_b))


def not_appointed(supervisor, unit, day):
    return str(rules.NOT_APPOINTED) % {"supervisor": supervisor, "date": day, "unit": unit}


@pytest.mark.parametrize(
    "day, allowed",
    [(D(2026, 4, 30), False), (D(2026, 5, 1), True), (D(2027, 4, 30), True), (D(2027, 5, 1), False)],
)
def test_a_district_supervisor_may_inspect_any_unit_within_the_term(district, unit_a, time_machine, day, allowed):
    time_machine.move_to(day)
    supervisor = district.supervisor
    assert may_inspect(supervisor, unit_a, day) == (None if allowed else not_appointed(supervisor, unit_a, day))


def test_never_their_employer(district, unit_b):
    assert may_inspect(district.supervisor, unit_b, D(2026, 7, 1)) == str(rules.INSPECT_EMPLOYER) % {
        "supervisor": "王建平",
        "unit": unit_b.name,
    }


def test_a_unit_team_member_inspects_that_unit_only(year, unit_a, unit_b):
    appointment = AppointmentFactory(year=year, unit=unit_a)
    supervisor = appointment.supervisor
    assert may_inspect(supervisor, unit_a, D(2026, 7, 1)) is None
    assert may_inspect(supervisor, unit_b, D(2026, 7, 1)) == not_appointed(supervisor, unit_b, D(2026, 7, 1))


def test_ending_early_takes_effect_on_the_end_day(district, unit_a):
    appointment_end(appointment=district, ended_on=D(2026, 9, 1), reason="工作调动")
    supervisor = district.supervisor
    assert may_inspect(supervisor, unit_a, D(2026, 8, 31)) is None
    assert may_inspect(supervisor, unit_a, D(2026, 9, 1)) == not_appointed(supervisor, unit_a, D(2026, 9, 1))
