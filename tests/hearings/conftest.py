"""The hearings' tests run on 2026-10-20 (the hearing day), 2026 campaign with departments in focus; unit_a has
40 service objects and a team of 5 supervisors."""

import pytest

from appraisal.models import AppraisalYear, Focus
from appraisal.services import appraisal_year_create
from hearings import services
from hearings.models import Attendee

from ..factories import AppointmentFactory, HearingFactory, ServiceObjectFactory, SupervisorFactory


@pytest.fixture(autouse=True)
def today(time_machine):
    time_machine.move_to("2026-10-20 09:00 +0800", tick=False)


@pytest.fixture
def year(db):
    return AppraisalYear.objects.filter(year=2026).first() or appraisal_year_create(year=2026, focus=Focus.DEPARTMENTS)


@pytest.fixture
def hearing(year, unit_a):
    ServiceObjectFactory.create_batch(40, year=year, unit=unit_a)
    for _ in range(5):
        AppointmentFactory(supervisor=SupervisorFactory(), year=year, unit=unit_a)
    return HearingFactory(unit=unit_a, year=year)


def fill(hearing, representatives=30, supervisors=4):
    """Draw, add the team's supervisors, open check-in and check in the given numbers."""
    services.representatives_draw(hearing=hearing, count=35, seed=7)
    for appointment in services.eligible_supervisors(hearing).select_related("supervisor"):
        services.supervisor_add(hearing=hearing, supervisor=appointment.supervisor)
    services.hearing_open_check_in(hearing=hearing, by=None)
    for kind, count in ((Attendee.Kind.REPRESENTATIVE, representatives), (Attendee.Kind.SUPERVISOR, supervisors)):
        for attendee in hearing.attendees.filter(kind=kind)[:count]:
            services.attendee_check_in(attendee=attendee)


@pytest.fixture
def voting(hearing, office_user):
    """`voting()`: the hearing with its quorum, voting open; returns the plain tokens."""

    def make(**counts):
        fill(hearing, **counts)
        return services.hearing_open_voting(hearing=hearing, by=office_user)

    return make


def all_answers(hearing, answer="satisfied"):
    return {str(item.position): answer for item in services.items_of(hearing)}
