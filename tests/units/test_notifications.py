"""Notifications: a hand-off told to a unit (its page, its addresses) or to one person (their home, their email)."""

import pytest
from django.core import mail
from django.urls import reverse

from units.models import Contact, Notification
from units.services.notifications import notification_send

from ..factories import ContactFactory, UserFactory


@pytest.fixture
def addressed_unit(unit_a, liaison_a):
    liaison_a.email = "liaison@example.gov.cn"
    liaison_a.save()
    ContactFactory(unit=unit_a, role=Contact.Role.LIAISON, email="lianluo@example.gov.cn")
    ContactFactory(unit=unit_a, role=Contact.Role.GROUP_HEAD, email="head@example.gov.cn")
    return unit_a


def test_a_unit_is_told_on_its_page_and_by_email_after_commit(
    addressed_unit, liaison_a, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(unit=addressed_unit, title="材料已退回", body="请补充联系人", url="/units/1/")
        assert mail.outbox == []  # nothing leaves before the change is committed

    notification = Notification.objects.get()
    assert sorted(notification.emailed_to) == ["liaison@example.gov.cn", "lianluo@example.gov.cn"]
    [email] = mail.outbox
    assert email.subject == "材料已退回"
    assert "请补充联系人" in email.body
    assert "head@example.gov.cn" not in email.to  # the leadership-group head is copied on overdue notices only

    page = client_for(liaison_a).get(reverse("units:detail", args=[addressed_unit.pk])).content.decode()
    assert "材料已退回" in page and "请补充联系人" in page


def test_a_person_is_told_on_their_own(db, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://pingyi.example.gov.cn"
    user = UserFactory(email="zhang@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=user, title="明查暗访登记已退回", body="请补充照片", url="/inspections/3/")
    [email] = mail.outbox
    assert email.to == ["zhang@example.com"]
    assert "https://pingyi.example.gov.cn/inspections/3/" in email.body
    assert Notification.objects.get().user == user


def test_without_an_address_the_page_still_tells(db, django_capture_on_commit_callbacks):
    user = UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=user, title="已退回")
    assert mail.outbox == [] and Notification.objects.get().emailed_to == []


def test_a_notification_has_exactly_one_receiver(unit_a):
    with pytest.raises(ValueError):
        notification_send(title="?")
    with pytest.raises(ValueError):
        notification_send(title="?", unit=unit_a, user=UserFactory())


def test_another_unit_never_sees_it(addressed_unit, liaison_b, unit_b, client_for):
    notification_send(unit=addressed_unit, title="只给民政局")
    page = client_for(liaison_b).get(reverse("units:detail", args=[unit_b.pk])).content.decode()
    assert "只给民政局" not in page
