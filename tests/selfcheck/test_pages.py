"""The register's pages as a liaison and the office use them."""

import datetime
import html

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisal import excel
from appraisal.models import AppraisalYear, EvaluationItem
from appraisal.roles import OFFICE_GROUP
from selfcheck.models import DUE_DATE_REQUIRED, Problem
from selfcheck.services import problem_create, problem_update, problem_withdraw
from selfcheck.services.problems import CANNOT_START, PROBLEM_CHANGED
from selfcheck.services.submission import REGISTER_EMPTY
from units.models import Deliverable
from units.services.deliverables import NOT_OWED, deliverable_review

from ..factories import SubUnitFactory, UserFactory
from .files import new_row, register_file

pytestmark = pytest.mark.django_db

Status = Problem.Status


def text(response):
    return html.unescape(response.content.decode())


def form_data(items, **fields):
    return {
        "source": "self_check",
        "found_on": "2026-07-28",
        "item": items["规范执法"].pk,
        "subunit": "",
        "description": "执法文书填写不规范",
        "cause": "培训不足",
        "measure": "组织专题培训",
        "disposition": "plan",
        "due_on": "2026-10-31",
        "responsible": "李明",
        "note": "",
    } | fields


# The register list


def test_the_register_page_has_a_fixed_number_of_queries(
    client, liaison_a, year, unit_a, window, problem_of, django_assert_num_queries
):
    client.force_login(liaison_a)
    problem_of(unit_a, subunit=window)
    with django_assert_num_queries(13):
        first = client.get(f"/selfcheck/units/{unit_a.pk}/")
    for number in range(40):
        problem_of(unit_a, subunit=SubUnitFactory(unit=unit_a) if number % 2 else None, source="letter")
    with django_assert_num_queries(13):
        many = client.get(f"/selfcheck/units/{unit_a.pk}/")
    assert first.status_code == many.status_code == 200
    assert many.context["page"].paginator.count == 41


def test_the_office_list_has_a_fixed_number_of_queries(
    client, office_user, year, unit_a, unit_b, problem_of, django_assert_num_queries
):
    client.force_login(office_user)
    problem_of(unit_a)
    with django_assert_num_queries(7):
        client.get("/selfcheck/")
    for _ in range(20):
        problem_of(unit_a)
        problem_of(unit_b)
    with django_assert_num_queries(7):
        client.get("/selfcheck/")


def test_the_register_filters(client, liaison_a, year, unit_a, window, items, problem_of):
    problem_of(unit_a, description="甲：窗口问题", subunit=window)
    problem_of(unit_a, description="乙：来信问题", source="letter", item=items["政务公开"], cause="")
    problem_of(unit_a, description="丙：已开始", status=Status.IN_PROGRESS)
    client.force_login(liaison_a)
    url = f"/selfcheck/units/{unit_a.pk}/"

    def shown(query):
        return sorted(p.description[0] for p in client.get(url, query).context["page"])

    assert shown({}) == ["丙", "乙", "甲"]
    assert shown({"subunit": window.pk}) == ["甲"]
    assert shown({"source": "letter"}) == ["乙"]
    assert shown({"item": items["政务公开"].pk}) == ["乙"]
    assert shown({"status": "in_progress"}) == ["丙"]
    assert shown({"q": "来信"}) == ["乙"]
    assert shown({"incomplete": "on"}) == ["乙"]
    assert shown({"status": "nonsense", "q": "窗口"}) == ["甲"]


def test_a_clear_message_when_there_is_no_year(client, liaison_a, unit_a):
    client.force_login(liaison_a)
    response = client.get(f"/selfcheck/units/{unit_a.pk}/")
    assert response.status_code == 200
    assert "selfcheck/no_year.html" in [t.name for t in response.templates]
    assert not AppraisalYear.objects.exists()


# Adding and editing online


def test_a_liaison_adds_a_problem(client, liaison_a, year, unit_a, items):
    client.force_login(liaison_a)
    response = client.post(f"/selfcheck/units/{unit_a.pk}/new/", form_data(items))
    problem = Problem.objects.get()
    assert response.status_code == 302 and response.url == f"/selfcheck/problems/{problem.pk}/"
    assert (problem.unit, problem.year, problem.item.name, problem.due_on, problem.created_by) == (
        unit_a,
        year,
        "规范执法",
        datetime.date(2026, 10, 31),
        liaison_a,
    )


