import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from units.models import DisclosureItem, ServiceObject
from units.services import disclosures, service_objects
from units.services.deliverables import deliverable_submit

from ..excel_files import workbook_bytes
from ..factories import DisclosureItemFactory, ServiceObjectFactory

pytestmark = pytest.mark.django_db

DISCLOSURE_HEADERS = [c.header for c in disclosures.DISCLOSURE_SHEET.columns]
SERVICE_HEADERS = [c.header for c in service_objects.SERVICE_OBJECT_SHEET.columns]


def test_the_database_refuses_a_promise_longer_than_the_statutory_limit(year, unit_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureItem.objects.create(
            year=year, unit=unit_a, kind="time_limit", title="低保审批", statutory_days=10, promised_days=15
        )


def test_the_form_says_which_fields_a_kind_needs_and_refuses_a_long_promise(client, year, unit_a, liaison_a):
    client.force_login(liaison_a)
    response = client.post(f"/units/{unit_a.pk}/disclosures/new/", {"kind": "fee", "title": "工本费"})
    assert response.context["form"].errors == {
        "fee_standard": [str(disclosures.FIELD_REQUIRED)],
        "legal_basis": [str(disclosures.FIELD_REQUIRED)],
    }
    response = client.post(
        f"/units/{unit_a.pk}/disclosures/new/",
        {
            "kind": "time_limit",
            "title": "低保审批",
            "statutory_days": 10,
            "promised_days": 15,
        },
    )
    assert "承诺办结时限不能长于法定办结时限" in response.content.decode()
    response = client.post(
        f"/units/{unit_a.pk}/disclosures/new/",
        {
            "kind": "time_limit",
            "title": "低保审批",
            "statutory_days": 30,
            "promised_days": 10,
        },
    )
    assert response.status_code == 302
    assert DisclosureItem.objects.get().promised_days == 10


def test_disclosures_upload_validates_every_row_and_writes_all_or_nothing(year, unit_a):
    rows = [
        DISCLOSURE_HEADERS,
        ["办结时限", "最低生活保障审批", "", "", 30, 10, "", "", "", ""],
        ["收费项目", "证书工本费", "", "", "", "", "", "", "", ""],
        ["办结时限", "临时救助", "", "", 5, 7, "", "", "", ""],
    ]
    with pytest.raises(ValidationError) as error:
        disclosures.disclosures_import(year=year, unit=unit_a, upload=workbook_bytes({"公开承诺事项": rows}))
    assert error.value.messages == [
        "工作表「公开承诺事项」第 3 行，第 D 列（法定依据）：本类事项必须填写。",
        "工作表「公开承诺事项」第 3 行，第 G 列（收费标准）：本类事项必须填写。",
        "工作表「公开承诺事项」第 4 行，第 F 列（承诺办结时限（工作日））：承诺时限（7）长于法定时限（5）。",
    ]
    assert not DisclosureItem.objects.exists()

    rows[2][3], rows[2][6], rows[3][5] = "《收费管理办法》", "10元/本", 3
    result = disclosures.disclosures_import(year=year, unit=unit_a, upload=workbook_bytes({"公开承诺事项": rows}))
    assert result == {"created": 3, "updated": 0}
    again = disclosures.disclosures_import(year=year, unit=unit_a, upload=workbook_bytes({"公开承诺事项": rows}))
    assert again == {"created": 0, "updated": 3} and DisclosureItem.objects.count() == 3


def test_disclosures_cannot_change_while_the_office_reviews_them(year, unit_a, focus_a, liaison_a):
    item = DisclosureItemFactory(year=year, unit=unit_a)
    deliverable_submit(year=year, unit=unit_a, kind="disclosures", by=liaison_a)
    with pytest.raises(ValidationError) as error:
        disclosures.disclosure_delete(item=item)
    assert error.value.messages == [str(disclosures.UNDER_REVIEW)]


def test_service_objects_upload_adds_updates_and_counts(year, unit_a):
    rows = [
        SERVICE_HEADERS,
        ["张三", "个体户", "秦淮区长乐路1号", "13912345678", "", "zs@example.cn"],
        ["南京某某餐饮有限公司", "", "秦淮区中华路5号", "025-84561111", "025-84561112", ""],
    ]
    assert service_objects.service_objects_import(
        year=year, unit=unit_a, upload=workbook_bytes({"服务对象": rows})
    ) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
    }
    rows[1][1] = "教师"
    assert service_objects.service_objects_import(
        year=year, unit=unit_a, upload=workbook_bytes({"服务对象": rows})
    ) == {
        "created": 0,
        "updated": 1,
        "unchanged": 1,
    }
    assert ServiceObject.objects.get(name="张三").occupation == "教师"


