import pytest

pytestmark = pytest.mark.django_db


def test_the_office_reads_problems_in_the_admin_but_changes_them_on_the_register_pages(
    client, office_user, year, unit_a, problem_of
):
    problem = problem_of(unit_a, description="窗口服务态度生硬")
    client.force_login(office_user)
    listing = client.get("/admin/selfcheck/problem/?q=态度")
    assert listing.status_code == 200 and "区民政局" in listing.content.decode()
    page = client.get(f"/admin/selfcheck/problem/{problem.pk}/change/")
    assert page.status_code == 200 and "窗口服务态度生硬" in page.content.decode()
    response = client.post(f"/admin/selfcheck/problem/{problem.pk}/change/", {"description": "改掉"})
    assert response.status_code == 403
    problem.refresh_from_db()
    assert problem.description == "窗口服务态度生硬"
    assert client.get("/admin/selfcheck/problem/add/").status_code == 403
