"""Every register page: 404 for what a user may not see, 403 for what they may see but not change."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from selfcheck.models import Problem
from selfcheck.services import problem_rectify

from .files import register_file

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture
def pages(year, unit_b, problem_of):
    """unit_b's pages: (url, method, changes data)."""
    problem = problem_of(unit_b)
    rectified = problem_of(unit_b)
    problem_rectify(problem=rectified, by=None, note="已整改", evidence=SimpleUploadedFile("a.png", PNG))
    unit, p, r = unit_b.pk, problem.pk, rectified.pk
    return {
        "register": (f"/selfcheck/units/{unit}/", "get", False),
        "template": (f"/selfcheck/units/{unit}/template.xlsx", "get", False),
        "export": (f"/selfcheck/units/{unit}/export.xlsx", "get", False),
        "problem_detail": (f"/selfcheck/problems/{p}/", "get", False),
        "evidence": (f"/selfcheck/problems/{r}/evidence/", "get", False),
        "problem_create": (f"/selfcheck/units/{unit}/new/", "get", True),
        "upload": (f"/selfcheck/units/{unit}/upload/", "get", True),
        "submit": (f"/selfcheck/units/{unit}/submit/", "post", True),
        "problem_update": (f"/selfcheck/problems/{p}/edit/", "get", True),
        "problem_start": (f"/selfcheck/problems/{p}/start/", "post", True),
        "problem_rectify": (f"/selfcheck/problems/{p}/rectify/", "get", True),
        "problem_explain": (f"/selfcheck/problems/{p}/explain/", "get", True),
        "problem_verify": (f"/selfcheck/problems/{r}/verify/", "post", True),
    }


PAGES = [
    "register",
    "template",
    "export",
    "problem_detail",
    "evidence",
    "problem_create",
    "upload",
    "submit",
    "problem_update",
    "problem_start",
    "problem_rectify",
    "problem_explain",
    "problem_verify",
]
CHANGING = [
    "problem_create",
    "upload",
    "submit",
    "problem_update",
    "problem_start",
    "problem_rectify",
    "problem_explain",
    "problem_verify",
]


def visit(client, pages, page):
    url, method, _ = pages[page]
    return getattr(client, method)(url)


def unchanged(before):
    return list(Problem.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("user", ["liaison_a", "outsider"])
def test_another_units_register_is_not_found(client, request, pages, page, user):
    client.force_login(request.getfixturevalue(user))
    before = list(Problem.objects.order_by("pk").values())
    assert visit(client, pages, page).status_code == 404
    url = pages[page][0]
    assert client.post(url, {"description": "x", "note": "x"}).status_code in (404, 405)
    assert unchanged(before)


def test_uploading_into_another_unit_is_not_found(client, liaison_a, pages, unit_b):
    client.force_login(liaison_a)
    response = client.post(f"/selfcheck/units/{unit_b.pk}/upload/", {"file": register_file([])})
    assert response.status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_leaders_read_everything_and_change_nothing(client, leader_user, pages, page):
    client.force_login(leader_user)
    before = list(Problem.objects.order_by("pk").values())
    assert visit(client, pages, page).status_code == (403 if page in CHANGING else 200)
    if page in CHANGING:
        assert client.post(pages[page][0], {"note": "x"}).status_code == 403
    assert unchanged(before)


@pytest.mark.parametrize("page", [p for p in PAGES if p not in ("submit", "problem_start", "problem_verify")])
@pytest.mark.parametrize("user", ["liaison_b", "office_user"])
def test_the_units_liaison_and_the_office_may_open_every_page(client, request, pages, page, user):
    client.force_login(request.getfixturevalue(user))
    assert visit(client, pages, page).status_code == 200


def test_only_the_office_verifies(client, liaison_b, office_user, pages):
    client.force_login(liaison_b)
    assert visit(client, pages, "problem_verify").status_code == 403
    client.force_login(office_user)
    response = visit(client, pages, "problem_verify")
    assert response.status_code == 302
    assert Problem.objects.filter(status=Problem.Status.VERIFIED).count() == 1


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_users_are_sent_to_login(client, pages, page):
    response = visit(client, pages, page)
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_the_office_list_sends_a_liaison_to_their_register(client, liaison_a, unit_a, year):
    client.force_login(liaison_a)
    response = client.get("/selfcheck/")
    assert response.status_code == 302 and response.url == f"/selfcheck/units/{unit_a.pk}/"


def test_the_office_list_is_not_found_for_a_user_without_a_unit(client, outsider, year):
    client.force_login(outsider)
    assert client.get("/selfcheck/").status_code == 404


@pytest.mark.parametrize("user", ["office_user", "leader_user"])
def test_the_office_and_leaders_see_every_units_problems(client, request, year, unit_a, unit_b, problem_of, user):
    mine, theirs = problem_of(unit_a, description="民政问题甲"), problem_of(unit_b, description="司法问题乙")
    client.force_login(request.getfixturevalue(user))
    page = client.get("/selfcheck/").content.decode()
    assert mine.description in page and theirs.description in page
    page = client.get(f"/selfcheck/?unit={unit_b.pk}").content.decode()
    assert mine.description not in page and theirs.description in page


def test_the_evidence_is_downloaded_as_an_attachment(client, liaison_b, pages):
    client.force_login(liaison_b)
    response = visit(client, pages, "evidence")
    assert response["Content-Disposition"] == 'attachment; filename="a.png"'
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
