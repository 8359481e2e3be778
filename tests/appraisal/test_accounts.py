import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def test_the_groups_exist_after_migrate_with_their_permissions():
    office, leaders = Group.objects.get(name="office"), Group.objects.get(name="leaders")
    office_perms = set(office.permissions.values_list("content_type__app_label", "codename"))
    assert ("units", "change_unit") in office_perms and ("auth", "add_user") in office_perms
    assert ("auth", "change_group") not in office_perms
    assert set(leaders.permissions.values_list("codename", flat=True)) >= {"view_unit", "view_deadline"}
    assert not leaders.permissions.exclude(codename__startswith="view_").exists()


def test_the_office_manages_accounts_but_cannot_grant_superuser_rights(client, office_user, liaison_a):
    client.force_login(office_user)
    page = client.get(f"/admin/auth/user/{liaison_a.pk}/change/").content.decode()
    assert 'name="groups"' in page
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert client.get("/admin/auth/group/").status_code == 403