def test_the_form_says_a_plan_needs_a_deadline(client, liaison_a, year, unit_a, items):
    client.force_login(liaison_a)
    response = client.post(f"/selfcheck/units/{unit_a.pk}/new/", form_data(items, due_on=""))
    assert response.status_code == 200
    assert str(DUE_DATE_REQUIRED) in text(response)
    assert not Problem.objects.exists()


def test_the_form_offers_only_the_units_items_and_sub_units(client, liaison_a, year, unit_a, unit_b, window):
    SubUnitFactory(unit=unit_b, name="公证处")
    client.force_login(liaison_a)
    form = client.get(f"/selfcheck/units/{unit_a.pk}/new/").context["form"]
    assert [s.name for s in form.fields["subunit"].queryset] == ["婚姻登记处"]
    assert {i.kind for i in form.fields["item"].queryset} == {unit_a.kind}


def test_an_edit_based_on_an_old_page_is_refused(client, liaison_a, year, unit_a, items, problem_of):
    problem = problem_of(unit_a)
    client.force_login(liaison_a)
    problem_update(problem=problem, by=None, note="别人刚改过")
    data = form_data(items, expected_version=1, note="我的修改")
    response = client.post(f"/selfcheck/problems/{problem.pk}/edit/", data)
    assert str(PROBLEM_CHANGED) in text(response)
    problem.refresh_from_db()
    assert problem.note == "别人刚改过"


def test_rectifying_from_the_page_with_evidence(client, liaison_a, year, unit_a, problem_of):
    problem = problem_of(unit_a)
    client.force_login(liaison_a)
    photo = SimpleUploadedFile("现场照片.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100)
    response = client.post(f"/selfcheck/problems/{problem.pk}/rectify/", {"note": "已整改到位", "evidence": photo})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.status, problem.evidence_kind, problem.evidence_name) == (Status.RECTIFIED, "jpg", "现场照片.jpg")
    page = text(client.get(f"/selfcheck/problems/{problem.pk}/"))
    assert f"/selfcheck/problems/{problem.pk}/evidence/" in page


def test_an_illegal_move_from_the_page_shows_the_reason(client, liaison_a, year, unit_a, problem_of):
    problem = problem_of(unit_a, status=Status.IN_PROGRESS)
    client.force_login(liaison_a)
    response = client.post(f"/selfcheck/problems/{problem.pk}/start/", follow=True)
    assert str(CANNOT_START) % {"status": Status.IN_PROGRESS.label} in text(response)


def test_only_the_office_sees_who_entered_a_problem(
    client, liaison_a, leader_user, office_user, year, unit_a, problem_of
):
    reviewer = UserFactory(username="reviewer-zhou", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=OFFICE_GROUP))
    problem = problem_create(
        year=year,
        unit=unit_a,
        source="inspection",
        found_on=datetime.date(2026, 8, 1),
        item=EvaluationItem.objects.filter(kind=unit_a.kind).first(),
        description="窗口无人",
        by=reviewer,
    )
    url = f"/selfcheck/problems/{problem.pk}/"
    for user in (liaison_a, leader_user):
        client.force_login(user)
        page = text(client.get(url))
        assert "reviewer-zhou" not in page and "区行评办" in page
    client.force_login(office_user)
    assert "区行评办（reviewer-zhou）" in text(client.get(url))


# Uploading


def test_the_upload_page_lists_every_error(client, liaison_a, year, unit_a):
    client.force_login(liaison_a)
    rows = [new_row(发现日期="昨天"), new_row(问题来源="", 评议内容="")]
    response = client.post(f"/selfcheck/units/{unit_a.pk}/upload/", {"file": register_file(rows)})
    errors = response.context["errors"]
    assert len(errors) == 3
    page = text(response)
    assert all(error in page for error in errors)
    assert not Problem.objects.exists()


def test_the_upload_page_shows_the_counts(client, liaison_a, year, unit_a):
    client.force_login(liaison_a)
    rows = [new_row(), new_row(问题描述="另一个问题")]
    response = client.post(f"/selfcheck/units/{unit_a.pk}/upload/", {"file": register_file(rows)})
    result = response.context["result"]
    assert (result.added, result.updated, result.unchanged) == (2, 0, 0)
    assert 'id="import-result"' in text(response)
    assert Problem.objects.filter(unit=unit_a, created_by=liaison_a).count() == 2


