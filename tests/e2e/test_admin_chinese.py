"""Every text the office can reach in the admin site and on its own pages is Chinese.

The office logs in on the demo district and opens every changelist and add page of the admin site, the first
object of each list, and the pages its home links to; no run of three or more Latin letters may be left in what
the page shows (its text, its buttons' labels, its placeholders and title), except the words and data below."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import ARTIFACTS, DESKTOP, PHONE
from .demo_site import DEMO_ACCOUNTS, log_in, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LATIN = re.compile(r"[A-Za-z]{3,}")
# Names people use as they are, file formats, and the demo's own data that is not words of the interface.
ALLOWED = {"PDF", "Excel", "WPS", "OFD", "Word", "QR", "URL", "ID", "IP", "SHA", "GET", "POST", "HTTP"}
ALLOWED |= {"pdf", "xlsx", "xls", "docx", "doc", "wps", "ofd"}  # file types, as the admin lists them
ALLOWED |= {"Control", "Command", "Mac"}  # the keys Django's Chinese names for choosing several in a list
DATA = re.compile(
    r"Mozilla/[^\n\t]*"  # browsers' user agents in the login records
    r"|[\w.+-]+@[\w-]+(\.[\w-]+)+"  # email addresses
    r"|(https?://|/)[\w./?=&%#:-]*|\b[\w-]+/[\w./+,;=*-]+"  # addresses, paths, stored file names, content types
    r"|\.(pdf|xlsx|xls|docx|doc|wps|ofd|jpg|jpeg|png|mp3|mp4|m4a)\b"  # file names' extensions
    r"|\S+\*{4,}"  # what Django shows of a password hash (its first letters, masked)
    r"|\{\{.*?\}\}|\{%.*?%\}"  # the template variables and tags the reminder texts may use, as typed
    r"|\b[0-9a-f]{12,64}\b|\b[A-Z0-9]{8,}\b|\b[A-Z0-9]{3,6}(-[A-Z0-9]{3,6})+\b"  # ballot digests, tracking codes
)

VISIBLE_TEXT = """() => {
  const texts = [document.title, document.body.innerText];
  for (const element of document.querySelectorAll("input[type=submit], input[type=button], [placeholder]")) {
    if (element.checkVisibility()) texts.push(element.value || "", element.getAttribute("placeholder") || "");
  }
  for (const option of document.querySelectorAll("select option")) texts.push(option.textContent);
  return texts.join("\\n");
}"""


def english_in(text, usernames):
    """The English words left in `text`, each with a few characters around it to find it by."""
    text = DATA.sub(" ", text)
    return sorted(
        {
            f"{word.group()} «{text[max(0, word.start() - 20) : word.end() + 20]}»".replace("\n", " ")
            for word in LATIN.finditer(text)
            if word.group() not in ALLOWED and word.group() not in usernames
        }
    )


def admin_pages(office):
    """The changelist and add page of every model the office may see and add."""
    request = RequestFactory().get("/admin/")
    request.user = office
    pages = ["/admin/", "/admin/password_change/"]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        if model_admin.has_view_permission(request):
            pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
    return pages


def first_object(page):
    """The change page of the changelist's first row, if it has one."""
    link = page.locator("#result_list tbody tr th a, #result_list tbody tr td a").first
    return link.get_attribute("href") if link.count() else None


def office_pages(page, base):
    """The office's own pages its home links to (not the admin site's, visited above)."""
    hrefs = page.eval_on_selector_all("main a[href], .navbar a[href]", "links => links.map(a => a.href)")
    paths = {urlsplit(href).path for href in hrefs if href.startswith(base)}
    return sorted(path for path in paths if not path.startswith(("/admin/", "/logout")))


def english_on(page, pages, usernames, base):
    """{path: English words} over `pages` and the first object of each admin list among them."""
    found, visited, queue = {}, set(), list(pages)
    while queue:
        path = queue.pop(0)
        if path in visited:
            continue
        visited.add(path)
        response = page.goto(urljoin(base, path), wait_until="load")
        assert response.status < 500, path
        words = english_in(page.evaluate(VISIBLE_TEXT), usernames)
        if words:
            found[path] = words
        if re.search(r"^/admin/\w+/\w+/$", path):
            change = first_object(page)
            if change:
                queue.append(urlsplit(urljoin(base, change)).path)
    return found


def test_the_office_reads_only_chinese(live_server, open_page, screenshot):
    seed_demo()
    office = get_user_model().objects.get(username=DEMO_ACCOUNTS["office"])
    leader = get_user_model().objects.get(username=DEMO_ACCOUNTS["leader"])
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    page = open_page(DESKTOP)
    log_in(page, live_server, office.username)
    page.goto(f"{live_server.url}/office/")
    pages = ["/office/", *office_pages(page, live_server.url), *admin_pages(office)]
    found = english_on(page, pages, usernames, live_server.url)
    report = "\n".join(f"{path}: {' | '.join(words[:5])}" for path, words in sorted(found.items()))
    (ARTIFACTS / "admin-chinese.txt").write_text(report, encoding="utf-8")

    # The roles by their Chinese names, and Django's two-box selector in Chinese (it read "Choose 组").
    page.goto(f"{live_server.url}/admin/auth/user/{leader.pk}/change/")
    expect(page.locator("#id_groups_to option")).to_have_text(["区领导"])
    expect(page.locator("#id_groups_from option")).to_have_text(["区行评办工作人员"])
    expect(page.get_by_text("选中要添加的组，再点击“选择”箭头按钮。")).to_be_visible()
    screenshot(page, "admin-user-groups-desktop")
    assert not found, report


def test_the_ranking_lists_the_units_outside_the_focus_apart(live_server, open_page):
    """The demo's focus is industries: its departments (区房产局, 秦淮公安分局) are not evaluated this year."""
    seed_demo()
    for viewport, size in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = open_page(viewport)
        log_in(page, live_server, DEMO_ACCOUNTS["leader"])
        ranking = page.locator("#ranking")
        expect(ranking.locator("table")).to_contain_text("秦淮区实验小学")
        for name in ("区房产局", "秦淮公安分局"):
            expect(ranking.locator("table")).not_to_contain_text(name)
            expect(ranking.locator("#not-evaluated")).to_contain_text(name)
        scores = ranking.locator("table [data-score]").all_inner_texts()
        assert scores and "0.00" not in scores, scores
        ranking.screenshot(path=str(ARTIFACTS / f"dashboard-ranking-{size}.png"))
