"""The content security policy in a real browser: every role's main pages load, run their scripts (Bootstrap's
menu, Chart.js, htmx polling) and show their progress bars with no policy violation and no script error, and carry
the security headers."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from hearings import services as hearings
from reports.models import Report

from ..conftest import PASSWORD
from ..factories import MembershipFactory, UnitFactory, UserFactory
from .conftest import DESKTOP, PHONE
from .test_ballot_journey import open_hearing
from .test_dashboard_journey import CHARTS, campaign

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Every securitypolicyviolation event of the page, kept where the test can read it (an init script runs outside
# the page's policy).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Browser:
    """One tab that records policy violations (events and console messages) and script errors of every page."""

    def __init__(self, page, base_url):
        self.page, self.base_url, self.problems = page, base_url, []
        page.context.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: script error {error}"))

    def _console(self, message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.problems.append(f"{self.page.url}: {text}")

    def visit(self, path):
        response = self.page.goto(self.base_url + path)
        assert response.status == 200, (path, response.status)
        self.page.wait_for_load_state("networkidle")
        self.check(response.headers, path)
        return response

    def check(self, headers, path):
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert "style-src 'self'" in headers["content-security-policy"], path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path
        assert headers["referrer-policy"] == "same-origin", path

    def violations(self):
        return self.problems + self.page.evaluate("window.__violations || []")

    def log_in(self, username):
        self.visit("/login/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(PASSWORD)
        self.page.locator("form button[type=submit]").click()
        self.page.wait_for_load_state("networkidle")
        assert "/login/" not in self.page.url, f"{username} could not log in"


@pytest.fixture
def browse(live_server, open_page):
    tabs = []

    def make(viewport=DESKTOP):
        tab = Browser(open_page(viewport), live_server.url)
        tabs.append(tab)
        return tab

    yield make
    for tab in tabs:
        assert not tab.violations(), "\n".join(tab.violations())


def office(username="office"):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name="office"))
    return user


def test_the_office_pages_pass_the_policy(browse, screenshot):
    hearing, tokens = open_hearing()
    year = hearing.year
    Report.objects.create(kind="selfcheck", year=year, status="running", rows_done=40, rows_total=100)
    office()
    desk = browse(DESKTOP)
    desk.log_in("office")
    expect(desk.page).to_have_url(desk.base_url + "/office/")
    desk.visit("/office/")

    desk.visit("/reports/summaries/")
    expect(desk.page.locator("progress.bar").first).to_have_attribute("value", "40")
    screenshot(desk.page, "security-summaries-progress-desktop")

    desk.visit(f"/hearings/{hearing.pk}/turnout/")
    expect(desk.page.locator("#cast")).to_have_text("0")
    hearings.ballot_cast(secret=tokens[0], answers={str(p): "satisfied" for p in range(1, 9)})
    expect(desk.page.locator("#cast")).to_have_text("1", timeout=8_000)  # htmx polling under the policy
    expect(desk.page.locator("#turnout progress")).to_have_attribute("value", "1")
    screenshot(desk.page, "security-turnout-desktop")

    desk.visit(f"/hearings/{hearing.pk}/tokens/")  # the QR sheet: inline SVG, no script
    expect(desk.page.locator(".token-card svg").first).to_be_visible()

    desk.visit("/office/lockouts/")
    desk.visit("/admin/")
    desk.visit("/admin/axes/accessattempt/")
    desk.visit(f"/admin/units/unit/{hearing.unit.pk}/change/")
    expect(desk.page.locator("#unit_form")).to_be_visible()
    desk.visit(f"/admin/appraisal/appraisalyear/{year.pk}/change/")


def test_the_leaders_dashboard_draws_its_charts_under_the_policy(browse):
    campaign()
    leader = UserFactory(username="leader")
    leader.groups.add(Group.objects.get(name="leaders"))
    phone = browse(PHONE)
    phone.log_in("leader")
    expect(phone.page).to_have_url(phone.base_url + "/reports/dashboard/")
    for key in CHARTS:
        expect(phone.page.locator(f'[data-chart="{key}"]')).to_have_attribute("data-rendered", "true")
    # Bootstrap's collapsing menu works (it sets styles through the CSSOM, which the policy allows)
    menu = phone.page.locator("#nav")
    expect(menu).to_be_hidden()
    phone.page.locator(".navbar-toggler").click()
    expect(menu).to_be_visible()


def test_a_liaison_and_a_supervisor_work_under_the_policy(browse, screenshot, supervisor_user):
    unit = UnitFactory(name="区民政局")
    MembershipFactory(user=UserFactory(username="liaison"), unit=unit)
    liaison = browse(PHONE)
    liaison.log_in("liaison")
    expect(liaison.page).to_have_url(f"{liaison.base_url}/units/{unit.pk}/")
    liaison.visit(f"/units/{unit.pk}/")
    liaison.visit("/password/")

    supervisor = browse(PHONE)
    supervisor.log_in("supervisor")
    supervisor.visit("/")
    supervisor.visit("/inspections/")
    expect(supervisor.page.locator("progress.bar").first).to_be_attached()
    screenshot(supervisor.page, "security-supervisor-quota-phone")


def test_the_public_pages_pass_the_policy(browse):
    hearing, tokens = open_hearing()
    phone = browse(PHONE)
    phone.visit("/login/")
    phone.visit("/complaints/")
    phone.visit("/units/public/")
    phone.visit(f"/hearings/vote/{tokens[0]}/")
    for fieldset in phone.page.locator("fieldset.item").all():
        fieldset.locator("label").first.click()
    phone.page.locator("#ballot button[type=submit]").click()  # form-action 'self'
    expect(phone.page.locator("#thanks")).to_be_visible()


def test_a_locked_out_liaison_is_told_and_the_office_unlocks_them(browse, screenshot):
    unit = UnitFactory(name="区民政局")
    MembershipFactory(user=UserFactory(username="liaison"), unit=unit)
    office()
    phone = browse(PHONE)
    phone.visit("/login/")
    for _ in range(5):
        phone.page.locator("#id_username").fill("liaison")
        phone.page.locator("#id_password").fill("not-my-password")
        phone.page.locator("form button[type=submit]").click()
        phone.page.wait_for_load_state("networkidle")
        if phone.page.locator("#lockout").count():
            break
        expect(phone.page.locator(".alert-danger")).to_be_visible()
    expect(phone.page.locator("#lockout")).to_be_visible()
    screenshot(phone.page, "security-lockout-phone")

    desk = browse(DESKTOP)
    desk.log_in("office")
    desk.visit("/office/lockouts/")
    row = desk.page.locator("#lockouts tbody tr")
    expect(row).to_have_count(1)
    expect(row.locator("th")).to_have_text("liaison")
    screenshot(desk.page, "security-lockouts-desktop")
    row.locator("button[type=submit]").click()
    expect(desk.page.locator("[role=alert].alert-success")).to_be_visible()
    expect(desk.page.locator("#lockouts")).to_have_count(0)

    phone.log_in("liaison")
    expect(phone.page).to_have_url(f"{phone.base_url}/units/{unit.pk}/")
