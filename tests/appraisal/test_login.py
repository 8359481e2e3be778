import pytest

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client, user):
    return client.post("/login/", {"username": user.username, "password": PASSWORD}, follow=True)


@pytest.mark.parametrize(
    ("user", "home"),
    [("office_user", "/office/"), ("leader_user", "/reports/dashboard/")],
)
def test_each_role_lands_on_its_home(client, request, user, home):
    response = log_in(client, request.getfixturevalue(user))
    assert response.redirect_chain[-1][0] == home
    assert response.status_code == 200


def test_a_liaison_lands_on_their_unit(client, liaison_a, unit_a):
    response = log_in(client, liaison_a)
    assert response.redirect_chain[-1][0] == f"/units/{unit_a.pk}/"
    assert unit_a.name in response.content.decode()


def test_a_liaison_of_several_units_chooses_one(client, liaison_a, unit_b):
    unit_b.memberships.create(user=liaison_a)
    response = log_in(client, liaison_a)
    assert response.redirect_chain[-1][0] == "/units/"


def test_an_account_without_a_role_is_told_whom_to_ask(client, outsider):
    response = log_in(client, outsider)
    assert response.status_code == 403
    assert "区行评办" in response.content.decode()


def test_a_wrong_password_gets_a_chinese_message(client, liaison_a):
    response = client.post("/login/", {"username": "liaison_a", "password": "wrong"})
    assert "请输入一个正确的" in response.content.decode()


def test_the_login_page_is_in_chinese(client):
    page = client.get("/login/").content.decode()
    assert '<html lang="zh-hans">' in page and "登录" in page


def test_logout_returns_to_login(client, liaison_a):
    client.force_login(liaison_a)
    response = client.post("/logout/")
    assert response.status_code == 302 and response.url == "/login/"


@pytest.mark.parametrize("user", ["leader_user", "liaison_a", "outsider"])
def test_the_office_home_is_the_offices_alone(client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/office/").status_code == 403


@pytest.mark.parametrize("user", ["liaison_a", "outsider"])
def test_the_dashboard_is_for_leaders_and_the_office(client, request, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/reports/dashboard/").status_code == 403
