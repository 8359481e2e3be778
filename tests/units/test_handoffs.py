"""Deliverable hand-offs: each is recorded and told to the unit; the office submits for a unit only by saying so,
and reopens an acceptance made by mistake with a reason."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from units.models import Contact, Deliverable, DeliverableStep, DisclosurePublication, Notification
from units.services import deliverables as svc
from units.services.disclosures import disclosure_save, disclosures_revised

from ..factories import ContactFactory, DisclosureItemFactory, SubUnitFactory, UnitFactory

pytestmark = pytest.mark.django_db
Kind, Status, Action = Deliverable.Kind, Deliverable.Status, DeliverableStep.Action


@pytest.fixture
def subunits_of_a(year, unit_a, focus_a, liaison_a):
    """Unit A can hand in its sub-unit list; its liaison has an email address and so does its liaison contact."""
    SubUnitFactory(unit=unit_a, name="婚姻登记处")
    liaison_a.email = "liaison.a@qinhuai.gov.cn"
    liaison_a.save()
    ContactFactory(unit=unit_a, role=Contact.Role.LIAISON, email="lly@qinhuai.gov.cn")
    return unit_a


def steps(deliverable):
    return list(deliverable.steps.values_list("action", "status", "note", "by__username"))


def test_every_hand_off_is_recorded_and_told_to_the_unit(
    year, subunits_of_a, liaison_a, office_user, django_capture_on_commit_callbacks
):
    unit = subunits_of_a
    with django_capture_on_commit_callbacks(execute=True):
        deliverable = svc.deliverable_submit(year=year, unit=unit, kind=Kind.SUBUNITS, by=liaison_a)
        svc.deliverable_review(deliverable=deliverable, by=office_user, accept=False, comment="请补充各窗口地址")
        svc.deliverable_submit(year=year, unit=unit, kind=Kind.SUBUNITS, by=liaison_a)
        svc.deliverable_review(deliverable=deliverable, by=office_user, accept=True)

    assert steps(deliverable) == [
        (Action.SUBMITTED, Status.SUBMITTED, "", "liaison_a"),
        (Action.RETURNED, Status.RETURNED, "请补充各窗口地址", "office"),
        (Action.SUBMITTED, Status.SUBMITTED, "", "liaison_a"),
        (Action.ACCEPTED, Status.ACCEPTED, "", "office"),
    ]
    accepted, returned = Notification.objects.filter(unit=unit)  # latest first
    assert returned.title == f"“{Kind.SUBUNITS.label}”被区行评办退回修改"
    assert returned.body == "请补充各窗口地址"
    assert returned.url == f"/units/{unit.pk}/deliverables/subunits/?year=2026"
    assert accepted.title == f"“{Kind.SUBUNITS.label}”已通过区行评办审核" and accepted.created_by == office_user
    assert [m.subject for m in mail.outbox] == [returned.title, accepted.title]
    assert sorted(mail.outbox[0].to) == ["liaison.a@qinhuai.gov.cn", "lly@qinhuai.gov.cn"]


def test_the_office_cannot_submit_for_a_unit_silently(year, subunits_of_a, office_user):
    with pytest.raises(ValidationError) as error:
        svc.deliverable_submit(year=year, unit=subunits_of_a, kind=Kind.SUBUNITS, by=office_user)
    assert error.value.messages == [str(svc.NOT_THE_UNIT)]
    assert not Deliverable.objects.filter(status=Status.SUBMITTED).exists()
    assert not DeliverableStep.objects.exists()


def test_a_liaison_of_another_unit_cannot_submit(year, subunits_of_a, liaison_b):
    with pytest.raises(ValidationError) as error:
        svc.deliverable_submit(year=year, unit=subunits_of_a, kind=Kind.SUBUNITS, by=liaison_b)
    assert error.value.messages == [str(svc.NOT_THE_UNIT)]


def test_the_office_submits_for_the_unit_only_with_a_reason(
    year, subunits_of_a, office_user, django_capture_on_commit_callbacks
):
    unit = subunits_of_a
    with pytest.raises(ValidationError) as error:
        svc.deliverable_submit_for_unit(year=year, unit=unit, kind=Kind.SUBUNITS, by=office_user, reason="  ")
    assert error.value.messages == [str(svc.SUBMIT_FOR_UNIT_NEEDS_REASON)]
    assert not Deliverable.objects.filter(status=Status.SUBMITTED).exists()

    with django_capture_on_commit_callbacks(execute=True):
        deliverable = svc.deliverable_submit_for_unit(
            year=year, unit=unit, kind=Kind.SUBUNITS, by=office_user, reason="7月9日送来纸质名单"
        )
    assert (deliverable.status, deliverable.submitted_by) == (Status.SUBMITTED, office_user)
    assert steps(deliverable) == [(Action.SUBMITTED_FOR_UNIT, Status.SUBMITTED, "7月9日送来纸质名单", "office")]
    notification = Notification.objects.get(unit=unit)
    assert "代为报送" in notification.title and notification.body == "7月9日送来纸质名单"
    assert len(mail.outbox) == 1

    with pytest.raises(ValidationError) as error:  # the same rules as the unit's own submission
        svc.deliverable_submit_for_unit(year=year, unit=unit, kind=Kind.SUBUNITS, by=office_user, reason="再报一次")
    assert error.value.messages == [str(svc.ALREADY_SUBMITTED)]


def test_submitting_for_the_unit_keeps_the_completeness_rules(year, unit_a, focus_a, office_user):
    with pytest.raises(ValidationError) as error:
        svc.deliverable_submit_for_unit(year=year, unit=unit_a, kind=Kind.SUBUNITS, by=office_user, reason="纸质")
    assert error.value.messages == [str(svc.NO_SUBUNITS)]
    unit_b = UnitFactory()
    with pytest.raises(ValidationError) as error:
        svc.deliverable_submit_for_unit(year=year, unit=unit_b, kind=Kind.PLAN, by=office_user, reason="纸质")
    assert error.value.messages == [str(svc.NOT_OWED)]


@pytest.fixture
def accepted(year, subunits_of_a, liaison_a, office_user):
    deliverable = svc.deliverable_submit(year=year, unit=subunits_of_a, kind=Kind.SUBUNITS, by=liaison_a)
    return svc.deliverable_review(deliverable=deliverable, by=office_user, accept=True)


def test_reopening_an_acceptance_returns_it_to_the_unit(
    year, accepted, subunits_of_a, liaison_a, office_user, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as error:
        svc.deliverable_reopen(deliverable=accepted, by=office_user, reason=" ")
    assert error.value.messages == [str(svc.REOPEN_NEEDS_REASON)]

    with django_capture_on_commit_callbacks(execute=True):
        reopened = svc.deliverable_reopen(deliverable=accepted, by=office_user, reason="误点通过：名单缺少两个窗口")
    assert (reopened.status, reopened.comment, reopened.reviewed_by) == (
        Status.RETURNED,
        "误点通过：名单缺少两个窗口",
        office_user,
    )
    assert steps(reopened)[-1] == (Action.REOPENED, Status.RETURNED, "误点通过：名单缺少两个窗口", "office")
    notification = Notification.objects.filter(unit=subunits_of_a).first()
    assert "重新打开" in notification.title
    assert notification.body.startswith("误点通过：名单缺少两个窗口") and "重新报送" in notification.body
    assert mail.outbox[-1].subject == notification.title

    # The unit can change it and submit again; the history keeps every step.
    svc.deliverable_submit(year=year, unit=subunits_of_a, kind=Kind.SUBUNITS, by=liaison_a)
    assert [step[0] for step in steps(reopened)] == [
        Action.SUBMITTED,
        Action.ACCEPTED,
        Action.REOPENED,
        Action.SUBMITTED,
    ]


def test_reopening_for_another_review_puts_it_back_in_the_offices_queue(accepted, office_user):
    reopened = svc.deliverable_reopen(deliverable=accepted, by=office_user, reason="需再核对", review_again=True)
    assert reopened.status == Status.SUBMITTED
    assert steps(reopened)[-1] == (Action.REOPENED, Status.SUBMITTED, "需再核对", "office")
    assert "无需重新报送" in Notification.objects.first().body
    svc.deliverable_review(deliverable=reopened, by=office_user, accept=False, comment="缺少地址")
    assert Deliverable.objects.get(pk=reopened.pk).status == Status.RETURNED


def test_only_an_accepted_deliverable_is_reopened(year, subunits_of_a, liaison_a, office_user):
    deliverable = svc.deliverable_submit(year=year, unit=subunits_of_a, kind=Kind.SUBUNITS, by=liaison_a)
    with pytest.raises(ValidationError) as error:
        svc.deliverable_reopen(deliverable=deliverable, by=office_user, reason="误操作")
    assert error.value.messages == [str(svc.NOT_ACCEPTED)]
    assert steps(deliverable) == [(Action.SUBMITTED, Status.SUBMITTED, "", "liaison_a")]


def test_reopened_disclosures_stay_public_until_a_new_version_is_accepted(
    year, unit_a, focus_a, liaison_a, office_user
):
    DisclosureItemFactory(year=year, unit=unit_a, title="结婚登记")
    deliverable = svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.DISCLOSURES, by=liaison_a)
    svc.deliverable_review(deliverable=deliverable, by=office_user, accept=True)
    svc.deliverable_reopen(deliverable=deliverable, by=office_user, reason="承诺时限需再压缩")
    assert DisclosurePublication.objects.filter(unit=unit_a).count() == 1
    item = unit_a.disclosures.get()
    disclosure_save(year=year, unit=unit_a, item=item, data={"promised_days": 3})
    svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.DISCLOSURES, by=liaison_a)
    svc.deliverable_review(deliverable=deliverable, by=office_user, accept=True)
    assert DisclosurePublication.objects.filter(unit=unit_a).first().items[0]["promised_days"] == 3


def test_disclosures_changed_after_acceptance_are_marked_revised(year, unit_a, focus_a, liaison_a, office_user):
    item = DisclosureItemFactory(year=year, unit=unit_a, title="结婚登记")
    deliverable = svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.DISCLOSURES, by=liaison_a)
    svc.deliverable_review(deliverable=deliverable, by=office_user, accept=True)

    def revised():
        return {owed.kind: owed.revised for owed in svc.checklist(year=year, unit=unit_a)}[Kind.DISCLOSURES]

    assert not revised() and disclosures_revised(year=year, unit_ids=[unit_a.pk]) == set()
    disclosure_save(year=year, unit=unit_a, item=item, data={"title": "结婚登记（当场办结）"})
    assert revised() and disclosures_revised(year=year, unit_ids=[unit_a.pk]) == {unit_a.pk}
    disclosure_save(year=year, unit=unit_a, item=item, data={"title": "结婚登记"})  # back as accepted
    assert not revised()
    item.delete()
    assert revised()
