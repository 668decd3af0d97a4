"""Plain text helpers: the accent-free search key, and the small markdown staff write answers in.

The markdown is deliberately tiny (paragraphs, "- " lists, **bold**, [links](https://…)): the
text is HTML-escaped first and only then given those few tags, so nothing typed by staff can
inject markup or script.
"""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["render_markdown_lite", "search_key", "search_words"]

# Letters NFKD does not split into base + accent.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss"})
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def search_key(text: str) -> str:
    """Lower case, no accents, words separated by one space: « Télétransmission : l'@ctes » →
    "teletransmission l ctes"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_NOT_WORD.split(bare)).strip()


def search_words(query: str, limit: int = 8) -> list[str]:
    """The distinct words of a query worth searching for (at least 2 characters), at most ``limit``."""
    words = [w for w in search_key(query).split() if len(w) >= 2]
    return list(dict.fromkeys(words))[:limit]


_BOLD = re.compile(r"\*\*(.+?)\*\*")
# After escaping: the URL holds no quote or angle bracket (they became entities). Only http(s)
# and site-relative addresses; "//host" (another site, scheme-relative) is left as text.
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+|/(?!/)[^)\s]*)\)")


def _inline(escaped: str) -> str:
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    return _LINK.sub(r'<a href="\2" rel="noopener">\1</a>', escaped)


def render_markdown_lite(text: str) -> SafeString:
    """HTML for a text made of paragraphs (blank lines) and lists (lines starting with "- ")."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    html = []
    for block in filter(None, (b.strip() for b in blocks)):
        lines = block.split("\n")
        if all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(escape(line.lstrip()[2:].strip()))}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append(f"<p>{'<br>'.join(_inline(escape(line.strip())) for line in lines)}</p>")
    return mark_safe("\n".join(html))  # noqa: S308 — every piece of user text went through escape()
