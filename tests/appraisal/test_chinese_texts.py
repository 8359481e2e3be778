"""What Django and the libraries show the office reads in Chinese, with the right words.

The project's catalog must not lend its words to Django's own msgids ("Change" is 修改 in the admin, 得分变化 only
in the ranking); django-axes, the new admin strings of Django 5.2 and its template errors get Chinese of ours."""

import datetime
import json

import pytest
from axes.models import AccessLog
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from appraisal.models import TEMPLATE_INVALID, ReminderSettings
from appraisal.roles import LEADERS_GROUP, OFFICE_GROUP, group_label
from appraisal.services import appraisal_year_create
from hearings.models import Attendee, Ballot

from ..factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client_for, office_user):
    return client_for(office_user)


def test_django_keeps_its_change_and_the_ranking_has_its_own():
    assert gettext("Change") == "修改"
    assert pgettext("ranking", "Change") == "得分变化"


def test_the_admin_change_page_says_change(office):
    unit = UnitFactory(name="区民政局")
    page = office.get(f"/admin/units/unit/{unit.pk}/change/").content.decode()
    assert "| 修改 被评议单位 |" in page and "得分变化" not in page


def test_django_axes_reads_chinese_in_the_admin(office):
    index = office.get("/admin/").content.decode()
    assert "登录锁定" in index and "登录失败累计" in index and "登录记录" in index
    assert ">Axes<" not in index and "Access attempts" not in index
    record = AccessLog(username="office", attempt_time=timezone.make_aware(datetime.datetime(2026, 9, 1, 8, 30)))
    assert str(record) == "office，2026-09-01 08:30"


def test_the_user_admin_help_texts_are_chinese(office):
    page = office.get("/admin/auth/user/add/").content.decode()
    assert "创建账号后" in page and "LDAP" not in page and "After you" not in page


def test_role_groups_show_their_chinese_names(office, office_user, leader_user):
    assert group_label(Group.objects.get(name=OFFICE_GROUP)) == "区行评办工作人员"
    assert group_label(LEADERS_GROUP) == "区领导"
    assert group_label("其他组") == "其他组"
    change = office.get(f"/admin/auth/user/{leader_user.pk}/change/").content.decode()
    assert ">区领导</option>" in change and ">leaders</option>" not in change
    listing = office.get("/admin/auth/user/").content.decode()
    assert "区行评办工作人员" in listing and ">leaders</a>" not in listing


def test_the_admin_selector_of_many_has_its_chinese_words(office):
    script = office.get("/admin/jsi18n/").content.decode()
    for text in ("全部选择%s", "选中要添加的%s"):  # the catalog is written as JSON, its Chinese \u-escaped
        assert text in script or json.dumps(text)[1:-1] in script


@pytest.mark.parametrize(
    "text, said",
    [
        ("尊敬的{{ unit.name }}：\n{% foo %}", "第 2 行，无法识别的标签 {% foo %}"),
        ("{% if days %}尚未报送", "第 1 行，标签 {% if %} 没有结束，请补上 {% endif %}"),
        ("{{ unit.name }}\n\n{{ days|bogus }}", "第 3 行，无法识别的过滤器 |bogus"),
        ("{% for x in deliverables %}{{ x }}{% endif %}", "应为 {% empty %}、{% endfor %}"),
        ("{% if %}逾期", "第 1 行，标签的条件或参数写法有误"),
    ],
)
def test_a_broken_reminder_text_is_refused_in_chinese_with_its_line(text, said):
    settings = ReminderSettings(year=appraisal_year_create(year=2026), overdue_body=text)
    with pytest.raises(ValidationError) as caught:
        settings.full_clean()
    error = caught.value.error_dict["overdue_body"][0]
    assert error.message == TEMPLATE_INVALID
    message = error.messages[0] if hasattr(error, "messages") else str(error)
    assert said in message
    assert "line" not in message and "Invalid" not in message


def test_the_reminder_variables_are_explained_in_chinese(office):
    year = appraisal_year_create(year=2026)
    settings = ReminderSettings.objects.for_year(year)
    page = office.get(f"/admin/appraisal/remindersettings/{settings.pk}/change/").content.decode()
    assert "（截止日期；" in page and "the due date" not in page


def test_web_ballots_come_from_phones_and_hearings_have_attendees():
    assert str(Ballot.Origin.WEB.label) == "手机"
    assert str(Attendee._meta.verbose_name_plural) == "参会人员"
