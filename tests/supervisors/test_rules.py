"""The district's rules on who may serve where, each refused case with its message."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from supervisors.models import DISTRICT_TEAM, Appointment
from supervisors.selectors import district_team_missing, unit_team_status, unit_teams
from supervisors.services import appointment_create, appointment_end, appointment_renew, appointments_renew_all
from supervisors.services import appointments as rules

from ..factories import AppointmentFactory, SupervisorFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def refused(**kwargs):
    with pytest.raises(ValidationError) as error:
        appointment_create(**kwargs)
    return error.value.messages


def test_an_appointment_lasts_one_year_from_today_by_default(year, unit_a):
    appointment = appointment_create(supervisor=SupervisorFactory(), year=year, unit=unit_a)
    assert (appointment.starts_on, appointment.ends_on) == (D(2026, 7, 1), D(2027, 6, 30))


def test_nobody_joins_the_team_of_their_employer(year, unit_a):
    supervisor = SupervisorFactory(name="刘桂兰", employer_unit=unit_a)
    assert refused(supervisor=supervisor, year=year, unit=unit_a) == [
        str(rules.EMPLOYER_TEAM) % {"supervisor": "刘桂兰", "unit": unit_a.name}
    ]
    assert not Appointment.objects.exists()


def test_a_district_supervisor_may_not_also_serve_on_a_unit_team(year, unit_a):
    supervisor = SupervisorFactory(name="张国华")
    appointment_create(supervisor=supervisor, year=year)
    assert refused(supervisor=supervisor, year=year, unit=unit_a) == [
        str(rules.NO_CONCURRENT_ROLES)
        % {"supervisor": "张国华", "team": str(DISTRICT_TEAM), "last_day": D(2027, 6, 30)}
    ]


def test_a_unit_team_member_may_not_also_join_the_district_team(year, unit_a):
    supervisor = SupervisorFactory(name="张国华")
    appointment_create(supervisor=supervisor, year=year, unit=unit_a)
    assert refused(supervisor=supervisor, year=year) == [
        str(rules.NO_CONCURRENT_ROLES) % {"supervisor": "张国华", "team": unit_a.name, "last_day": D(2027, 6, 30)}
    ]


def test_after_ending_one_role_the_other_may_start(year, unit_a):
    supervisor = SupervisorFactory()
    district = appointment_create(supervisor=supervisor, year=year)
    appointment_end(appointment=district, reason="改任单位监督员")
    assert appointment_create(supervisor=supervisor, year=year, unit=unit_a).unit == unit_a


def test_nobody_is_appointed_twice_to_the_same_team(year, unit_a):
    supervisor = SupervisorFactory(name="张国华")
    appointment_create(supervisor=supervisor, year=year, unit=unit_a)
    assert refused(supervisor=supervisor, year=year, unit=unit_a) == [
        str(rules.ALREADY_ON_TEAM) % {"supervisor": "张国华", "team": unit_a.name, "last_day": D(2027, 6, 30)}
    ]


def test_the_district_team_is_capped_at_the_year_setting(year):
    year.district_team_size = 2
    year.save()
    for _ in range(2):
        appointment_create(supervisor=SupervisorFactory(), year=year)
    assert district_team_missing(year=year) == (2, 0)
    assert refused(supervisor=SupervisorFactory(), year=year) == [
        str(rules.DISTRICT_TEAM_FULL) % {"size": 2, "year": 2026}
    ]


def test_the_district_team_reports_how_many_are_missing(year):
    AppointmentFactory.create_batch(3, year=year)
    assert district_team_missing(year=year) == (3, 13)


def test_a_term_longer_than_a_year_or_ending_before_it_starts_is_refused(year, unit_a):
    supervisor = SupervisorFactory()
    assert refused(supervisor=supervisor, year=year, unit=unit_a, starts_on=D(2026, 7, 1), ends_on=D(2027, 7, 1)) == [
        str(rules.TERM_TOO_LONG) % {"latest": D(2027, 6, 30)}
    ]
    assert refused(supervisor=supervisor, year=year, unit=unit_a, starts_on=D(2026, 7, 1), ends_on=D(2026, 6, 1)) == [
        str(rules.ENDS_BEFORE_START)
    ]


def test_a_unit_team_needs_four_members_and_two_service_objects(year, focus_a, unit_b, team_of):
    team_of(focus_a, 3, 2)
    status = unit_team_status(year=year, unit=focus_a)
    assert (status.members, status.service_objects, status.members_missing, status.breaks_rule) == (3, 2, 1, True)
    flags = {unit.name: unit.flagged for unit in unit_teams(year=year)}
    assert flags == {focus_a.name: True}  # unit_b does not take part in the year

    team_of(focus_a, 1, 0)
    assert not unit_team_status(year=year, unit=focus_a).breaks_rule
    assert not unit_teams(year=year)[0].flagged


def test_four_members_with_one_service_object_are_still_flagged(year, focus_a, team_of):
    team_of(focus_a, 4, 1)
    status = unit_team_status(year=year, unit=focus_a)
    assert (status.members_missing, status.service_objects_missing) == (0, 1)
    assert unit_teams(year=year)[0].flagged


def test_an_ended_member_no_longer_counts(year, focus_a, team_of):
    first, *_ = team_of(focus_a, 4, 2)
    appointment_end(appointment=first, reason="工作调动")
    assert unit_team_status(year=year, unit=focus_a).members == 3
    assert unit_teams(year=year)[0].flagged


# Renewal --------------------------------------------------------------------------------------------------


def test_renewal_continues_the_term_in_the_next_year_once(previous_year, year, unit_a):
    old = AppointmentFactory(year=previous_year, unit=unit_a, starts_on=D(2025, 7, 10), ends_on=D(2026, 7, 9))
    renewal = appointment_renew(appointment=old)
    assert (renewal.year, renewal.unit, renewal.starts_on, renewal.ends_on) == (
        year,
        unit_a,
        D(2026, 7, 10),
        D(2027, 7, 9),
    )
    with pytest.raises(ValidationError) as error:
        appointment_renew(appointment=old)
    assert error.value.messages == [str(rules.ALREADY_RENEWED)]
    assert Appointment.objects.filter(year=year).count() == 1


def test_a_lapsed_appointment_is_renewed_from_today(previous_year, year):
    old = AppointmentFactory(year=previous_year, starts_on=D(2025, 5, 1), ends_on=D(2026, 4, 30))
    assert appointment_renew(appointment=old).starts_on == D(2026, 7, 1)


def test_renewal_needs_the_next_year(year):
    with pytest.raises(ValidationError) as error:
        appointment_renew(appointment=AppointmentFactory(year=year))
    assert error.value.messages == [str(rules.NO_NEXT_YEAR) % {"year": 2027}]


def test_renew_all_renews_each_once_and_reports_the_refused(previous_year, year, unit_a):
    kept = AppointmentFactory.create_batch(2, year=previous_year, starts_on=D(2025, 5, 1), ends_on=D(2026, 4, 30))
    moved = AppointmentFactory(year=previous_year, unit=unit_a, starts_on=D(2025, 5, 1), ends_on=D(2026, 4, 30))
    moved.supervisor.employer_unit = unit_a  # took a job at the unit since last year
    moved.supervisor.save()
    ended = AppointmentFactory(year=previous_year, starts_on=D(2025, 5, 1), ends_on=D(2026, 4, 30))
    appointment_end(appointment=ended, ended_on=D(2025, 9, 1), reason="本人辞去")

    result = appointments_renew_all(from_year=previous_year, to_year=year)
    assert {a.renewed_from for a in result.renewed} == set(kept)
    assert [(a, m) for a, m in result.refused] == [
        (moved, [str(rules.EMPLOYER_TEAM) % {"supervisor": moved.supervisor, "unit": unit_a}])
    ]
    again = appointments_renew_all(from_year=previous_year, to_year=year)
    assert again.renewed == [] and len(again.refused) == 1
    assert Appointment.objects.filter(year=year).count() == 2


# Ending early ---------------------------------------------------------------------------------------------


def test_ending_early_needs_a_reason_and_a_day_within_the_term(year):
    appointment = AppointmentFactory(year=year)
    for kwargs, message in [
        ({"reason": " "}, str(rules.END_REASON_REQUIRED)),
        (
            {"reason": "辞去", "ended_on": D(2028, 1, 1)},
            str(rules.END_OUTSIDE_TERM) % {"start": D(2026, 5, 1), "end": D(2027, 4, 30)},
        ),
    ]:
        with pytest.raises(ValidationError) as error:
            appointment_end(appointment=appointment, **kwargs)
        assert error.value.messages == [message]
    appointment_end(appointment=appointment, reason="工作调动")
    appointment.refresh_from_db()
    assert (appointment.ended_on, appointment.end_reason) == (D(2026, 7, 1), "工作调动")
    with pytest.raises(ValidationError) as error:
        appointment_end(appointment=appointment, reason="again")
    assert error.value.messages == [str(rules.ALREADY_ENDED)]
