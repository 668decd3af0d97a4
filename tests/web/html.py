"""HTML assertions shared by the web tests: CSP-friendly markup and the page skeleton."""

from html.parser import HTMLParser


class PageAudit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.inline_scripts = 0
        self.style_elements = 0
        self.style_attributes = 0
        self.event_handlers = 0
        self.skip_link = False
        self.lang = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        self.h1 += tag == "h1"
        self.inline_scripts += tag == "script" and "src" not in attrs
        self.style_elements += tag == "style"
        self.style_attributes += "style" in attrs
        self.event_handlers += any(name.startswith("on") for name in attrs)
        if tag == "a" and attrs.get("href") == "#contenu":
            self.skip_link = True
        if tag == "html":
            self.lang = attrs.get("lang")


def audit(html: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(html)
    return parser


def assert_clean_page(testcase, response) -> None:
    """One <h1>, the skip link, lang="fr", and nothing the CSP would block."""
    html = response.content.decode()
    page = audit(html)
    testcase.assertEqual(page.h1, 1, "exactly one <h1>")
    testcase.assertTrue(page.skip_link, "skip link")
    testcase.assertIn("Aller au contenu", html)
    testcase.assertEqual(page.lang, "fr")
    testcase.assertEqual(page.inline_scripts, 0, "inline <script>")
    testcase.assertEqual(page.style_elements, 0, "<style> element")
    testcase.assertEqual(page.style_attributes, 0, "style= attribute")
    testcase.assertEqual(page.event_handlers, 0, "on*= handler attribute")
    testcase.assertIn("script-src 'self'", response["Content-Security-Policy"])
