import pytest
from django.core.management import call_command

from appraisal.models import ReminderSettings
from hearings.models import Attendee, Ballot, BallotToken, Hearing, HearingEvent, SurveyResult, WindowNomination
from inspections.models import Finding, Inspection, Notice
from selfcheck.models import Complaint, Problem
from supervisors.models import Appointment, Supervisor, Training
from units.models import (
    Contact,
    Deliverable,
    DeliverableFile,
    DisclosurePublication,
    Membership,
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
        Notice,
        Hearing,
        HearingEvent,
        Attendee,
        BallotToken,
        Ballot,
        SurveyResult,
        WindowNomination,
        ReminderSettings,
        Reminder,
    ]
    return [model.objects.count() for model in models]


def test_seed_demo_is_complete_and_idempotent(client, capsys, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo")
    first = counts()
    assert SurveyResult.objects.count() == 1 and WindowNomination.objects.count() == 2
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
    assert Problem.objects.filter(source="inspection", finding__isnull=False).count() == 3
    closed = Hearing.objects.get(unit=school, status="closed")
    assert closed.results["ballots"] == Ballot.objects.filter(hearing=closed).count() > 30
    assert Hearing.objects.filter(status="planned").exists()
    # One login per role, printed with its password, and each works.
    for username in ["office", "leader", "minzheng", "school", "jiandu"]:
        password = [line.split()[1] for line in output.splitlines() if line.split()[:1] == [username]][-1]
        assert client.login(username=username, password=password)
