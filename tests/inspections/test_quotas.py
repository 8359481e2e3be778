"""Quotas: district supervisors ≥6 a year; unit teams ≥2 in the self-check phase and ≥4 a year. Only what
reached the office counts."""

import pytest

from inspections import selectors, services

from ..factories import AppointmentFactory, SupervisorFactory
from .conftest import at

pytestmark = pytest.mark.django_db


def test_district_quota_counts_submitted_and_accepted_only(make_inspection, supervisor, year, office_user):
    make_inspection()  # a draft does not count
    make_inspection(submit=True)
    services.inspection_accept(inspection=make_inspection(submit=True), by=office_user)
    returned = make_inspection(submit=True)
    services.inspection_return(inspection=returned, by=office_user, comment="补充")
    quota = selectors.district_quota(supervisor=supervisor, year=year)
    assert (quota.done, quota.target, quota.missing, quota.met) == (2, 6, 4, False)


def test_unit_team_quotas_at_the_self_check_phase_boundaries(time_machine, year, unit_a, unit_b, make_inspection):
    member = SupervisorFactory()
    AppointmentFactory(supervisor=member, year=year, unit=unit_a)
    # The phase runs 2026-07-11 … 2026-08-31 (default calendar); both ends are inside it.
    assert (year.selfcheck_start.isoformat(), year.selfcheck_end.isoformat()) == ("2026-07-11", "2026-08-31")
    time_machine.move_to("2026-09-02 10:00 +0800", tick=False)
    for moment in ["2026-07-10 23:59", "2026-07-11 00:00", "2026-08-31 23:59", "2026-09-01 00:00"]:
        make_inspection(who=member, occurred_at=at(moment), submit=True)
    make_inspection(submit=True)  # by a district supervisor: not the unit team's
    phase, whole_year = selectors.unit_team_quotas(unit=unit_a, year=year)
    assert (phase.done, phase.target, whole_year.done, whole_year.target) == (2, 2, 4, 4)
    assert phase.met and whole_year.met

    overview = {unit.pk: unit for unit in selectors.unit_team_overview(year=year)}
    assert (overview[unit_a.pk].phase_done, overview[unit_a.pk].year_done) == (2, 4)
    district = {s.name: s.done for s in selectors.district_overview(year=year)}
    assert district["张国华"] == 1


def test_the_supervisor_sees_their_progress(client_for, supervisor_user, make_inspection):
    make_inspection(submit=True)
    page = client_for(supervisor_user).get("/inspections/").content.decode()
    assert "1 / 6" in page


def test_the_unit_sees_its_teams_progress(client_for, liaison_a, year, unit_a, make_inspection):
    member = SupervisorFactory()
    AppointmentFactory(supervisor=member, year=year, unit=unit_a)
    make_inspection(who=member, submit=True)
    page = client_for(liaison_a).get(f"/supervisors/units/{unit_a.pk}/").content.decode()
    assert 'id="team-quotas"' in page and "1 / 2" in page and "1 / 4" in page


def test_the_quota_overview_keeps_its_query_count(client_for, office_user, year, unit_a, make_inspection):
    client = client_for(office_user)

    def queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/inspections/quotas/").status_code == 200
        return len(captured)

    make_inspection(submit=True)
    few = queries()
    for _ in range(5):
        member = SupervisorFactory()
        AppointmentFactory(supervisor=member, year=year)
        make_inspection(who=member, submit=True)
    assert queries() == few
