"""The deliverable page as a review page: what is handed in, who decided and when, the history; the office's
reopen and submit-for-the-unit actions; 已修改，待重新报送; the office's queue entries; the year a page shows."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from appraisal.services import appraisal_year_create
from units.models import Contact, Deliverable, DeliverableStep, Participation
from units.services import deliverables as svc
from units.services.disclosures import disclosure_save

from ..factories import (
    ContactFactory,
    DisclosureItemFactory,
    MembershipFactory,
    ServiceObjectFactory,
    SubUnitFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
Kind, Status = Deliverable.Kind, Deliverable.Status


def page_of(client, unit, kind, **params):
    return client.get(reverse("units:deliverable", args=[unit.pk, kind]), params)


def text(response):
    return response.content.decode()


# What is being reviewed, on the page itself


def test_the_contacts_are_on_the_page_masked_for_leaders(client_for, year, unit_a, focus_a, office_user, leader_user):
    ContactFactory(unit=unit_a, role=Contact.Role.GROUP_HEAD, name="王建国", phone="13912345678")
    page = text(page_of(client_for(office_user), unit_a, Kind.CONTACTS))
    assert 'id="under-review"' in page and "王建国" in page and "13912345678" in page
    page = text(page_of(client_for(leader_user), unit_a, Kind.CONTACTS))
    assert "王建国" in page and "13912345678" not in page and "139****5678" in page


def test_the_sub_units_and_the_service_object_count_are_on_the_page(client_for, year, office_user):
    school = UnitFactory(name="区属中小学", kind="industries")
    Participation.objects.create(year=year, unit=school, is_focus=True)
    SubUnitFactory(unit=school, name="秦淮区实验小学")
    SubUnitFactory(unit=school, name="已撤并的学校", is_active=False)
    ServiceObjectFactory.create_batch(37, year=year, unit=school)
    client = client_for(office_user)
    page = text(page_of(client, school, Kind.SUBUNITS))
    assert "秦淮区实验小学" in page and "已撤并的学校" not in page
    response = page_of(client, school, Kind.SERVICE_OBJECTS)
    assert response.context["reviewed"] == {"count": 37, "missing": 63, "minimum": 100}
    assert 'id="service-object-count"' in text(response) and "63" in text(response)


def test_the_disclosure_items_are_on_the_page(client_for, year, unit_a, focus_a, office_user):
    DisclosureItemFactory(year=year, unit=unit_a, title="最低生活保障审批", statutory_days=20, promised_days=10)
    page = text(page_of(client_for(office_user), unit_a, Kind.DISCLOSURES))
    assert "最低生活保障审批" in page


@pytest.fixture
def submitted(year, unit_a, focus_a, liaison_a):
    SubUnitFactory(unit=unit_a, name="婚姻登记处")
    return svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.SUBUNITS, by=liaison_a)


def test_once_decided_the_page_says_who_decided_and_when(client_for, submitted, unit_a, office_user, liaison_a):
    svc.deliverable_review(deliverable=submitted, by=office_user, accept=False, comment="请补充地址")
    response = page_of(client_for(liaison_a), unit_a, Kind.SUBUNITS)
    decision = response.context["decision"]
    assert (decision.action, decision.by) == (DeliverableStep.Action.RETURNED, office_user)
    page = text(response)
    assert 'id="decision"' in page and "office 于" in page and decision.at.strftime("%Y-%m-%d") in page
    assert "请补充地址" in page
    assert page.count("data-step=") == 2


# Who sees which action


def test_the_liaison_submits_and_the_office_sees_only_its_own_actions(client_for, year, unit_a, focus_a, liaison_a):
    SubUnitFactory(unit=unit_a)
    page = text(page_of(client_for(liaison_a), unit_a, Kind.SUBUNITS))
    assert reverse("units:deliverable_submit", args=[unit_a.pk, Kind.SUBUNITS]) in page
    assert 'id="submit-for-unit"' not in page and 'id="review"' not in page


def test_the_office_gets_submit_for_unit_review_and_reopen_in_turn(client_for, year, unit_a, focus_a, office_user):
    SubUnitFactory(unit=unit_a)
    client = client_for(office_user)
    page = text(page_of(client, unit_a, Kind.SUBUNITS))
    assert reverse("units:deliverable_submit", args=[unit_a.pk, Kind.SUBUNITS]) not in page
    assert 'id="submit-for-unit"' in page and 'id="reopen"' not in page

    url = reverse("units:deliverable_submit_for_unit", args=[unit_a.pk, Kind.SUBUNITS])
    response = client.post(url, {"reason": ""}, follow=True)
    assert str(svc.SUBMIT_FOR_UNIT_NEEDS_REASON) in text(response)
    response = client.post(url, {"reason": "单位送来纸质名单"}, follow=True)
    page = text(response)
    assert 'id="submitted-for-unit"' in page and "区行评办代为报送" in page and "单位送来纸质名单" in page
    assert 'id="review"' in page and 'id="submit-for-unit"' not in page

    deliverable = Deliverable.objects.get(unit=unit_a, kind=Kind.SUBUNITS)
    client.post(reverse("units:deliverable_review", args=[deliverable.pk]), {"decision": "accept"})
    page = text(page_of(client, unit_a, Kind.SUBUNITS))
    assert 'id="reopen"' in page and 'id="review"' not in page

    response = client.post(reverse("units:deliverable_reopen", args=[deliverable.pk]), {"reason": "", "then": "return"})
    deliverable.refresh_from_db()
    assert deliverable.status == Status.ACCEPTED
    response = client.post(
        reverse("units:deliverable_reopen", args=[deliverable.pk]),
        {"reason": "误点通过", "then": "return"},
        follow=True,
    )
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.comment) == (Status.RETURNED, "误点通过")
    assert "已重新打开，并已通知单位。" in text(response)


def test_the_office_posting_the_units_submit_is_refused(client_for, year, unit_a, focus_a, office_user):
    SubUnitFactory(unit=unit_a)
    url = reverse("units:deliverable_submit", args=[unit_a.pk, Kind.SUBUNITS])
    response = client_for(office_user).post(url, follow=True)
    assert str(svc.NOT_THE_UNIT) in text(response)
    assert not Deliverable.objects.filter(status=Status.SUBMITTED).exists()


@pytest.fixture
def accepted(submitted, office_user):
    return svc.deliverable_review(deliverable=submitted, by=office_user, accept=True)


@pytest.mark.parametrize(("user", "status"), [("leader_user", 403), ("liaison_a", 403), ("liaison_b", 404)])
def test_only_the_office_reopens(client_for, request, accepted, user, status):
    response = client_for(request.getfixturevalue(user)).post(
        reverse("units:deliverable_reopen", args=[accepted.pk]), {"reason": "误点", "then": "return"}
    )
    assert response.status_code == status
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED


@pytest.mark.parametrize(("user", "status"), [("leader_user", 403), ("liaison_a", 403), ("liaison_b", 404)])
def test_only_the_office_submits_for_a_unit(client_for, request, year, unit_a, focus_a, user, status):
    SubUnitFactory(unit=unit_a)
    url = reverse("units:deliverable_submit_for_unit", args=[unit_a.pk, Kind.SUBUNITS])
    assert client_for(request.getfixturevalue(user)).post(url, {"reason": "纸质"}).status_code == status
    assert not Deliverable.objects.filter(status=Status.SUBMITTED).exists()


# 已修改，待重新报送


def test_revised_disclosures_are_flagged_where_the_liaison_and_the_office_look(
    client_for, client, year, unit_a, focus_a, liaison_a, office_user
):
    item = DisclosureItemFactory(year=year, unit=unit_a, title="结婚登记", statutory_days=20, promised_days=5)
    deliverable = svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.DISCLOSURES, by=liaison_a)
    svc.deliverable_review(deliverable=deliverable, by=office_user, accept=True)
    flag = "已修改，待重新报送"
    assert flag not in text(client_for(office_user).get(reverse("units:deliverable_matrix")))

    disclosure_save(year=year, unit=unit_a, item=item, data={"promised_days": 1})
    for url in (
        reverse("units:deliverable_matrix"),
        reverse("units:deliverable", args=[unit_a.pk, Kind.DISCLOSURES]),
        reverse("units:disclosures", args=[unit_a.pk]),
    ):
        assert flag in text(client_for(office_user).get(url)), url
    liaison = client_for(liaison_a)
    for url in (reverse("units:detail", args=[unit_a.pk]), reverse("units:disclosures", args=[unit_a.pk])):
        assert flag in text(liaison.get(url)), url
    assert reverse("units:deliverable_submit", args=[unit_a.pk, Kind.DISCLOSURES]) in text(
        liaison.get(reverse("units:deliverable", args=[unit_a.pk, Kind.DISCLOSURES]))
    )

    client.logout()
    public = text(client.get(reverse("units:public_disclosures", args=[unit_a.pk])))
    assert "承诺 5 个工作日" in public and "承诺 1 个工作日" not in public
    assert "区行评办于 2026年7月1日 审核通过" in public


# The office's queue


def test_the_queue_counts_submissions_and_overdue_deliverables(
    client_for, year, unit_a, focus_a, office_user, submitted, time_machine
):
    config = apps.get_app_config("units")
    waiting, late = config.office_queue(year)
    assert (waiting.count, waiting.url, waiting.overdue) == (
        1,
        "/units/deliverables/?year=2026&status=submitted",
        False,
    )
    assert (late.count, late.overdue) == (0, True)

    time_machine.move_to("2026-07-13 09:00 +0800")
    _waiting, late = config.office_queue(year)
    assert late.count == 3  # plan, contacts, disclosures; the sub-units are submitted, the rest not due yet
    assert config.office_queue(None) == []

    rows = client_for(office_user).get(late.url).context["matrix"]
    assert [row.unit for row in rows] == [unit_a]
    rows = client_for(office_user).get(waiting.url).context["matrix"]
    assert [row.unit for row in rows] == [unit_a]


def _home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("office_home")).status_code == 200
    return len(queries)


def test_the_office_home_costs_the_same_queries_for_1_or_20_units(client_for, year, office_user, time_machine):
    time_machine.move_to("2026-07-20 09:00 +0800")
    client = client_for(office_user)

    def add_unit(n):
        unit = UnitFactory(name=f"单位{n}", kind="industries" if n % 2 else "departments")
        Participation.objects.create(year=year, unit=unit, is_focus=True)
        Deliverable.objects.create(year=year, unit=unit, kind=Kind.PLAN, status=Status.SUBMITTED)
        Deliverable.objects.create(year=year, unit=unit, kind=Kind.CONTACTS, status=Status.RETURNED, comment="缺")

    add_unit(0)
    _home_queries(client)  # warm caches (content types, sessions)
    one = _home_queries(client)
    for n in range(1, 20):
        add_unit(n)
    assert _home_queries(client) == one


# The year a page shows


def test_the_unit_page_and_the_deliverable_page_show_the_year_asked_for(
    client_for, year, unit_a, focus_a, liaison_a, time_machine
):
    earlier = appraisal_year_create(year=2025, focus="departments")
    Participation.objects.create(year=earlier, unit=unit_a, is_focus=True)
    SubUnitFactory(unit=unit_a)
    Deliverable.objects.create(year=earlier, unit=unit_a, kind=Kind.SUBUNITS, status=Status.ACCEPTED)
    client = client_for(liaison_a)

    response = client.get(reverse("units:detail", args=[unit_a.pk]), {"year": "2025"})
    assert response.context["year"] == earlier
    assert {o.kind: o.status for o in response.context["checklist"]}[Kind.SUBUNITS] == Status.ACCEPTED

    response = page_of(client, unit_a, Kind.SUBUNITS, year="2025")
    assert response.context["year"] == earlier and not response.context["can_submit"]
    assert reverse("units:deliverable_submit", args=[unit_a.pk, Kind.SUBUNITS]) not in text(response)

    response = client.get(reverse("units:detail", args=[unit_a.pk]), {"year": "1999"})
    assert response.context["year"] == year and "1999" in text(response)


def test_the_matrix_shows_the_year_asked_for(client_for, year, office_user):
    earlier = appraisal_year_create(year=2025, focus="departments")
    unit = UnitFactory(name="区城管局")
    Participation.objects.create(year=earlier, unit=unit, is_focus=True)
    rows = client_for(office_user).get(reverse("units:deliverable_matrix"), {"year": "2025"}).context["matrix"]
    assert [row.unit for row in rows] == [unit]
    assert client_for(office_user).get(reverse("units:deliverable_matrix")).context["matrix"] == []


def test_a_second_account_of_the_unit_submits_too(year, unit_a, focus_a):
    SubUnitFactory(unit=unit_a)
    other = MembershipFactory(user=UserFactory(username="minzheng2"), unit=unit_a).user
    assert svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.SUBUNITS, by=other).status == Status.SUBMITTED


def test_the_admin_shows_deliverables_read_only_with_their_history(client_for, accepted, office_user):
    client = client_for(office_user)
    response = client.get(reverse("admin:units_deliverable_change", args=[accepted.pk]))
    assert response.status_code == 200
    page = text(response)
    assert 'name="_save"' not in page and "审核通过" in page
    assert client.get(reverse("admin:units_deliverable_add")).status_code == 403


def test_the_register_is_not_submitted_for_a_unit_from_here(client_for, year, unit_a, focus_a, office_user):
    url = reverse("units:deliverable_submit_for_unit", args=[unit_a.pk, Kind.SELFCHECK_REGISTER])
    assert client_for(office_user).post(url, {"reason": "纸质"}).status_code == 404


def test_deliverables_handed_in_before_the_history_get_their_first_steps(year, unit_a, office_user, liaison_a):
    import importlib

    from django.apps import apps as registry

    migration = importlib.import_module("units.migrations.0006_deliverable_steps")
    at = year.deadlines.get(code="materials").due_date
    Deliverable.objects.create(
        year=year,
        unit=unit_a,
        kind=Kind.PLAN,
        status=Status.RETURNED,
        comment="缺进度安排",
        submitted_at=f"{at} 10:00+08:00",
        submitted_by=liaison_a,
        reviewed_at=f"{at} 15:00+08:00",
        reviewed_by=office_user,
    )
    Deliverable.objects.create(year=year, unit=unit_a, kind=Kind.CONTACTS)  # never handed in
    migration.record_past_steps(registry, None)
    assert list(DeliverableStep.objects.values_list("deliverable__kind", "action", "note", "by__username")) == [
        (Kind.PLAN, "submitted", "", "liaison_a"),
        (Kind.PLAN, "returned", "缺进度安排", "office"),
    ]
