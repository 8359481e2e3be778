"""Every changelist of the admin keeps the same number of queries whatever the number of rows."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now

from appraisal.services import appraisal_year_create
from hearings.models import Attendee, Ballot, BallotToken, HearingEvent
from inspections.models import Evidence
from units.models import Participation

from .factories import (
    AppointmentFactory,
    ContactFactory,
    FindingFactory,
    HearingFactory,
    MembershipFactory,
    ProblemFactory,
    SubUnitFactory,
    SupervisorFactory,
    SurveyResultFactory,
    TrainingFactory,
    UnitFactory,
    UserFactory,
    WindowNominationFactory,
)

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"appraisal", "units", "selfcheck", "supervisors", "inspections", "hearings", "reports"}


def make_units(count, year):
    for _ in range(count):
        unit = UnitFactory()
        SubUnitFactory.create_batch(2, unit=unit)
        ContactFactory(unit=unit)
        MembershipFactory(unit=unit)
        Participation.objects.create(year=year, unit=unit, is_focus=True)
        ProblemFactory(year=year, unit=unit, subunit=unit.subunits.first())
        supervisor = SupervisorFactory(employer_unit=unit)
        AppointmentFactory(supervisor=supervisor, year=year, unit=UnitFactory())
        TrainingFactory().attendees.add(supervisor)
        finding = FindingFactory(
            inspection__unit=unit, inspection__year=year, problem=ProblemFactory(year=year, unit=unit)
        )
        Evidence.objects.create(
            inspection=finding.inspection,
            finding=finding,
            file="inspections/evidence/0.jpg",
            unit_copy="inspections/evidence/1.jpg",
            kind="jpg",
            size=1024,
            original_name="IMG_0001.jpg",
            uploaded_by=UserFactory(),
        )
        finding.inspection.items.add(finding.item)
        hearing = HearingFactory(unit=unit, year=year, voters=1, web_ballots=1)
        HearingEvent.objects.create(hearing=hearing, status="planned", by=UserFactory())
        Attendee.objects.create(hearing=hearing, kind="supervisor", supervisor=supervisor, checked_in=True)
        BallotToken.objects.create(hearing=hearing, digest=f"{hearing.pk:064d}", used=True)
        Ballot.objects.create(hearing=hearing, origin="web", answers={"1": "satisfied"})
        SurveyResultFactory(year=year, unit=unit)
        WindowNominationFactory(
            year=year, subunit=unit.subunits.first(), status="selected", decided_by=UserFactory(), decided_at=now()
        )


def changelist_queries(client, model):
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_every_project_model_is_registered():
    from django.apps import apps

    # The audit trail's event tables (pghistory) are read on the office's history page, not in the admin.
    models = [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS and not hasattr(m, "pgh_tracked_model")]
    assert models and all(admin.site.is_registered(m) for m in models)


def test_changelist_query_counts_do_not_grow_with_units(client, office_user):
    client.force_login(office_user)
    year = appraisal_year_create(year=2026)
    registered = [m for m in admin.site._registry if m._meta.app_label in PROJECT_APPS]
    make_units(1, year)
    few = {m: changelist_queries(client, m) for m in registered}
    make_units(29, year)
    many = {m: changelist_queries(client, m) for m in registered}
    assert few == many


def test_admin_pages_are_in_chinese(client, office_user):
    client.force_login(office_user)
    page = client.get("/admin/").content.decode()
    assert "被评议单位" in page and "评议年度" in page
