"""Evidence files: checked by their content, stored under random names, the original for the supervisor and the
office only, and for the unit a copy of the pictures without metadata, never naming who inspected."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image

from appraisal.uploads import IMAGE_INVALID, UPLOAD_TOO_LARGE, UPLOAD_WRONG_TYPE, sniff
from inspections import services
from inspections.models import Evidence

pytestmark = pytest.mark.django_db

GPS_IFD, MAKE, ARTIST = 0x8825, 0x010F, 0x013B


def photo_with_exif(artist="Zhang Guohua"):
    """A JPEG as a phone takes it: where (GPS), with what (Make) and by whom (Artist)."""
    exif = Image.Exif()
    exif[MAKE] = "HUAWEI"
    exif[ARTIST] = artist
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (32.0, 1.0, 30.0), 3: "E", 4: (118.0, 47.0, 10.0)})
    output = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(output, "JPEG", exif=exif)
    return output.getvalue()


def png():
    output = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 200)).save(output, "PNG")
    return output.getvalue()


def upload(content, name="IMG_0001.jpg"):
    return SimpleUploadedFile(name, content)


def stored_files(settings):
    folder = settings.MEDIA_ROOT / "inspections"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def accepted(make_inspection, office_user):
    inspection = make_inspection()
    evidence = services.evidence_add(
        inspection=inspection, finding=inspection.findings.get(), upload=upload(photo_with_exif()), by=None
    )
    services.inspection_submit(inspection=inspection, by=None)
    services.inspection_accept(inspection=inspection, by=office_user)
    return evidence


def test_a_photo_is_stored_with_a_metadata_free_copy_for_the_unit(make_inspection, supervisor_user, settings):
    inspection = make_inspection()
    evidence = services.evidence_add(inspection=inspection, upload=upload(photo_with_exif()), by=supervisor_user)
    original, copy = evidence.file.read(), evidence.unit_copy.read()
    assert Image.open(io.BytesIO(original)).getexif()[ARTIST] == "Zhang Guohua"
    assert not Image.open(io.BytesIO(copy)).getexif()
    assert b"Exif" not in copy and b"GPS" not in copy and b"HUAWEI" not in copy and b"Zhang" not in copy
    assert (evidence.kind, evidence.original_name, evidence.size) == ("jpg", "IMG_0001.jpg", len(original))
    assert all("IMG_0001" not in path.name for path in stored_files(settings)) and len(stored_files(settings)) == 2


@pytest.mark.parametrize(
    "content, name, message",
    [
        (png() + b"<html><script>alert(document.cookie)</script></html>", "chart.png", IMAGE_INVALID),
        (b"MZ\x90\x00\x03" + b"\x00" * 200, "photo.jpg", UPLOAD_WRONG_TYPE),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "photo.jpg", UPLOAD_WRONG_TYPE),
    ],
    ids=["png-with-html", "windows-executable", "linux-executable"],
)
def test_a_disguised_file_is_refused_and_nothing_is_stored(make_inspection, settings, content, name, message):
    inspection = make_inspection()
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(inspection=inspection, upload=upload(content, name), by=None)
    assert refused.value.message == message
    assert not Evidence.objects.exists() and not stored_files(settings)


def test_an_oversize_file_is_refused_with_the_limit_and_nothing_is_stored(make_inspection, settings):
    settings.EVIDENCE_MAX_IMAGE_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        services.evidence_add(inspection=make_inspection(), upload=upload(photo_with_exif()), by=None)
    assert refused.value.message == UPLOAD_TOO_LARGE and refused.value.params["limit"] == filesizeformat(100)
    assert not Evidence.objects.exists() and not stored_files(settings)


def test_the_page_shows_why_a_file_was_refused(client_for, supervisor_user, make_inspection, settings):
    inspection = make_inspection()
    page = client_for(supervisor_user).post(
        f"/inspections/{inspection.pk}/evidence/", {"upload": upload(png() + b"<html>", "chart.png")}
    )
    assert page.status_code == 200 and str(IMAGE_INVALID) in page.content.decode()
    assert not Evidence.objects.exists() and not stored_files(settings)


@pytest.mark.parametrize(
    "head, kind",
    [
        (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", "mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00", "mov"),
        (b"\x00\x00\x00\x18ftyp3gp4\x00\x00\x00\x00", "3gp"),
        (b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00", "m4a"),
        (b"ID3\x04\x00\x00\x00\x00\x00\x00", "mp3"),
        (b"\xff\xfb\x90\x64\x00\x00\x00\x00\x00\x00", "mp3"),
        (b"#!AMR\n\x3c\x00\x00\x00", "amr"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", "wav"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", None),
    ],
)
def test_recordings_are_recognised_by_their_content(head, kind):
    assert sniff(upload(head + b"\x00" * 64, "whatever.bin")) == kind


def test_a_recording_is_attached_to_a_finding_with_no_copy_for_the_unit(make_inspection, settings):
    settings.EVIDENCE_MAX_IMAGE_BYTES = 10
    inspection = make_inspection()
    finding = inspection.findings.get()
    video = b"\x00\x00\x00\x20ftypmp42\x00\x00\x00\x00" + b"\x00" * 500
    evidence = services.evidence_add(inspection=inspection, finding=finding, upload=upload(video, "录像.mp4"), by=None)
    assert (evidence.kind, evidence.finding, evidence.unit_copy.name) == ("mp4", finding, "")


def test_a_finding_of_another_inspection_is_refused(make_inspection):
    first, second = make_inspection(), make_inspection()
    with pytest.raises(ValidationError):
        services.evidence_add(
            inspection=first, finding=second.findings.get(), upload=upload(photo_with_exif()), by=None
        )
    assert not Evidence.objects.exists()


def test_the_supervisor_uploads_from_the_page_and_the_office_downloads_the_original(
    client_for, supervisor_user, office_user, leader_user, make_inspection
):
    inspection = make_inspection()
    client = client_for(supervisor_user)
    assert 'accept="image/*,audio/*,video/*' in client.get(f"/inspections/{inspection.pk}/").content.decode()
    response = client.post(f"/inspections/{inspection.pk}/evidence/", {"upload": upload(photo_with_exif())})
    evidence = Evidence.objects.get()
    assert response.status_code == 302 and evidence.uploaded_by == supervisor_user
    for user in (supervisor_user, office_user, leader_user):
        download = client_for(user).get(f"/inspections/evidence/{evidence.pk}/")
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="IMG_0001.jpg"'
        assert b"HUAWEI" in b"".join(download.streaming_content)


def test_uploading_to_a_submitted_inspection_is_forbidden(client_for, supervisor_user, make_inspection):
    inspection = make_inspection(submit=True)
    response = client_for(supervisor_user).post(
        f"/inspections/{inspection.pk}/evidence/", {"upload": upload(photo_with_exif())}
    )
    assert response.status_code == 403 and not Evidence.objects.exists()
    with pytest.raises(ValidationError):
        services.evidence_add(inspection=inspection, upload=upload(photo_with_exif()), by=None)


def test_deleting_evidence_removes_its_files_after_commit(
    client_for, supervisor_user, make_inspection, settings, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add(inspection=make_inspection(), upload=upload(photo_with_exif()), by=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(supervisor_user).post(f"/inspections/evidence/{evidence.pk}/delete/")
    assert response.status_code == 302 and not Evidence.objects.exists() and not stored_files(settings)


def test_the_units_liaison_sees_only_the_stripped_copy_of_an_accepted_inspection(
    client_for, liaison_a, office_user, make_inspection
):
    evidence = accepted(make_inspection, office_user)
    client = client_for(liaison_a)
    assert client.get(f"/inspections/evidence/{evidence.pk}/").status_code == 404
    copy = client.get(f"/inspections/evidence/{evidence.pk}/unit-copy/")
    body = b"".join(copy.streaming_content)
    assert copy.status_code == 200 and copy["Content-Type"] == "image/jpeg"
    assert copy["Content-Disposition"] == f'inline; filename="evidence-{evidence.pk}.jpg"'
    assert not Image.open(io.BytesIO(body)).getexif() and b"GPS" not in body
    assert "张国华" not in str(copy.headers) and b"Zhang" not in body and "张国华".encode() not in body
    problem = Evidence.objects.get().finding.problem
    page = client.get(f"/selfcheck/problems/{problem.pk}/").content.decode()
    assert f"/inspections/evidence/{evidence.pk}/unit-copy/" in page
    assert "张国华" not in page and "IMG_0001" not in page and f'/inspections/evidence/{evidence.pk}/"' not in page


def test_a_not_yet_accepted_inspection_shows_the_unit_nothing(client_for, liaison_a, make_inspection):
    inspection = make_inspection(findings=1)
    evidence = services.evidence_add(inspection=inspection, upload=upload(photo_with_exif()), by=None)
    services.inspection_submit(inspection=inspection, by=None)
    assert client_for(liaison_a).get(f"/inspections/evidence/{evidence.pk}/unit-copy/").status_code == 404


def test_a_recording_is_never_served_to_the_unit(client_for, liaison_a, office_user, make_inspection):
    inspection = make_inspection()
    audio = services.evidence_add(inspection=inspection, upload=upload(b"#!AMR\n" + b"\x00" * 64, "a.amr"), by=None)
    services.inspection_submit(inspection=inspection, by=None)
    services.inspection_accept(inspection=inspection, by=office_user)
    assert client_for(liaison_a).get(f"/inspections/evidence/{audio.pk}/unit-copy/").status_code == 404


def test_other_liaisons_other_supervisors_and_outsiders_get_404(
    client_for, liaison_b, other_supervisor_user, outsider, office_user, make_inspection
):
    evidence = accepted(make_inspection, office_user)
    for user in (liaison_b, other_supervisor_user, outsider):
        client = client_for(user)
        assert client.get(f"/inspections/evidence/{evidence.pk}/").status_code == 404, user
        assert client.get(f"/inspections/evidence/{evidence.pk}/unit-copy/").status_code == 404, user


def test_a_problem_from_another_channel_shows_no_photos(client_for, liaison_a, year, unit_a):
    from ..factories import ProblemFactory

    problem = ProblemFactory(year=year, unit=unit_a)
    assert (
        'id="problem-evidence"' not in client_for(liaison_a).get(f"/selfcheck/problems/{problem.pk}/").content.decode()
    )


def test_behind_nginx_the_file_is_handed_over_only_after_the_access_check(
    client_for, supervisor_user, outsider, liaison_a, office_user, make_inspection, settings
):
    settings.PROTECTED_FILES_URL = "/protected/"
    evidence = accepted(make_inspection, office_user)
    download = client_for(supervisor_user).get(f"/inspections/evidence/{evidence.pk}/")
    assert download["X-Accel-Redirect"] == f"/protected/{evidence.file.name}" and download.content == b""
    assert download["Content-Disposition"] == 'attachment; filename="IMG_0001.jpg"'
    copy = client_for(liaison_a).get(f"/inspections/evidence/{evidence.pk}/unit-copy/")
    assert copy["X-Accel-Redirect"] == f"/protected/{evidence.unit_copy.name}" and copy["Content-Type"] == "image/jpeg"
    for user in (outsider, liaison_a):
        refused = client_for(user).get(f"/inspections/evidence/{evidence.pk}/")
        assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
