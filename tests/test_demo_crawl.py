"""The platform as a newcomer sees it after `make run`: the demo data, every kind of account,
every page reachable by following links from the home page.

One crawl per account (GET only, same-site links): no server error, no broken link, every HTML
page with a <title> and an <h1>, no template leak ("None", "{{", "{%") in the visible text, and
no English text left over from Django's defaults; a read-only account is not shown links it
cannot open (known exceptions listed). Also: the demo loaders are idempotent (row counts).
"""

import re
import time
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.apps import apps
from django.conf import settings
from django.test import TestCase
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string

from bouquet.core.models import Membership, User

MAX_PAGES = 400  # per account
MAX_PER_VIEW = 12  # distinct URLs of one view (detail pages of the same kind): a few are enough
MAX_QUERY_VARIANTS = 2  # query-string variants of one path (filters, pages)

# Links not followed: they end the session, or only switch a setting.
SKIPPED_PATHS = {"/deconnexion/"}
SKIPPED_PREFIXES = ("/static/", "/media/", "/admin/")

# Known problems in contexts this test does not own (see the report): path regex → reason.
KNOWN = {}

# English texts Django (or a forgotten template) would show instead of French ones.
ENGLISH = [
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Page not found",
    "Not Found",
    "Server Error",
    "Forbidden",
    "Log in",
    "Log out",
    "Username",
    "Currently:",
    "Submit",
    "Previous",
    "Next",
]
ENGLISH_DATES = re.compile(
    r"\b(January|February|April|June|July|August|October|December|Monday|Tuesday|Wednesday|Thursday"
    r"|Friday|Saturday|Sunday|a\.m\.|p\.m\.)"
)
# A Python value or a template tag rendered as text.
LEAKS = [re.compile(p) for p in (r"\bNone\b", r"\bTrue\b", r"\bFalse\b", r"\{\{", r"\{%", r"%\}", r"\}\}")]


