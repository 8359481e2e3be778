"""The hand-offs between the supervisor and the office: each step recorded, each decision told to the supervisor,
a resubmitted inspection back in the office's queue."""

from html.parser import HTMLParser

import pytest
from django.core import mail

from appraisal.queue import office_queue
from appraisal.selectors import UNKNOWN_YEAR
from appraisal.services import appraisal_year_create
from inspections import services
from inspections.selectors import review_queue
from units.models import Notification

pytestmark = pytest.mark.django_db

COMMENT = "请补充发现问题的具体窗口号"


def steps(inspection):
    return list(inspection.steps.values_list("kind", "note", "by__username"))


def test_every_step_is_recorded_and_never_overwritten(make_inspection, supervisor_user, office_user):
    inspection = make_inspection(submit=True)
    services.inspection_return(inspection=inspection, by=office_user, comment=COMMENT)
    services.inspection_submit(inspection=inspection, by=supervisor_user)
    services.inspection_return(inspection=inspection, by=office_user, comment="还缺时间")
    services.inspection_submit(inspection=inspection, by=supervisor_user)
    services.inspection_accept(inspection=inspection, by=office_user)
    assert steps(inspection) == [
        ("submitted", "", None),  # the fixture submits with by=None
        ("returned", COMMENT, "office"),
        ("submitted", "", "supervisor"),
        ("returned", "还缺时间", "office"),
        ("submitted", "", "supervisor"),
        ("accepted", "", "office"),
    ]


def test_a_returned_inspection_tells_the_supervisor_with_the_comment(make_inspection, supervisor_user, office_user):
    supervisor_user.email = "zhang@example.cn"
    supervisor_user.save()
    inspection = make_inspection(submit=True)
    services.inspection_return(inspection=inspection, by=office_user, comment=COMMENT)
    notification = Notification.objects.get(user=supervisor_user)
    assert notification.title == "区行评办退回了您2026-07-20对区民政局的明查暗访记录"
    assert (notification.body, notification.url) == (COMMENT, f"/inspections/{inspection.pk}/")
    assert notification.created_by == office_user


