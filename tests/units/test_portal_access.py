"""Every scoped page of the unit portal: 404 for another unit's liaison and outsiders, 403 for leaders where
they may read but not change, and the office's own exports closed to everyone else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from units.models import Deliverable
from units.services import deliverables as svc

from ..factories import DisclosureItemFactory, ServiceObjectFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def pages(year, unit_b, focus_b, liaison_b, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = DisclosureItemFactory(year=year, unit=unit_b)
    service_object = ServiceObjectFactory(year=year, unit=unit_b)
    attachment = svc.deliverable_file_add(
        year=year, unit=unit_b, kind="plan", upload=SimpleUploadedFile("方案.pdf", PDF), by=liaison_b
    )
    deliverable = Deliverable.objects.get(unit=unit_b, kind="plan")
    u = unit_b.pk
    read = [
        f"/units/{u}/deliverables/plan/",
        f"/units/files/{attachment.pk}/",
        f"/units/{u}/disclosures/",
        f"/units/{u}/service-objects/",
    ]
    write = [
        f"/units/{u}/deliverables/plan/upload/",
        f"/units/{u}/deliverables/plan/submit/",
        f"/units/files/{attachment.pk}/delete/",
        f"/units/{u}/disclosures/new/",
        f"/units/disclosures/{item.pk}/edit/",
        f"/units/disclosures/{item.pk}/delete/",
        f"/units/{u}/disclosures/upload/",
        f"/units/{u}/disclosures/template.xlsx",
        f"/units/{u}/service-objects/new/",
        f"/units/service-objects/{service_object.pk}/edit/",
        f"/units/service-objects/{service_object.pk}/delete/",
        f"/units/{u}/service-objects/upload/",
        f"/units/{u}/service-objects/template.xlsx",
    ]
    office_only = [f"/units/{u}/service-objects/export.xlsx", f"/units/deliverables/{deliverable.pk}/review/"]
    return read, write, office_only


def status(client, url):
    post_only = url.endswith(("/submit/", "/review/", "/plan/upload/")) or (
        url.startswith("/units/files/") and url.endswith("/delete/")
    )
    return (client.post if post_only else client.get)(url).status_code


@pytest.mark.parametrize("user", ["liaison_a", "outsider"])
def test_another_units_portal_is_not_found(client, request, pages, user):
    client.force_login(request.getfixturevalue(user))
    read, write, office_only = pages
    for url in read + write + office_only:
        assert status(client, url) == 404, url


def test_leaders_read_but_may_not_change(client, leader_user, pages):
    client.force_login(leader_user)
    read, write, office_only = pages
    for url in read:
        assert status(client, url) == 200, url
    for url in write + office_only:
        assert status(client, url) == 403, url


def test_the_units_liaison_uses_its_portal_but_not_the_office_tools(client, liaison_b, pages):
    client.force_login(liaison_b)
    read, write, office_only = pages
    for url in read:
        assert status(client, url) == 200, url
    for url in office_only:
        assert status(client, url) == 403, url


def test_the_office_opens_everything(client, office_user, pages):
    client.force_login(office_user)
    read, write, office_only = pages
    for url in read + [office_only[0]]:
        assert status(client, url) == 200, url


def test_anonymous_users_are_sent_to_login(client, pages):
    read, write, office_only = pages
    for url in read + write + office_only:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url


@pytest.mark.parametrize("user", ["liaison_a", "outsider"])
def test_the_matrix_is_for_the_office_and_leaders(client, request, year, user):
    client.force_login(request.getfixturevalue(user))
    assert client.get("/units/deliverables/").status_code == 404
