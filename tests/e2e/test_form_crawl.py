"""A crawl of the demo district as each role: every page a person can reach by following links from their home.

On every page: no server error; every submit button belongs to a form, and no form is nested in another. Both
are read in the page's HTML as it is sent, the way the browser's parser reads it (FormParser): a form tag inside
a form is dropped, so the inner form's end tag closes the outer one and the buttons after it belong to no form
(`button.form` is null). test_the_parser_agrees_with_chromium shows that Chromium reads such pages the same way.
Pages are found by following links, so a new page is crawled as soon as something links to it.

Downloads (Excel, documents, evidence) and logging out are not opened. Links are told apart by their path and
their `?year=` (other query strings are dropped); of the pages that differ only by the ids in their path, a few
are opened (SAME_SHAPE), so that a list of a hundred objects costs a few pages, not a hundred. The pages are
fetched through the browser's session (`page.request`) and read in Python, which keeps the crawl fast.
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest

from .conftest import ARTIFACTS, DESKTOP, PHONE
from .demo_site import DEMO_ACCOUNTS, log_in, seed_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_PAGES = 300  # per role
SAME_SHAPE = 2  # pages opened per path shape (the path with its ids replaced)
NOT_OPENED = re.compile(
    r"/logout/"
    r"|\.(xlsx|pdf|docx|zip|csv)$|/download/$|/template/$|/files/\d+/$|/evidence/(\d+/)?$|/unit-copy/$"
    r"|^/admin/.*/(delete|history)/$|^/admin/r/|^/admin/jsi18n/|^/static/|^/media/"
)
ID = re.compile(r"/\d+(?=/|$)")
# The admin site's own script-driven buttons (colour theme, side bar): no type, no form, by Django's design.
DJANGO_ADMIN_BUTTONS = re.compile(r'class="theme-toggle"|id="toggle-nav-sidebar"')


class FormParser(HTMLParser):
    """A page's links, its nested forms, and its submit buttons that belong to no form.

    As the HTML parser of a browser does: while a form is open (its "form element pointer"), another form start
    tag is ignored, and the first form end tag closes the form. A button belongs to the open form, or to the
    form its `form` attribute names."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.nested, self.buttons, self.form_ids = [], [], [], set()
        self.open_form = None
        self.raw_tag = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            if attrs.get("id"):
                self.form_ids.add(attrs["id"])
            if self.open_form is not None:
                self.nested.append(f"line {self.getpos()[0]}: {self.get_starttag_text()}")
            else:
                self.open_form = attrs
        elif self._is_submit(tag, attrs) and self.open_form is None:
            self.buttons.append((attrs.get("form"), f"line {self.getpos()[0]}: {self.get_starttag_text()}"))

    def handle_endtag(self, tag):
        if tag == "form":
            self.open_form = None

    @staticmethod
    def _is_submit(tag, attrs):
        kind = (attrs.get("type") or "submit").lower()
        return (tag == "button" and kind == "submit") or (tag == "input" and kind in ("submit", "image"))

    def orphans(self):
        """The submit buttons outside every form that do not name an existing form either."""
        return [
            text for form, text in self.buttons if form not in self.form_ids and not DJANGO_ADMIN_BUTTONS.search(text)
        ]


def check(html):
    """(links, problems) of one page's HTML."""
    parser = FormParser()
    parser.feed(html)
    parser.close()
    problems = [f"a form inside another form, {nested}" for nested in parser.nested]
    problems += [f"a submit button outside any form, {button}" for button in parser.orphans()]
    return parser.links, problems


def page_key(url):
    """What tells two links apart: the path, and the year asked for."""
    parts = urlsplit(url)
    year = parse_qs(parts.query).get("year")
    return parts.path + (f"?{urlencode({'year': year[0]})}" if year else "")


def crawl(page, base):
    """Breadth-first from the home page; returns (problems, pages opened)."""
    problems, opened, shapes = [], [], {}
    seen, queue = set(), deque(["/"])
    host = urlsplit(base).netloc
    while queue and len(opened) < MAX_PAGES:
        key = queue.popleft()
        shape = ID.sub("/<id>", key.split("?")[0])
        if key in seen or shapes.get(shape, 0) >= SAME_SHAPE:
            continue
        seen.add(key)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = page.request.get(base + key)
        opened.append(f"{response.status} {key}")
        if response.status >= 500:
            problems.append(f"{key}: the server answered {response.status}")
            continue
        headers = response.headers
        if "text/html" not in headers.get("content-type", "") or "attachment" in headers.get("content-disposition", ""):
            continue
        seen.add(page_key(response.url))
        links, found = check(response.text())
        problems += [f"{key}: {problem}" for problem in found]
        for href in links:
            parts = urlsplit(urljoin(response.url, href))
            if parts.scheme in ("http", "https") and parts.netloc == host and not NOT_OPENED.search(parts.path):
                queue.append(page_key(parts.geturl()))
    return problems, opened


def test_every_page_each_role_reaches_has_its_buttons_in_forms(live_server, browser):
    seed_demo()
    ARTIFACTS.mkdir(exist_ok=True)
    problems, report = [], []
    for role, username in DEMO_ACCOUNTS.items():
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        context.set_default_timeout(15_000)
        page = context.new_page()
        log_in(page, live_server, username)
        for size, viewport in (("phone", PHONE), ("desktop", DESKTOP)):  # each role's home, as a person sees it
            page.set_viewport_size(viewport)
            page.goto(f"{live_server.url}/")
            page.screenshot(path=str(ARTIFACTS / f"home-{role}-{size}.png"), full_page=True)
        found, opened = crawl(page, live_server.url)
        context.close()
        problems += [f"[{role}] {problem}" for problem in found]
        report += [f"[{role}] {len(opened)} pages", *(f"[{role}] {line}" for line in opened)]
        assert len(opened) > 3, f"{role} reached almost nothing: {opened}"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "form-crawl.txt").write_text("\n".join(problems + [""] + report), encoding="utf-8")
    assert not problems, "\n".join(problems)


NESTED = """<!doctype html><html><body>
<form id="return" method="post" action="/return/"><textarea name="comment"></textarea>
  <form id="crispy" method="post"><input name="note"></form>
  <button id="orphan-after-inner-form">退回监督员</button>
</form>
<button id="named" form="return">退回</button>
<button id="toggle" type="button">展开</button>
<form id="accept" method="post"><button id="inside">采纳</button><input id="image" type="image" alt="采纳"></form>
<button id="orphan">孤立的按钮</button>
<input id="orphan-input" type="submit" value="提交">
</body></html>"""


def test_the_parser_agrees_with_chromium(open_page):
    """The crawl's reading of a page's forms is the browser's: the same buttons belong to no form."""
    page = open_page(DESKTOP)
    page.set_content(NESTED)
    in_chromium = page.evaluate(
        """() => [...document.querySelectorAll("button, input")]
          .filter(b => ["submit", "image"].includes(b.type) && !b.form).map(b => b.id)"""
    )
    parser = FormParser()
    parser.feed(NESTED)
    in_python = [re.search(r'id="([^"]+)"', text).group(1) for text in parser.orphans()]
    assert in_chromium == in_python == ["orphan-after-inner-form", "orphan", "orphan-input"]
    _links, problems = check(NESTED)
    assert problems[0].startswith("a form inside another form, line 3")
