"""Chinese for what the installed libraries show the office in English.

- django-axes has no Chinese catalog: its msgids are listed here (gettext_noop) so that `make messages` puts them
  in ours, and LOCALE_PATHS comes before every app's catalog. Its app gets a Chinese name (AxesConfig, named in
  INSTALLED_APPS instead of "axes").
- Django 5.2's zh_Hans catalog lacks a few new admin strings; they are listed the same way. (Its JavaScript
  strings are in locale/zh_Hans/LC_MESSAGES/djangojs.po.)
- Django's template errors are English sentences: `template_error` says in Chinese what is wrong in a text the
  office typed (the reminder texts), and on which line.
"""

import re

from axes.apps import AppConfig as BaseAxesConfig
from django.template import Context, Engine, TemplateSyntaxError
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

AXES_STRINGS = [
    # axes/models.py
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    # axes/admin.py
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
]

DJANGO_ADMIN_STRINGS = [
    # admin/app_list.html: the column headings of the model tables, read by screen readers
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # admin/auth/user/add_form.html
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    # admin/login.html, registration/password_reset_email.html
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    # auth/forms.py: Django's Chinese names single sign-on and LDAP, which the office does not have
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be "
        "able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
]


class AxesConfig(BaseAxesConfig):
    """django-axes, with a name the office can read in the admin site."""

    verbose_name = _("Login lockouts")

    def ready(self):
        super().ready()
        from axes.admin import AccessAttemptAdmin
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # The remaining-attempts column is a method without a label: the admin would print its name, "Status".
        AccessAttemptAdmin.status.short_description = _("Remaining attempts")
        # Its records name themselves in English sentences (the admin's headings and breadcrumbs show them).
        AccessAttempt.__str__ = _login_record_name
        AccessLog.__str__ = _login_record_name
        AccessFailureLog.__str__ = _login_record_name


def _login_record_name(record):
    when = date_format(localtime(record.attempt_time), "Y-m-d H:i") if record.attempt_time else "—"
    return gettext("%(username)s, %(when)s") % {"username": record.username or "—", "when": when}


# Django's template errors (django/template/base.py, defaulttags.py, smartif.py), each with what to tell the office.
TEMPLATE_ERRORS = [
    (
        re.compile(r"Invalid block tag on line \d+: '(?P<tag>[^']*)', expected (?P<expected>.+?)\. Did you"),
        _("the tag {%% %(tag)s %%} does not belong here; expected %(expected)s"),
    ),
    (
        re.compile(r"Invalid block tag on line \d+: '(?P<tag>[^']*)'"),
        _("unknown tag {%% %(tag)s %%}"),
    ),
    (
        re.compile(r"Unclosed tag on line \d+: '(?P<tag>[^']*)'\. Looking for one of: (?P<expected>.+?)\."),
        _("the tag {%% %(tag)s %%} is not closed: add {%% %(end)s %%}"),
    ),
    (re.compile(r"Invalid filter: '(?P<filter>[^']*)'"), _("unknown filter |%(filter)s")),
    (
        re.compile(r"(?P<filter>\w+) requires (?P<wanted>\d+) arguments?, (?P<given>\d+) provided"),
        _("the filter |%(filter)s takes a different number of arguments"),
    ),
    (
        re.compile(r"Could not parse the remainder: '(?P<rest>.*)' from '(?P<whole>.*)'"),
        _("“%(rest)s” cannot be read in {{ %(whole)s }}"),
    ),
    (re.compile(r"Could not parse some characters: (?P<rest>.*)"), _("“%(rest)s” cannot be read")),
    (re.compile(r"Empty variable tag"), _("an empty {{ }}")),
    (re.compile(r"Empty block tag"), _("an empty {%% %%}")),
    (re.compile(r"may not begin with underscores"), _("a variable name may not begin with “_”")),
    (
        re.compile(r"(?=.*\b(if|elif|for|with)\b)(?=.*(expression|improperly|expecting|should|must|takes|argument))"),
        _("the condition or arguments of a tag are written wrongly"),
    ),
]
CHECKING_ENGINE = Engine(autoescape=False, debug=True)


def _line_of(text, context):
    """The line Django's debug engine blames for the error in `text` (None when it cannot say)."""
    try:
        CHECKING_ENGINE.from_string(text).render(Context(context, autoescape=False))
    except Exception as error:  # any error is what is asked for here
        debug = getattr(error, "template_debug", None)
        return debug["line"] if debug else None
    return None


def template_error(text: str, error: Exception, context: dict) -> str:
    """What is wrong in the template `text` that raised `error` with `context`, in Chinese, with its line."""
    message = str(error)
    described = None
    for pattern, explanation in TEMPLATE_ERRORS:
        found = pattern.search(message)
        if found:
            params = found.groupdict()
            if "expected" in params:
                expected = params["expected"]
                tags = re.findall(r"'([^']+)'", expected) or re.findall(r"[\w-]+", expected)
                params["expected"] = "、".join(f"{{% {tag} %}}" for tag in tags)
                params["end"] = tags[-1] if tags else ""
            described = explanation % params
            break
    if described is None:
        described = (
            gettext("the template is written wrongly")
            if isinstance(error, TemplateSyntaxError)
            else gettext("a value cannot be shown")
        )
    line = _line_of(text, context)
    return gettext("line %(line)s: %(what)s") % {"line": line, "what": described} if line else described
