import pytest

from units.models import Contact, SubUnit

from ..factories import ContactFactory, SubUnitFactory

pytestmark = pytest.mark.django_db


def test_a_liaison_edits_a_contact(client, liaison_a, unit_a):
    contact = ContactFactory(unit=unit_a, name="刘海燕", phone="025-84560001")
    client.force_login(liaison_a)
    response = client.post(
        f"/units/contacts/{contact.pk}/edit/",
        {
            "role": "liaison",
            "name": "刘海燕",
            "title": "科长",
            "phone": "025-84569999 转 8001",
            "fax": "",
            "address": "瑞金路1号",
            "email": "lhy@qinhuai.gov.cn",
        },
    )
    assert response.status_code == 302 and response.url == f"/units/{unit_a.pk}/"
    contact.refresh_from_db()
    assert (contact.title, contact.phone) == ("科长", "025-84569999 转 8001")
    assert "已保存" in client.get(response.url).content.decode()


def test_a_bad_phone_is_refused_with_a_message_that_says_what_to_write(client, liaison_a, unit_a):
    client.force_login(liaison_a)
    response = client.post(f"/units/{unit_a.pk}/contacts/new/", {"role": "liaison", "name": "刘", "phone": "call me"})
    assert response.status_code == 200
    assert "只能使用数字" in response.content.decode()
    assert not Contact.objects.exists()


def test_a_second_sub_unit_of_the_same_name_is_refused(client, liaison_a, unit_a):
    SubUnitFactory(unit=unit_a, name="婚姻登记处")
    client.force_login(liaison_a)
    response = client.post(
        f"/units/{unit_a.pk}/subunits/new/", {"kind": "office", "name": "婚姻登记处", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "已有同名的基层站所" in response.content.decode()
    assert SubUnit.objects.filter(unit=unit_a).count() == 1


def test_deleting_a_sub_unit_asks_first(client, liaison_a, unit_a):
    subunit = SubUnitFactory(unit=unit_a, name="旧窗口")
    client.force_login(liaison_a)
    assert "确定删除" in client.get(f"/units/subunits/{subunit.pk}/delete/").content.decode()
    assert SubUnit.objects.filter(pk=subunit.pk).exists()
    client.post(f"/units/subunits/{subunit.pk}/delete/")
    assert not SubUnit.objects.filter(pk=subunit.pk).exists()


def test_the_unit_page_has_a_fixed_number_of_queries(client, liaison_a, unit_a, django_assert_max_num_queries):
    client.force_login(liaison_a)
    for _ in range(20):
        SubUnitFactory(unit=unit_a)
        ContactFactory(unit=unit_a)
    with django_assert_max_num_queries(12):
        client.get(f"/units/{unit_a.pk}/")
