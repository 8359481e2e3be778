"""Every URL of the project, as every role: the status each role gets is the one intended.

A new URL fails here until its row is added to MATRIX, so no page reaches CI without someone deciding who may
see it. GET for pages; POST (empty) for the URLs that only take POST, which proves their access check runs before
anything else. Codes per role, in the order of ROLES: 302 is a redirect to the login page for the anonymous,
another redirect (a page after an action, or a refusal that redirects) for everyone else.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from appraisal.roles import LEADERS_GROUP, OFFICE_GROUP
from appraisal.services import appraisal_year_create
from hearings import services as hearing_services
from inspections import services as inspection_services
from reports.models import Report
from selfcheck.services.complaints import complaint_submit
from supervisors.services import end_request_ask
from units.models import Deliverable
from units.services import deliverables as deliverable_services

from .factories import (
    AppointmentFactory,
    ContactFactory,
    DisclosureItemFactory,
    FindingFactory,
    HearingFactory,
    InspectionFactory,
    MembershipFactory,
    ParticipationFactory,
    ProblemFactory,
    ServiceObjectFactory,
    SubUnitFactory,
    SupervisorFactory,
    TrainingFactory,
    UnitFactory,
    UserFactory,
    WindowNominationFactory,
)
from .inspections.test_evidence import photo_with_exif

ROLES = ["anonymous", "office", "leader", "liaison_a", "liaison_b", "supervisor", "other_supervisor"]
PDF = b"%PDF-1.4\n%%EOF\n"


def _row(kwargs, method, codes):
    return kwargs, method, codes.split()


# url name: (kwargs from the world, GET or POST, "codes for the ROLES in order")
#                                                  anon office leader liaA liaB sup other
MATRIX = {
    "history": _row(
        {"app_label": "app_label", "model_name": "model_name", "pk": "problem"}, "GET", "302 200 404 404 404 404 404"
    ),
    "home": _row({}, "GET", "302 302 302 302 302 302 302"),
    "office_home": _row({}, "GET", "302 200 403 403 403 403 403"),
    "lockouts": _row({}, "GET", "302 200 403 403 403 403 403"),
    "lockout_unlock": _row({}, "POST", "302 302 403 403 403 403 403"),
    "login": _row({}, "GET", "200 302 302 302 302 302 302"),
    "logout": _row({}, "POST", "302 302 302 302 302 302 302"),
    "password_change": _row({}, "GET", "302 200 200 200 200 200 200"),
    "password_change_done": _row({}, "GET", "302 200 200 200 200 200 200"),
    "units:mine": _row({}, "GET", "302 200 200 200 200 200 200"),
    "units:detail": _row({"pk": "unit_pk"}, "GET", "302 200 200 200 404 404 404"),
    "units:subunit_create": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "units:subunit_update": _row({"pk": "subunit"}, "GET", "302 200 403 200 404 404 404"),
    "units:subunit_delete": _row({"pk": "subunit"}, "GET", "302 200 403 200 404 404 404"),
    "units:contact_create": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "units:contact_update": _row({"pk": "contact"}, "GET", "302 200 403 200 404 404 404"),
    "units:contact_delete": _row({"pk": "contact"}, "GET", "302 200 403 200 404 404 404"),
    "units:import": _row({}, "GET", "302 200 403 403 403 403 403"),
    "units:import_template": _row({}, "GET", "302 200 403 403 403 403 403"),
    "units:deliverable_matrix": _row({}, "GET", "302 200 200 404 404 404 404"),
    "units:deliverable": _row({"unit_pk": "unit_pk", "kind": "kind"}, "GET", "302 200 200 200 404 404 404"),
    "units:deliverable_upload": _row({"unit_pk": "unit_pk", "kind": "kind"}, "POST", "302 302 403 302 404 404 404"),
    "units:deliverable_submit": _row({"unit_pk": "unit_pk", "kind": "kind"}, "POST", "302 302 403 302 404 404 404"),
    "units:deliverable_review": _row({"pk": "deliverable"}, "POST", "302 302 403 403 404 404 404"),
    "units:deliverable_reopen": _row({"pk": "deliverable"}, "POST", "302 302 403 403 404 404 404"),
    "units:deliverable_submit_for_unit": _row(
        {"unit_pk": "unit_pk", "kind": "kind"}, "POST", "302 302 403 403 404 404 404"
    ),
    "units:file_download": _row({"pk": "file"}, "GET", "302 200 200 200 404 404 404"),
    "units:file_delete": _row({"pk": "file"}, "POST", "302 302 403 302 404 404 404"),
    "units:overdue_bulletin": _row({}, "GET", "302 200 200 404 404 404 404"),
    "units:year_next": _row({}, "GET", "302 200 403 403 403 403 403"),
    "units:disclosures": _row({"unit_pk": "unit_pk"}, "GET", "302 200 200 200 404 404 404"),
    "units:disclosure_create": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "units:disclosure_update": _row({"pk": "disclosure"}, "GET", "302 200 403 200 404 404 404"),
    "units:disclosure_delete": _row({"pk": "disclosure"}, "GET", "302 200 403 200 404 404 404"),
    "units:disclosure_upload": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "units:disclosure_template": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "units:service_objects": _row({"unit_pk": "unit_pk"}, "GET", "302 200 200 200 404 404 404"),
    "units:service_object_create": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "units:service_object_update": _row({"pk": "service_object"}, "GET", "302 200 403 200 404 404 404"),
    "units:service_object_delete": _row({"pk": "service_object"}, "GET", "302 200 403 200 404 404 404"),
    "units:service_object_upload": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "units:service_object_template": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "units:service_object_export": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 403 404 404 404"),
    "units:public_index": _row({}, "GET", "200 200 200 200 200 200 200"),
    "units:public_disclosures": _row({"pk": "unit_pk"}, "GET", "404 404 404 404 404 404 404"),
    "selfcheck:office_list": _row({}, "GET", "302 200 200 302 302 404 404"),
    "selfcheck:register": _row({"unit_pk": "unit_pk"}, "GET", "302 200 200 200 404 404 404"),
    "selfcheck:problem_create": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "selfcheck:template": _row({"unit_pk": "unit_pk"}, "GET", "302 200 200 200 404 404 404"),
    "selfcheck:export": _row({"unit_pk": "unit_pk"}, "GET", "302 200 200 200 404 404 404"),
    "selfcheck:upload": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "selfcheck:submit": _row({"unit_pk": "unit_pk"}, "POST", "302 302 403 302 404 404 404"),
    "selfcheck:problem_detail": _row({"pk": "problem"}, "GET", "302 200 200 200 404 404 404"),
    "selfcheck:problem_update": _row({"pk": "problem"}, "GET", "302 200 403 200 404 404 404"),
    "selfcheck:problem_start": _row({"pk": "problem"}, "POST", "302 302 403 302 404 404 404"),
    "selfcheck:problem_rectify": _row({"pk": "problem"}, "GET", "302 200 403 200 404 404 404"),
    "selfcheck:problem_explain": _row({"pk": "problem"}, "GET", "302 200 403 200 404 404 404"),
    "selfcheck:problem_verify": _row({"pk": "problem"}, "POST", "302 302 403 403 404 404 404"),
    "selfcheck:problem_reopen": _row({"pk": "problem"}, "POST", "302 302 403 403 404 404 404"),
    "selfcheck:problem_send_back": _row({"pk": "problem"}, "POST", "302 302 403 403 404 404 404"),
    "selfcheck:evidence": _row({"pk": "problem"}, "GET", "302 404 404 404 404 404 404"),
    "selfcheck:step_evidence": _row({"pk": "problem", "step_pk": "problem"}, "GET", "302 404 404 404 404 404 404"),
    "complaints:new": _row({}, "GET", "200 200 200 200 200 200 200"),
    "complaints:track": _row({}, "GET", "200 200 200 200 200 200 200"),
    "complaints:list": _row({}, "GET", "302 200 403 403 403 403 403"),
    "complaints:detail": _row({"pk": "complaint"}, "GET", "302 200 404 404 404 404 404"),
    "complaints:accept": _row({"pk": "complaint"}, "POST", "302 400 404 404 404 404 404"),
    "complaints:reject": _row({"pk": "complaint"}, "POST", "302 302 404 404 404 404 404"),
    "complaints:reopen": _row({"pk": "complaint"}, "POST", "302 400 404 404 404 404 404"),
    "supervisors:list": _row({}, "GET", "302 200 200 403 403 403 403"),
    "supervisors:home": _row({}, "GET", "302 404 404 404 404 200 200"),
    "supervisors:create": _row({}, "GET", "302 200 403 403 403 403 403"),
    "supervisors:detail": _row({"pk": "supervisor"}, "GET", "302 200 200 404 404 200 404"),
    "supervisors:update": _row({"pk": "supervisor"}, "GET", "302 200 403 404 404 403 404"),
    "supervisors:appoint": _row({"pk": "supervisor"}, "GET", "302 200 403 404 404 403 404"),
    "supervisors:district_team": _row({}, "GET", "302 200 200 403 403 403 403"),
    "supervisors:district_team_add": _row({}, "GET", "302 200 403 403 403 403 403"),
    "supervisors:renew_all": _row({}, "POST", "302 302 403 403 403 403 403"),
    "supervisors:unit_teams": _row({}, "GET", "302 200 200 403 403 403 403"),
    "supervisors:unit_team": _row({"unit_pk": "unit_pk"}, "GET", "302 200 200 200 404 404 404"),
    "supervisors:unit_team_add": _row({"unit_pk": "unit_pk"}, "GET", "302 200 403 200 404 404 404"),
    "supervisors:appointment_end": _row({"pk": "appointment"}, "GET", "302 200 403 404 404 403 404"),
    "supervisors:appointment_renew": _row({"pk": "appointment"}, "POST", "302 302 403 404 404 403 404"),
    "supervisors:appointment_reinstate": _row({"pk": "appointment"}, "POST", "302 302 403 404 404 403 404"),
    "supervisors:end_request_create": _row({"pk": "team_appointment"}, "GET", "302 403 403 404 200 404 403"),
    "supervisors:end_requests": _row({}, "GET", "302 200 403 403 403 403 403"),
    "supervisors:end_request_withdraw": _row({"pk": "end_request"}, "POST", "302 403 404 404 302 404 404"),
    "supervisors:end_request_approve": _row({"pk": "end_request"}, "POST", "302 302 404 404 403 404 404"),
    "supervisors:end_request_decline": _row({"pk": "end_request"}, "POST", "302 200 404 404 403 404 404"),
    "supervisors:trainings": _row({}, "GET", "302 200 200 403 403 403 403"),
    "supervisors:training_create": _row({}, "GET", "302 200 403 403 403 403 403"),
    "supervisors:import": _row({}, "GET", "302 200 403 403 403 403 403"),
    "supervisors:import_template": _row({}, "GET", "302 200 403 403 403 403 403"),
    "inspections:mine": _row({}, "GET", "302 404 404 404 404 200 200"),
    "inspections:create": _row({}, "GET", "302 404 404 404 404 200 200"),
    "inspections:review": _row({}, "GET", "302 200 403 403 403 403 403"),
    "inspections:quotas": _row({}, "GET", "302 200 200 403 403 403 403"),
    "inspections:detail": _row({"pk": "inspection"}, "GET", "302 200 200 404 404 200 404"),
    "inspections:edit": _row({"pk": "inspection"}, "GET", "302 200 403 404 404 200 404"),
    "inspections:delete": _row({"pk": "inspection"}, "POST", "302 302 403 404 404 302 404"),
    "inspections:submit": _row({"pk": "inspection"}, "POST", "302 302 403 404 404 302 404"),
    "inspections:finding_add": _row({"pk": "inspection"}, "GET", "302 302 403 404 404 302 404"),
    "inspections:accept": _row({"pk": "inspection"}, "POST", "302 302 403 404 404 403 404"),
    "inspections:return": _row({"pk": "inspection"}, "POST", "302 200 403 404 404 403 404"),
    "inspections:reopen": _row({"pk": "inspection"}, "POST", "302 200 403 404 404 403 404"),
    "inspections:evidence_add": _row({"pk": "inspection"}, "GET", "302 302 403 404 404 302 404"),
    "inspections:evidence": _row({"pk": "evidence"}, "GET", "302 200 200 404 404 200 404"),
    "inspections:evidence_delete": _row({"pk": "evidence"}, "POST", "302 302 403 404 404 302 404"),
    "inspections:unit_evidence": _row({"pk": "evidence"}, "GET", "302 404 404 404 404 404 404"),
    "inspections:finding_edit": _row({"pk": "finding"}, "GET", "302 200 403 404 404 200 404"),
    "inspections:finding_delete": _row({"pk": "finding"}, "POST", "302 302 403 404 404 302 404"),
    "hearings:list": _row({}, "GET", "302 200 200 200 200 200 200"),
    "hearings:create": _row({}, "GET", "302 200 403 403 403 403 403"),
    "hearings:detail": _row({"pk": "hearing"}, "GET", "302 200 200 200 404 404 404"),
    "hearings:draw": _row({"pk": "hearing"}, "POST", "302 200 403 403 404 404 404"),
    "hearings:representative_add": _row({"pk": "hearing"}, "POST", "302 302 403 403 404 404 404"),
    "hearings:supervisor_add": _row({"pk": "hearing"}, "POST", "302 302 403 403 404 404 404"),
    "hearings:open_check_in": _row({"pk": "hearing"}, "POST", "302 302 403 403 404 404 404"),
    "hearings:open_voting": _row({"pk": "hearing"}, "POST", "302 302 403 403 404 404 404"),
    "hearings:close": _row({"pk": "hearing"}, "POST", "302 302 403 403 404 404 404"),
    "hearings:tokens": _row({"pk": "hearing"}, "GET", "302 404 403 403 404 404 404"),
    "hearings:paper": _row({"pk": "hearing"}, "GET", "302 403 403 403 404 404 404"),
    "hearings:turnout": _row({"pk": "hearing"}, "GET", "302 200 200 200 404 404 404"),
    "hearings:turnout_fragment": _row({"pk": "hearing"}, "GET", "302 200 200 200 404 404 404"),
    "hearings:results": _row({"pk": "hearing"}, "GET", "302 404 404 404 404 404 404"),
    "hearings:check_in": _row({"pk": "attendee"}, "POST", "302 302 403 403 404 404 404"),
    "hearings:vote": _row({"token": "token"}, "GET", "200 200 200 200 200 200 200"),
    "hearings:survey_import": _row({}, "GET", "302 200 403 403 403 403 403"),
    "hearings:survey_template": _row({}, "GET", "302 200 403 403 403 403 403"),
    "hearings:nominations": _row({}, "GET", "302 200 403 403 403 403 403"),
    "hearings:nomination_decide": _row({"pk": "nomination"}, "POST", "302 302 403 403 403 403 403"),
    "reports:dashboard": _row({}, "GET", "302 200 200 403 403 403 403"),
    "reports:summaries": _row({}, "GET", "302 200 200 404 404 404 404"),
    "reports:summary_request": _row({"kind": "kind_slug"}, "POST", "302 400 403 404 404 404 404"),
    "reports:summary_status": _row({"pk": "report"}, "GET", "302 200 200 404 404 404 404"),
    "reports:summary_download": _row({"pk": "report"}, "GET", "302 404 404 404 404 404 404"),
    "reports:summary_send": _row({"pk": "report"}, "GET", "302 302 403 404 404 404 404"),
}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin site checks is_staff and model permissions on its own; tested in test_admin
            yield from _walk(pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif isinstance(pattern, URLPattern):
            yield namespace + pattern.name


def project_url_names():
    return sorted(set(_walk(get_resolver().url_patterns)))


@pytest.fixture
def world(db):
    """One of everything, belonging to unit A, its liaison and the supervisor appointed to unit A's team."""
    year = appraisal_year_create(year=2026)
    unit_a, unit_b = UnitFactory(name="区民政局"), UnitFactory(name="区司法局")
    for unit in (unit_a, unit_b):
        ParticipationFactory(year=year, unit=unit, is_focus=True)
    users = {"anonymous": None}
    users["office"] = UserFactory(username="office", is_staff=True)
    users["office"].groups.add(Group.objects.get(name=OFFICE_GROUP))
    users["leader"] = UserFactory(username="leader")
    users["leader"].groups.add(Group.objects.get(name=LEADERS_GROUP))
    users["liaison_a"] = MembershipFactory(user=UserFactory(username="liaison_a"), unit=unit_a).user
    users["liaison_b"] = MembershipFactory(user=UserFactory(username="liaison_b"), unit=unit_b).user
    supervisor = SupervisorFactory(name="张国华", user=UserFactory(username="supervisor"))
    users["supervisor"] = supervisor.user
    appointment = AppointmentFactory(supervisor=supervisor, year=year)
    other = SupervisorFactory(name="李明", user=UserFactory(username="other_supervisor"))
    users["other_supervisor"] = other.user
    team_appointment = AppointmentFactory(supervisor=other, year=year, unit=unit_b)

    subunit = SubUnitFactory(unit=unit_a)
    inspection = InspectionFactory(supervisor=supervisor, year=year, unit=unit_a)
    finding = FindingFactory(inspection=inspection)
    evidence = inspection_services.evidence_add(
        inspection=inspection, upload=SimpleUploadedFile("a.jpg", photo_with_exif()), by=users["supervisor"]
    )
    attachment = deliverable_services.deliverable_file_add(
        year=year, unit=unit_a, kind="plan", upload=SimpleUploadedFile("方案.pdf", PDF), by=users["liaison_a"]
    )
    hearing = HearingFactory(unit=unit_a, year=year, held_on=datetime.date(2026, 10, 20))
    service_object = ServiceObjectFactory(year=year, unit=unit_a)
    attendee = hearing_services.representative_add(hearing=hearing, service_object=service_object)
    complaint = complaint_submit(unit=unit_a, what="窗口人员态度差", submission_key="k" * 32)
    world = {
        "users": users,
        "unit_pk": unit_a.pk,
        "kind": "plan",
        "subunit": subunit.pk,
        "contact": ContactFactory(unit=unit_a).pk,
        "deliverable": Deliverable.objects.get(unit=unit_a, kind="plan").pk,
        "file": attachment.pk,
        "disclosure": DisclosureItemFactory(year=year, unit=unit_a).pk,
        "service_object": service_object.pk,
        "problem": ProblemFactory(year=year, unit=unit_a).pk,
        "complaint": complaint.pk,
        "supervisor": supervisor.pk,
        "appointment": appointment.pk,
        "team_appointment": team_appointment.pk,
        "end_request": end_request_ask(appointment=team_appointment, by=users["liaison_b"], reason="调离").pk,
        "training": TrainingFactory().pk,
        "inspection": inspection.pk,
        "finding": finding.pk,
        "evidence": evidence.pk,
        "hearing": hearing.pk,
        "attendee": attendee.pk,
        "token": "x" * 27,
        "nomination": WindowNominationFactory(year=year, subunit=subunit).pk,
        "report": Report.objects.create(kind="selfcheck", year=year, requested_by=users["office"]).pk,
        "kind_slug": "selfcheck",
        "app_label": "selfcheck",
        "model_name": "problem",
    }
    return world


