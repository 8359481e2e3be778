import datetime
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat

from appraisal.services import appraisal_year_create
from appraisal.uploads import DOCUMENT_KINDS, UPLOAD_TOO_LARGE, UPLOAD_WRONG_TYPE
from units.models import Deliverable, DeliverableFile, Participation
from units.services import deliverables as svc

from ..factories import ContactFactory, DisclosureItemFactory, ServiceObjectFactory, SubUnitFactory, UnitFactory

pytestmark = pytest.mark.django_db
Kind, Status = Deliverable.Kind, Deliverable.Status

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def kinds(year, unit):
    return [owed.kind for owed in svc.checklist(year=year, unit=unit)]


def test_what_a_unit_owes_follows_focus_and_kind(year):
    school = UnitFactory(kind="industries")
    bureau = UnitFactory(kind="departments")
    quiet = UnitFactory(kind="industries")
    Participation.objects.create(year=year, unit=school, is_focus=True)
    Participation.objects.create(year=year, unit=bureau, is_focus=True)
    Participation.objects.create(year=year, unit=quiet, is_focus=False)

    assert kinds(year, school) == [
        Kind.PLAN,
        Kind.CONTACTS,
        Kind.SUBUNITS,
        Kind.SERVICE_OBJECTS,
        Kind.DISCLOSURES,
        Kind.SELFCHECK_REGISTER,
        Kind.ANNUAL_SUMMARY,
    ]
    assert Kind.SERVICE_OBJECTS not in kinds(year, bureau)
    assert kinds(year, quiet) == []


def test_focus_departments_send_service_objects_the_following_year(year):
    bureau = UnitFactory(kind="departments")
    Participation.objects.create(year=year, unit=bureau, is_focus=True)
    next_year = appraisal_year_create(year=2027)
    Participation.objects.create(year=next_year, unit=bureau, is_focus=False)
    assert kinds(next_year, bureau) == [Kind.SERVICE_OBJECTS]


def test_due_dates_and_overdue_days_come_from_the_calendar(year, unit_a, focus_a, time_machine):
    time_machine.move_to("2026-07-13 09:00 +0800")
    owed = {o.kind: o for o in svc.checklist(year=year, unit=unit_a)}
    assert owed[Kind.PLAN].due_date == datetime.date(2026, 7, 10)
    assert owed[Kind.PLAN].days_overdue == 3
    assert owed[Kind.SELFCHECK_REGISTER].due_date == datetime.date(2026, 8, 25)
    assert owed[Kind.SELFCHECK_REGISTER].days_overdue == 0
    assert owed[Kind.ANNUAL_SUMMARY].due_date == datetime.date(2026, 11, 15)


def test_incomplete_deliverables_are_refused_with_what_is_missing(year, unit_a, focus_a, liaison_a):
    unit_a.kind = "industries"  # a focus industry owes the 100 service objects this year
    unit_a.save()
    ContactFactory(unit=unit_a, role="liaison")
    with pytest.raises(ValidationError) as error:
        svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.CONTACTS, by=liaison_a)
    assert error.value.messages == [str(svc.CONTACTS_MISSING) % {"roles": "领导小组组长、办公室负责人"}]
    for kind, message in [
        (Kind.PLAN, svc.NEEDS_FILE),
        (Kind.SUBUNITS, svc.NO_SUBUNITS),
        (Kind.DISCLOSURES, svc.NO_DISCLOSURES),
    ]:
        with pytest.raises(ValidationError) as error:
            svc.deliverable_submit(year=year, unit=unit_a, kind=kind, by=liaison_a)
        assert error.value.messages == [str(message)]
    ServiceObjectFactory.create_batch(98, year=year, unit=unit_a)
    with pytest.raises(ValidationError) as error:
        svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.SERVICE_OBJECTS, by=liaison_a)
    assert error.value.messages == [str(svc.TOO_FEW_SERVICE_OBJECTS) % {"count": 98, "missing": 2, "minimum": 100}]
    assert Deliverable.objects.filter(status=Status.SUBMITTED).count() == 0


