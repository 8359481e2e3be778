import pytest
from django.core.management import call_command

from appraisal.models import AppraisalYear, ReminderSettings
from hearings.models import Attendee, Ballot, BallotToken, Hearing, HearingEvent, SurveyResult, WindowNomination
from inspections.models import Finding, Inspection
from reports.selectors import dashboard_figures
from selfcheck.models import Complaint, Problem
from supervisors.models import Appointment, Supervisor, Training
from units.models import (
    Contact,
    Deliverable,
    DeliverableFile,
    DisclosurePublication,
    Membership,
    Participation,
    Reminder,
    ServiceObject,
    SubUnit,
    Unit,
)

pytestmark = pytest.mark.django_db

SEED_DEPARTMENTS = [
    "区建设局",
    "区科技局",
    "秦淮公安分局",
    "区民政局",
    "区司法局",
    "区劳动和社会保障局",
    "区物价局",
    "秦淮工商分局",
    "秦淮质量技术监督分局",
    "秦淮食品药品监督管理分局",
    "区环保局",
    "区市容局（行政执法局）",
    "区房产局",
    "秦淮国税局",
    "秦淮地税分局",
]


def counts():
    models = [
        Unit,
        SubUnit,
        Contact,
        Membership,
        ServiceObject,
        Deliverable,
        DeliverableFile,
        DisclosurePublication,
        Problem,
        Complaint,
        Supervisor,
        Appointment,
        Training,
        Inspection,
        Finding,
        Hearing,
        HearingEvent,
        Attendee,
        BallotToken,
        Ballot,
        SurveyResult,
        WindowNomination,
        ReminderSettings,
        Reminder,
        AppraisalYear,
        Participation,
    ]
    return [model.objects.count() for model in models]


def test_seed_demo_is_complete_and_idempotent(client, capsys, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    first = counts()
    assert SurveyResult.objects.count() == 2 and WindowNomination.objects.count() == 2
    call_command("seed_demo")
    assert counts() == first
    output = capsys.readouterr().out

    assert set(SEED_DEPARTMENTS) <= set(Unit.objects.filter(kind="departments").values_list("name", flat=True))
    assert Unit.objects.filter(kind="industries").count() >= 9
    for unit in Unit.objects.all():
        assert 3 <= unit.subunits.count() <= 10, unit
        assert unit.contacts.count() == 3
    school = Unit.objects.get(name="秦淮区实验小学")
    assert ServiceObject.objects.filter(unit=school).count() == 100
    assert set(Deliverable.objects.values_list("status", flat=True)) == {"accepted", "submitted", "returned"}
    assert DisclosurePublication.objects.filter(unit=school).exists()
    assert ReminderSettings.objects.count() == 1
    assert set(Problem.objects.values_list("status", flat=True)) >= {"open", "in_progress", "rectified", "verified"}
    assert set(Complaint.objects.values_list("status", flat=True)) == {"received", "accepted", "rejected"}
    assert set(Inspection.objects.values_list("status", flat=True)) == {"draft", "submitted", "accepted"}
    assert Inspection.objects.filter(supervisor__user__username="jiandu", mode="covert").exists()
    year = AppraisalYear.objects.current()
    assert Problem.objects.filter(year=year, source="inspection", finding__isnull=False).count() == 3
    closed = Hearing.objects.get(unit=school, status="closed")
    assert closed.results["ballots"] == Ballot.objects.filter(hearing=closed).count() > 30
    assert Hearing.objects.filter(status="planned").exists()
    # One login per role, printed with its password, and each works.
    for username in ["office", "leader", "minzheng", "school", "jiandu"]:
        password = [line.split()[1] for line in output.splitlines() if line.split()[:1] == [username]][-1]
        assert client.login(username=username, password=password)


def test_seed_demo_seeds_last_year_beside_this_one(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    year = AppraisalYear.objects.current()
    last = AppraisalYear.objects.get(year=year.year - 1)

    assert {year.focus, last.focus} == {"industries", "departments"}
    assert last.participations.count() == year.participations.count() == Unit.objects.count()
    assert {p.unit.kind for p in last.participations.filter(is_focus=True)} == {last.focus}
    # Its campaign is over: everything handed in and accepted, most problems rectified, inspections accepted.
    assert set(Deliverable.objects.filter(year=last).values_list("status", flat=True)) == {"accepted"}
    assert Deliverable.objects.filter(year=last, kind="selfcheck_register").count() == 15
    statuses = list(Problem.objects.filter(year=last).values_list("status", flat=True))
    assert statuses.count("verified") > len(statuses) / 2
    assert set(Inspection.objects.filter(year=last).values_list("status", flat=True)) == {"accepted"}
    assert Problem.objects.filter(year=last, source="inspection", finding__isnull=False).count() == 4
    hearing = Hearing.objects.get(year=last, status="closed")
    assert hearing.unit.name == "区民政局" and hearing.results["ballots"] > 30
    assert SurveyResult.objects.filter(year=last).exists()
    # This year's district team renews last year's.
    assert Appointment.objects.filter(year=year, unit=None, renewed_from__year=last).count() == 16

    figures = dashboard_figures(year)
    assert figures["previous_year"] == last.year
    cards = {card["key"]: card for card in figures["key_figures"]}
    for key in ["units", "focus_units", "problems", "rectification_rate", "inspections_accepted", "hearing_rate"]:
        assert cards[key]["value"] and cards[key]["last"], key