def _kwargs(world, spec):
    return {name: world[source] for name, source in spec.items()}


def test_every_url_is_in_the_matrix():
    missing = [name for name in project_url_names() if name not in MATRIX]
    stale = [name for name in MATRIX if name not in project_url_names()]
    assert not missing, f"add these URLs to tests/test_url_matrix.py MATRIX with the status of each role: {missing}"
    assert not stale, f"these URLs no longer exist: {stale}"


def test_each_role_gets_the_intended_status(client, world):
    """Every URL as every role on one world; each request's writes are rolled back before the next one, and every
    mismatch is reported at once."""
    mismatches = []
    for name, (spec, method, codes) in sorted(MATRIX.items()):
        url = reverse(name, kwargs=_kwargs(world, spec))
        for role, expected in zip(ROLES, codes, strict=True):
            client.logout()
            if world["users"][role] is not None:
                client.force_login(world["users"][role])
            with transaction.atomic():
                response = client.post(url) if method == "POST" else client.get(url)
                transaction.set_rollback(True)
            if str(response.status_code) != expected:
                mismatches.append(f"{method} {url} ({name}) as {role}: {response.status_code}, intended {expected}")
            elif role == "anonymous" and expected == "302" and not response["Location"].startswith(reverse("login")):
                mismatches.append(f"{method} {url} ({name}) sends the anonymous to {response['Location']}")
    assert not mismatches, "\n".join(mismatches)