def test_submit_review_return_and_resubmit(year, unit_a, focus_a, liaison_a, office_user):
    SubUnitFactory(unit=unit_a)
    deliverable = svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.SUBUNITS, by=liaison_a)
    assert (deliverable.status, deliverable.submitted_by) == (Status.SUBMITTED, liaison_a)
    with pytest.raises(ValidationError) as error:
        svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.SUBUNITS, by=liaison_a)
    assert error.value.messages == [str(svc.ALREADY_SUBMITTED)]

    with pytest.raises(ValidationError) as error:
        svc.deliverable_review(deliverable=deliverable, by=office_user, accept=False, comment=" ")
    assert error.value.messages == [str(svc.RETURN_NEEDS_COMMENT)]
    returned = svc.deliverable_review(deliverable=deliverable, by=office_user, accept=False, comment="缺少地址")
    assert (returned.status, returned.comment, returned.reviewed_by) == (Status.RETURNED, "缺少地址", office_user)

    svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.SUBUNITS, by=liaison_a)
    accepted = svc.deliverable_review(deliverable=deliverable, by=office_user, accept=True)
    assert accepted.status == Status.ACCEPTED
    with pytest.raises(ValidationError) as error:
        svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.SUBUNITS, by=liaison_a)
    assert error.value.messages == [str(svc.ALREADY_ACCEPTED)]


def test_a_unit_cannot_submit_what_it_does_not_owe(year, unit_a, liaison_a):
    Participation.objects.create(year=year, unit=unit_a, is_focus=False)
    with pytest.raises(ValidationError) as error:
        svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.PLAN, by=liaison_a)
    assert error.value.messages == [str(svc.NOT_OWED)]


def test_files_are_checked_by_content_and_stored_under_random_names(
    year, unit_a, focus_a, liaison_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    attachment = svc.deliverable_file_add(
        year=year,
        unit=unit_a,
        kind=Kind.PLAN,
        upload=SimpleUploadedFile("民政局实施方案.docx", docx_bytes()),
        by=liaison_a,
    )
    assert attachment.file_kind == "docx" and attachment.original_name == "民政局实施方案.docx"
    assert "民政" not in attachment.file.name and attachment.file.name.startswith("deliverables/2026/")

    with pytest.raises(ValidationError) as error:
        svc.deliverable_file_add(
            year=year,
            unit=unit_a,
            kind=Kind.PLAN,
            upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary"),
            by=liaison_a,
        )
    assert error.value.messages == [str(UPLOAD_WRONG_TYPE) % {"kinds": "、".join(DOCUMENT_KINDS), "name": "virus.pdf"}]

    settings.DOCUMENT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as error:
        svc.deliverable_file_add(
            year=year, unit=unit_a, kind=Kind.PLAN, upload=SimpleUploadedFile("a.pdf", PDF), by=liaison_a
        )
    assert error.value.messages == [
        str(UPLOAD_TOO_LARGE) % {"size": filesizeformat(len(PDF)), "limit": filesizeformat(10)}
    ]
    assert DeliverableFile.objects.count() == 1


def test_files_are_locked_once_submitted(year, unit_a, focus_a, liaison_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    attachment = svc.deliverable_file_add(
        year=year, unit=unit_a, kind=Kind.PLAN, upload=SimpleUploadedFile("方案.pdf", PDF), by=liaison_a
    )
    svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.PLAN, by=liaison_a)
    with pytest.raises(ValidationError) as error:
        svc.deliverable_file_delete(attachment=attachment)
    assert error.value.messages == [str(svc.FILES_LOCKED)]


def test_accepting_disclosures_publishes_a_frozen_copy(year, unit_a, focus_a, liaison_a, office_user, client):
    item = DisclosureItemFactory(year=year, unit=unit_a, title="结婚登记", statutory_days=30, promised_days=1)
    deliverable = svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.DISCLOSURES, by=liaison_a)
    assert client.get(f"/units/public/{unit_a.pk}/").status_code == 404
    svc.deliverable_review(deliverable=deliverable, by=office_user, accept=True)

    item.title = "结婚登记（修订草稿）"
    item.save()
    page = client.get(f"/units/public/{unit_a.pk}/").content.decode()
    assert "结婚登记" in page and "修订草稿" not in page

    # A revision can be handed in again; the public keeps the accepted version until it is accepted.
    svc.deliverable_submit(year=year, unit=unit_a, kind=Kind.DISCLOSURES, by=liaison_a)
    assert "修订草稿" not in client.get(f"/units/public/{unit_a.pk}/").content.decode()
    svc.deliverable_review(deliverable=deliverable, by=office_user, accept=True)
    assert "修订草稿" in client.get(f"/units/public/{unit_a.pk}/").content.decode()