def test_service_objects_upload_reports_bad_rows_and_writes_nothing(year, unit_a):
    rows = [SERVICE_HEADERS, ["张三", "", "", "打电话", "", ""], ["", "", "", "13900000000", "", "bad"]]
    with pytest.raises(ValidationError) as error:
        service_objects.service_objects_import(year=year, unit=unit_a, upload=workbook_bytes({"服务对象": rows}))
    assert len(error.value.messages) == 3
    assert not ServiceObject.objects.exists()


def test_phones_and_emails_are_masked_for_leaders_only(client, year, unit_a, liaison_a, leader_user, office_user):
    ServiceObjectFactory(year=year, unit=unit_a, phone="13912345678", email="zhang@example.cn")
    url = f"/units/{unit_a.pk}/service-objects/"
    client.force_login(leader_user)
    page = client.get(url).content.decode()
    assert "139****5678" in page and "z***@example.cn" in page and "13912345678" not in page
    for user in (liaison_a, office_user):
        client.force_login(user)
        assert "13912345678" in client.get(url).content.decode()


def test_the_page_says_how_many_service_objects_are_missing(client, year, unit_a, liaison_a):
    ServiceObjectFactory.create_batch(3, year=year, unit=unit_a)
    client.force_login(liaison_a)
    assert "还需 97 份" in client.get(f"/units/{unit_a.pk}/service-objects/").content.decode()


def test_the_office_exports_service_objects_as_text_safe_excel(client, year, unit_a, office_user):
    import io

    import openpyxl

    ServiceObjectFactory(year=year, unit=unit_a, name='=HYPERLINK("http://x","y")', phone="13900000000")
    client.force_login(office_user)
    response = client.get(f"/units/{unit_a.pk}/service-objects/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["服务对象"]
    assert [c.value for c in sheet[1]] == SERVICE_HEADERS
    assert sheet["A2"].value == '=HYPERLINK("http://x","y")' and sheet["A2"].data_type == "s"


def test_mask_phone_and_email():
    assert service_objects.mask_phone("025-84561234") == "025*****1234"
    assert service_objects.mask_phone("1234") == "****"
    assert service_objects.mask_email("a@b.cn") == "a***@b.cn"


def test_the_matrix_shows_every_focus_unit_and_filters(client, year, unit_a, unit_b, focus_a, office_user, liaison_a):
    from units.models import Participation

    Participation.objects.create(year=year, unit=unit_b, is_focus=False)
    client.force_login(office_user)
    page = client.get("/units/deliverables/").content.decode()
    assert unit_a.name in page and unit_b.name in page
    assert "未报送" in page
    page = client.get("/units/deliverables/?focus=1").content.decode()
    assert unit_a.name in page and unit_b.name not in page


def test_the_matrix_query_count_does_not_grow(client, year, office_user, django_assert_num_queries):
    from units.models import Participation

    from ..factories import UnitFactory

    client.force_login(office_user)
    for _ in range(2):
        Participation.objects.create(year=year, unit=UnitFactory(), is_focus=True)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/units/deliverables/")
    for _ in range(20):
        Participation.objects.create(year=year, unit=UnitFactory(), is_focus=True)
    with django_assert_num_queries(len(few)):
        client.get("/units/deliverables/")
