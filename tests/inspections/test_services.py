"""Every rule of the inspection register and its refusal message."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from appraisal.models import EvaluationItem, Focus
from inspections import services
from inspections.models import Inspection
from selfcheck.models import Problem
from supervisors.services.appointments import NOT_APPOINTED
from units.models import Notification

from ..factories import AppointmentFactory, DisclosureItemFactory, SubUnitFactory, SupervisorFactory, UnitFactory
from .conftest import at

pytestmark = pytest.mark.django_db


def refusal(call, **kwargs):
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    return error.value


def create(supervisor, unit, **overrides):
    values = {"occurred_at": at("2026-07-20 09:00"), "mode": "open", "methods": ["ask_users"]} | overrides
    return services.inspection_create(supervisor=supervisor, unit=unit, **values)


def test_a_district_supervisor_files_a_draft(supervisor, unit_a, year):
    inspection = create(supervisor, unit_a, methods=["ask_users", "other"], other_method="查看公示栏")
    assert (inspection.status, inspection.year, inspection.methods) == ("draft", year, ["ask_users", "other"])


def test_a_unit_the_supervisor_may_not_inspect_is_refused(year, unit_a):
    unit_team_member = AppointmentFactory(year=year, unit=UnitFactory()).supervisor
    error = refusal(create, supervisor=unit_team_member, unit=unit_a)
    assert error.message_dict["unit"] == [
        NOT_APPOINTED % {"supervisor": unit_team_member, "date": at("2026-07-20 09:00").date(), "unit": unit_a}
    ]
    assert not Inspection.objects.exists()


def test_an_inspection_before_the_appointment_is_refused(year, unit_a):
    late = AppointmentFactory(year=year, starts_on=at("2026-07-20 00:00").date()).supervisor
    error = refusal(create, supervisor=late, unit=unit_a, occurred_at=at("2026-07-19 15:00"))
    assert "unit" in error.message_dict


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_at": at("2026-07-20 11:00")}, "occurred_at", services.IN_FUTURE),
        ({"methods": []}, "methods", services.METHOD_REQUIRED),
        ({"methods": ["telepathy"]}, "methods", services.UNKNOWN_METHOD % {"value": "telepathy"}),
        ({"methods": ["other"]}, "other_method", services.OTHER_METHOD_REQUIRED),
        ({"mode": "loud"}, "mode", services.UNKNOWN_MODE),
    ],
)
def test_field_rules(supervisor, unit_a, overrides, field, message):
    assert refusal(create, supervisor=supervisor, unit=unit_a, **overrides).message_dict[field] == [str(message)]


def test_an_inspection_outside_any_campaign_year_is_refused(supervisor, unit_a):
    error = refusal(create, supervisor=supervisor, unit=unit_a, occurred_at=at("2025-12-31 10:00"))
    assert error.message_dict["occurred_at"] == [str(services.NO_YEAR % {"year": 2025})]


def test_sub_unit_items_and_commitments_must_be_the_units(make_inspection, unit_b, year, commitment):
    inspection = make_inspection(findings=0)
    foreign_window = SubUnitFactory(unit=unit_b)
    industry_item = EvaluationItem.objects.filter(kind="industries").first()
    foreign_commitment = DisclosureItemFactory(year=year, unit=unit_b)
    error = refusal(
        services.inspection_update,
        inspection=inspection,
        subunit=foreign_window,
        items=[industry_item],
        commitments=[commitment, foreign_commitment],
    )
    assert error.message_dict == {
        "subunit": [str(services.SUBUNIT_NOT_OF_UNIT % {"subunit": foreign_window.name, "unit": inspection.unit.name})],
        "items": [str(services.ITEM_WRONG_KIND % {"item": industry_item.name, "kind": Focus.DEPARTMENTS.label})],
        "commitments": [
            str(
                services.COMMITMENT_NOT_OF_UNIT
                % {"item": foreign_commitment.title, "unit": inspection.unit.name, "year": 2026}
            )
        ],
    }
    services.inspection_update(
        inspection=inspection,
        commitments=[commitment],
        items=[EvaluationItem.objects.get(kind="departments", position=1)],
    )
    assert list(inspection.commitments.all()) == [commitment]


def test_a_finding_needs_what_was_seen_and_an_item_of_the_units_kind(make_inspection):
    inspection = make_inspection(findings=0)
    industry_item = EvaluationItem.objects.filter(kind="industries").first()
    error = refusal(services.finding_add, inspection=inspection, item=industry_item, observed="  ")
    assert error.message_dict == {
        "item": [str(services.ITEM_WRONG_KIND % {"item": industry_item.name, "kind": Focus.DEPARTMENTS.label})],
        "observed": [str(services.OBSERVED_REQUIRED)],
    }


def test_submit_needs_a_summary_but_no_finding(make_inspection):
    inspection = make_inspection(findings=0)
    services.inspection_update(inspection=inspection, summary=" ")
    error = refusal(services.inspection_submit, inspection=inspection, by=None)
    assert error.message_dict == {"summary": [str(services.SUMMARY_REQUIRED)]}
    services.inspection_update(inspection=inspection, summary="一切正常，未发现问题")
    assert services.inspection_submit(inspection=inspection, by=None).status == "submitted"


def test_a_submitted_inspection_and_its_findings_can_no_longer_change(make_inspection):
    inspection = make_inspection(submit=True)
    message = str(services.NOT_EDITABLE % {"status": Inspection.Status.SUBMITTED.label})
    finding = inspection.findings.get()
    assert refusal(services.inspection_update, inspection=inspection, summary="x").messages == [message]
    assert refusal(services.finding_delete, finding=finding).messages == [message]
    assert refusal(services.finding_add, inspection=inspection, item=finding.item, observed="x").messages == [message]
    assert refusal(services.inspection_delete, inspection=inspection).messages == [message]


def test_accept_creates_one_problem_per_finding_entered_by_the_office(make_inspection, office_user, window):
    inspection = make_inspection(findings=2, submit=True)
    problems = services.inspection_accept(inspection=inspection, by=office_user)
    assert len(problems) == 2
    for problem in Problem.objects.all():
        assert (problem.source, problem.found_on, problem.created_by, problem.subunit) == (
            "inspection",
            at("2026-07-20 09:00").date(),
            office_user,
            window,
        )
        assert problem.finding.inspection == inspection
    inspection.refresh_from_db()
    assert (inspection.status, inspection.reviewed_by) == ("accepted", office_user)


def test_accepting_twice_creates_the_problems_once(make_inspection, office_user):
    inspection = make_inspection(findings=2, submit=True)
    services.inspection_accept(inspection=inspection, by=office_user)
    error = refusal(services.inspection_accept, inspection=inspection, by=office_user)
    assert error.messages == [str(services.NOT_SUBMITTED % {"status": Inspection.Status.ACCEPTED.label})]
    assert Problem.objects.count() == 2 and Notification.objects.filter(unit=inspection.unit).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; PostgreSQL only")
def test_accepting_concurrently_creates_the_problems_once(make_inspection, office_user):
    inspection = make_inspection(findings=2, submit=True)
    barrier, outcomes = threading.Barrier(2), []

    def accept():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            services.inspection_accept(inspection=inspection, by=office_user)
            outcomes.append("accepted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["accepted", "refused"]
    assert Problem.objects.count() == 2


def test_return_needs_a_comment_then_the_supervisor_edits_and_resubmits(make_inspection, office_user):
    inspection = make_inspection(submit=True)
    error = refusal(services.inspection_return, inspection=inspection, by=office_user, comment="  ")
    assert error.message_dict == {"comment": [str(services.RETURN_COMMENT_REQUIRED)]}
    services.inspection_return(inspection=inspection, by=office_user, comment="请写明窗口编号")
    services.inspection_update(inspection=inspection, summary="陪同群众在3号窗口办理婚姻登记")
    assert services.inspection_submit(inspection=inspection, by=None).status == "submitted"
    services.inspection_accept(inspection=inspection, by=office_user)
    assert Problem.objects.count() == 1


def test_only_a_submitted_inspection_can_be_returned(make_inspection, office_user):
    inspection = make_inspection()
    error = refusal(services.inspection_return, inspection=inspection, by=office_user, comment="x")
    assert error.messages == [str(services.NOT_SUBMITTED % {"status": Inspection.Status.DRAFT.label})]


def test_submit_is_refused_once_the_appointment_has_ended(make_inspection, supervisor):
    inspection = make_inspection()
    supervisor.appointments.update(starts_on=at("2026-07-20 00:00").date() - datetime.timedelta(1))
    supervisor.appointments.update(ended_on=at("2026-07-20 00:00").date(), end_reason="辞任")
    error = refusal(services.inspection_submit, inspection=inspection, by=None)
    assert error.messages == [
        NOT_APPOINTED % {"supervisor": supervisor, "date": inspection.occurred_on, "unit": inspection.unit}
    ]


def test_an_inspection_that_found_nothing_is_accepted_without_feedback(make_inspection, office_user, contacts):
    from django.core import mail

    inspection = make_inspection(findings=0, submit=True)
    assert services.inspection_accept(inspection=inspection, by=office_user) == []
    assert not Notification.objects.filter(unit=inspection.unit).exists() and mail.outbox == []


def test_a_unit_team_member_files_for_their_own_unit_only(year, unit_a, unit_b):
    member = SupervisorFactory()
    AppointmentFactory(supervisor=member, year=year, unit=unit_a)
    assert create(member, unit_a).unit == unit_a
    assert "unit" in refusal(create, supervisor=member, unit=unit_b).message_dict