def test_a_20_mb_upload_is_refused_on_the_page(client, liaison_a, year, unit_a):
    client.force_login(liaison_a)
    big = SimpleUploadedFile("register.xlsx", b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024))
    response = client.post(f"/selfcheck/units/{unit_a.pk}/upload/", {"file": big})
    assert response.context["errors"] == [str(excel.FILE_TOO_LARGE) % {"size": 20.0, "limit": 10.0}]


# Submitting


def test_submitting_the_register(client, liaison_a, office_user, focus_a, year, problem_of):
    problem_of(focus_a)
    client.force_login(liaison_a)
    response = client.post(f"/selfcheck/units/{focus_a.pk}/submit/")
    assert response.status_code == 302
    deliverable = Deliverable.objects.get(unit=focus_a, kind=Deliverable.Kind.SELFCHECK_REGISTER)
    assert (deliverable.status, deliverable.submitted_by) == (Deliverable.Status.SUBMITTED, liaison_a)

    deliverable_review(deliverable=deliverable, by=office_user, accept=False, comment="请补充来信渠道的问题")
    page = text(client.get(f"/selfcheck/units/{focus_a.pk}/"))
    assert "请补充来信渠道的问题" in page and str(Deliverable.Status.RETURNED.label) in page


def test_an_empty_register_is_not_submitted(client, liaison_a, focus_a, year):
    client.force_login(liaison_a)
    response = client.post(f"/selfcheck/units/{focus_a.pk}/submit/", follow=True)
    assert str(REGISTER_EMPTY) in text(response)
    assert not Deliverable.objects.filter(status=Deliverable.Status.SUBMITTED).exists()


def test_a_register_with_incomplete_problems_is_not_submitted(client, liaison_a, focus_a, year, problem_of):
    complete = problem_of(focus_a)
    missing_cause, missing_disposition = problem_of(focus_a, cause=""), problem_of(focus_a, disposition="")
    client.force_login(liaison_a)
    response = client.post(f"/selfcheck/units/{focus_a.pk}/submit/", follow=True)
    # Named by their 序号 in the register (2 and 3: the first problem is complete), each with what it lacks.
    assert "2 个问题尚缺区行评办所需内容：序号 2（缺原因分析）；序号 3（缺整改类别）。" in text(response)
    assert not Deliverable.objects.filter(status=Deliverable.Status.SUBMITTED).exists()
    # The register marks them, says how many and offers to list them alone.
    page = client.get(f"/selfcheck/units/{focus_a.pk}/")
    assert page.context["incomplete_count"] == 2
    marked = [p.pk for p in page.context["page"] if p.is_incomplete]
    assert marked == [missing_cause.pk, missing_disposition.pk] and complete.pk not in marked
    assert f'id="problem-{missing_cause.pk}" data-number="2" data-incomplete' in text(page)
    assert "缺：原因分析" in text(page)


def test_a_withdrawn_problem_does_not_block_the_submission(client, liaison_a, focus_a, year, problem_of, office_user):
    problem_of(focus_a)
    withdrawn = problem_of(focus_a, cause="")
    problem_withdraw(problem=withdrawn, by=office_user, reason="误转")
    client.force_login(liaison_a)
    client.post(f"/selfcheck/units/{focus_a.pk}/submit/")
    assert Deliverable.objects.get(unit=focus_a).status == Deliverable.Status.SUBMITTED


def test_a_unit_that_is_not_a_focus_unit_does_not_submit(client, liaison_a, unit_a, year, problem_of):
    problem_of(unit_a)
    client.force_login(liaison_a)
    page = client.get(f"/selfcheck/units/{unit_a.pk}/")
    assert page.context["submission"] is None
    response = client.post(f"/selfcheck/units/{unit_a.pk}/submit/", follow=True)
    assert str(NOT_OWED) in text(response)


def test_a_missing_year_is_said_and_the_current_year_shown(client, liaison_a, office_user, year, unit_a, problem_of):
    problem_of(unit_a, description="本年度问题")
    client.force_login(liaison_a)
    page = text(client.get(f"/selfcheck/units/{unit_a.pk}/?year=1999"))
    assert 'id="year-error"' in page and "1999" in page and "本年度问题" in page
    client.force_login(office_user)
    page = text(client.get("/selfcheck/?year=1999"))
    assert 'id="year-error"' in page and "本年度问题" in page
    assert 'id="year-error"' not in text(client.get("/selfcheck/?year=2026"))