def test_the_email_of_a_return_goes_out_on_commit(
    make_inspection, supervisor_user, office_user, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://pingyi.example.cn"
    supervisor_user.email = "zhang@example.cn"
    supervisor_user.save()
    inspection = make_inspection(submit=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_return(inspection=inspection, by=office_user, comment=COMMENT)
    assert [message.to for message in mail.outbox] == [["zhang@example.cn"]]
    assert COMMENT in mail.outbox[0].body and f"/inspections/{inspection.pk}/" in mail.outbox[0].body


def test_a_supervisor_without_an_account_is_emailed_at_their_record(
    make_inspection, supervisor, office_user, django_capture_on_commit_callbacks
):
    inspection = make_inspection(submit=True)
    supervisor.user = None
    supervisor.email = "zhang@home.cn"
    supervisor.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.inspection_return(inspection=inspection, by=office_user, comment=COMMENT)
    assert [message.to for message in mail.outbox] == [["zhang@home.cn"]]
    assert not Notification.objects.exists()


def test_accepting_tells_the_supervisor_too(make_inspection, supervisor_user, office_user):
    inspection = make_inspection(findings=2, submit=True)
    services.inspection_accept(inspection=inspection, by=office_user)
    notification = Notification.objects.get(user=supervisor_user)
    assert notification.title == "区行评办审核通过了您2026-07-20对区民政局的明查暗访记录"
    assert notification.body == "您发现的2个问题已转入该单位的自查自纠登记表。"
    clean = make_inspection(findings=0, submit=True)
    services.inspection_accept(inspection=clean, by=office_user)
    assert Notification.objects.filter(user=supervisor_user, body="已计入您的明查暗访任务数。").exists()


def test_a_resubmitted_inspection_is_back_in_the_queue_marked(
    make_inspection, supervisor_user, office_user, year, time_machine
):
    inspection = make_inspection(submit=True)
    fresh = make_inspection(submit=True)
    services.inspection_return(inspection=inspection, by=office_user, comment=COMMENT)
    time_machine.move_to("2026-07-20 11:00 +0800", tick=False)
    assert list(review_queue()) == [fresh]
    assert {entry.url: entry.count for entry in office_queue(year)}["/inspections/review/"] == 1
    services.inspection_update(inspection=inspection, summary="补充：3号窗口")
    services.inspection_submit(inspection=inspection, by=supervisor_user)
    queue = list(review_queue())
    assert queue == [fresh, inspection] and [row.was_returned for row in queue] == [False, True]
    assert {entry.url: entry.count for entry in office_queue(None)}["/inspections/review/"] == 2


class Forms(HTMLParser):
    """Counts forms nested in forms, and the submit buttons that belong to no form."""

    def __init__(self):
        super().__init__()
        self.depth = self.nested = self.orphans = 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.nested += self.depth > 0
            self.depth += 1
        elif tag == "button" and dict(attrs).get("type", "submit") == "submit" and not self.depth:
            self.orphans += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth = max(self.depth - 1, 0)


def forms_of(page):
    parser = Forms()
    parser.feed(page.content.decode())
    return parser


def test_the_review_forms_are_not_nested(client_for, office_user, make_inspection):
    inspection = make_inspection(submit=True)
    page = client_for(office_user).get(f"/inspections/{inspection.pk}/")
    parsed = forms_of(page)
    assert f'action="/inspections/{inspection.pk}/return/"' in page.content.decode()
    assert (parsed.nested, parsed.orphans) == (0, 0)


def test_the_return_button_returns(client_for, office_user, make_inspection):
    inspection = make_inspection(submit=True)
    response = client_for(office_user).post(f"/inspections/{inspection.pk}/return/", {"comment": COMMENT})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert (inspection.status, inspection.review_comment) == ("returned", COMMENT)


def test_the_pages_show_the_comment_and_who_decided(client_for, make_inspection, supervisor_user, office_user):
    office_user.first_name = "王"
    office_user.save()
    inspection = make_inspection(submit=True)
    services.inspection_return(inspection=inspection, by=office_user, comment=COMMENT)
    supervisor = client_for(supervisor_user)
    for url in (f"/inspections/{inspection.pk}/", f"/inspections/{inspection.pk}/edit/"):
        assert COMMENT in supervisor.get(url).content.decode()
    services.inspection_submit(inspection=inspection, by=supervisor_user)
    services.inspection_accept(inspection=inspection, by=office_user)
    page = supervisor.get(f"/inspections/{inspection.pk}/").content.decode()
    assert 'id="decided"' in page and "王于2026-07-20 10:00审核通过" in page
    assert 'id="returned"' not in page and COMMENT in page  # the timeline keeps the earlier return


def test_the_supervisor_home_shows_notifications_and_quota(client_for, make_inspection, supervisor_user, office_user):
    inspection = make_inspection(submit=True)
    services.inspection_return(inspection=inspection, by=office_user, comment=COMMENT)
    make_inspection(submit=True)
    page = client_for(supervisor_user).get("/supervisors/me/").content.decode()
    assert 'id="notifications"' in page and COMMENT in page and f'href="/inspections/{inspection.pk}/"' in page
    assert 'id="quotas"' in page and "1 / 6" in page  # the returned one does not count until resubmitted


def test_quota_pages_take_the_year_of_the_page(client_for, office_user, supervisor_user, year):
    appraisal_year_create(year=2025)
    office = client_for(office_user)
    assert "2025 年度明查暗访次数要求" in office.get("/inspections/quotas/?year=2025").content.decode()
    page = office.get("/inspections/quotas/?year=1999").content.decode()
    assert str(UNKNOWN_YEAR) % {"asked": "1999", "shown": 2026} in page
    assert "2026 年度明查暗访次数要求" in page