class Page(HTMLParser):
    """Links, GET forms (submitted as they stand), <title>, <h1> and the visible text of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.title = ""
        self.h1 = 0
        self.text: list[str] = []
        self.lang = None
        self._stack: list[str] = []
        self._form: tuple[str, list] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "h1":
            self.h1 += 1
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "form" and attrs.get("method", "get").lower() == "get":
            self._form = (attrs.get("action") or "", [])
        elif self._form and attrs.get("name"):
            kind = attrs.get("type", "text").lower()
            if tag == "input" and (kind not in ("checkbox", "radio", "submit", "file") or "checked" in attrs):
                self._form[1].append((attrs["name"], attrs.get("value", "")))
            if tag == "select":
                self._select = attrs["name"]
        if self._select and tag == "option":
            self._form[1].append((self._select, attrs.get("value", "")))
            self._select = None  # the first option: the default
        if tag in ("title", "script", "style", "textarea"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "form" and self._form:
            action, fields = self._form
            self.links.append(action.split("?")[0] + "?" + urlencode(fields) if fields else action)
            self._form = None
        if tag == "select":
            self._select = None
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()

    def handle_data(self, data):
        if self._stack and self._stack[-1] == "title":
            self.title += data
        elif not self._stack:
            self.text.append(data)


def _normalized(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return parts.path, query


def _same_site(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    url = urljoin("http://testserver" + base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _known(path: str) -> str | None:
    return next((reason for pattern, reason in KNOWN.items() if re.search(pattern, path)), None)


def _view_key(path: str) -> str:
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.view_name if match.kwargs else path


def load_demo() -> None:
    for dotted in settings.DEMO_LOADERS:
        import_string(dotted)()


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


class DemoCrawlTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()  # about 9 s: once for the class

    def crawl(self, email: str | None, authority_id: int | None = None) -> tuple[list[str], int]:
        """Visit every page reachable from the home page; return the problems and the page count."""
        if email:
            self.client.force_login(User.objects.get(email=email))
        if authority_id:
            response = self.client.post("/collectivite/", {"authority_id": authority_id, "next": "/"})
            self.assertEqual(response.status_code, 302)
        problems: list[str] = []
        self.forbidden: list[str] = []  # links the account may not follow: fine if it has no right
        # An anonymous visitor may also come straight to the public procurement pages.
        queue = deque([("/", "(départ)")] + ([] if email else [("/consultations/", "(départ)")]))
        seen: set[tuple[str, str]] = set()
        paths: set[str] = set()
        per_view: Counter = Counter()
        per_path: Counter = Counter()
        visited = 0
        while queue and visited < MAX_PAGES:
            url, referrer = queue.popleft()
            path, query = _normalized(url)
            if (path, query) in seen:
                continue
            if path in SKIPPED_PATHS or path.startswith(SKIPPED_PREFIXES):
                continue
            if path not in paths:
                key = _view_key(path)
                if per_view[key] >= MAX_PER_VIEW:
                    continue
                per_view[key] += 1
                paths.add(path)
            if query and per_path[path] >= MAX_QUERY_VARIANTS:
                continue
            per_path[path] += bool(query)
            seen.add((path, query))
            visited += 1
            response = self.client.get(url)
            status = response.status_code
            where = f"{url} (lien depuis {referrer})"
            known = _known(path)
            if known:
                if status >= 400:
                    continue
            if status >= 500:
                problems.append(f"{status} {where}")
                continue
            if status in (301, 302, 303, 307, 308):
                target = _same_site(url, response["Location"])
                if target:
                    queue.append((target, f"redirection de {url}"))
                continue
            if status == 403:
                self.forbidden.append(f"{path} (lien depuis {referrer})")
                continue
            if status >= 400:
                problems.append(f"{status} {where}")
                continue
            if "text/html" not in response.get("Content-Type", ""):
                continue
            page = Page()
            page.feed(response.content.decode())
            text = " ".join(" ".join(page.text).split())
            if not page.title.strip():
                problems.append(f"pas de <title> : {url}")
            if not page.h1:
                problems.append(f"pas de <h1> : {url}")
            if page.lang != "fr":
                problems.append(f'pas de lang="fr" : {url}')
            visible = page.title + " " + text
            for leak in LEAKS:
                for m in leak.finditer(visible):
                    context = visible[max(0, m.start() - 60) : m.end() + 40]
                    problems.append(f"{m.group()!r} visible : {url} … {context!r}")
            for english in ENGLISH:
                if re.search(rf"\b{re.escape(english)}\b", text):
                    problems.append(f"texte anglais {english!r} : {url}")
            if m := ENGLISH_DATES.search(text):
                problems.append(f"date en anglais {m.group()!r} : {url}")
            for href in page.links:
                target = _same_site(url, href)
                if target:
                    queue.append((target, url))
        if email:
            self.client.logout()
        return problems, visited

    def assert_crawl_clean(self, email: str | None, at_least: int, authority_id: int | None = None) -> None:
        started = time.monotonic()
        problems, visited = self.crawl(email, authority_id)
        elapsed = time.monotonic() - started
        print(f"\n{email or 'anonyme'} ({authority_id=}): {visited} pages en {elapsed:.1f} s")
        self.assertFalse(problems, "\n" + "\n".join(dict.fromkeys(problems)))
        self.assertGreaterEqual(visited, at_least, "the crawl should reach the account's pages")

    def test_read_only_member(self):
        """A read-only account may open what it is shown, except pages meant for others."""
        self.assert_crawl_clean("elu.beaune@demo.bouquet.test", 30)
        allowed = [
            r"^/depots/",  # companies' pages, linked from the public consultation pages
            r"^/consultations/entreprise/",
        ]
        unexpected = [p for p in self.forbidden if not any(re.search(a, p) for a in allowed)]
        self.assertEqual(unexpected, [], "links shown to a read-only account that answer 403")

    def test_commune_administrator(self):
        self.assert_crawl_clean("secretariat.beaune@demo.bouquet.test", 30)

    def test_secretary_of_several_members(self):
        """Her crawl for each of her communes (the authority switcher)."""
        email = "secretaire.vitteaux@demo.bouquet.test"
        memberships = Membership.objects.filter(user__email=email).order_by("authority__name")
        self.assertGreater(len(memberships), 1)
        for membership in memberships:
            with self.subTest(authority=membership.authority.name):
                self.assert_crawl_clean(email, 20, membership.authority_id)

    def test_operator_administrator(self):
        self.assert_crawl_clean("admin.operateur@demo.bouquet.test", 30)

    def test_operator_support_staff(self):
        self.assert_crawl_clean("support.operateur@demo.bouquet.test", 20)

    def test_company(self):
        self.assert_crawl_clean("entreprise.demo@demo.bouquet.test", 10)

    def test_anonymous_visitor(self):
        self.assert_crawl_clean(None, 10)

    def test_demo_loaders_are_idempotent(self):
        before = row_counts()
        load_demo()
        after = row_counts()
        changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
        self.assertEqual(changed, {}, "rows added by loading the demo a second time")
