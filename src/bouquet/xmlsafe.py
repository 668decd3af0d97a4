"""Safe parsing of untrusted XML, shared by the pure protocol libraries (no Django, lxml only).

No DTD, no entity, no network, bounded size and depth. Each library keeps its own exceptions and
French wording through an :class:`XmlVocabulary` and a thin wrapper (``actes.protocol.xmlsafe``,
``marches.decp.xmlsafe``); ``helios.pes._xml`` streams and uses only :data:`HARDENING` and
:func:`has_doctype`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from lxml import etree

__all__ = [
    "HARDENING",
    "XmlVocabulary",
    "check_depth",
    "has_doctype",
    "has_forbidden_declaration",
    "parse_xml",
    "safe_parser",
]

#: lxml options every parser of untrusted XML sets: nothing is resolved, loaded or fetched.
HARDENING: Mapping[str, bool] = MappingProxyType(
    {"resolve_entities": False, "no_network": True, "load_dtd": False, "dtd_validation": False}
)

# A DOCTYPE is what carries entity declarations (billion laughs, external entities): refusing it
# before parsing is the simplest complete defence. The post-parse check covers encodings where
# the byte pattern would not appear literally (UTF-16).
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")


@dataclass(frozen=True)
class XmlVocabulary:
    """What a library raises, and how it words it (French, shown to users).

    Templates are :meth:`str.format` strings: ``too_large`` gets ``{size}`` and ``{max_size}``,
    ``too_deep`` gets ``{max_depth}``, ``malformed_detail`` gets ``{detail}`` (libxml2's message).
    """

    unsafe: type[Exception]
    malformed: type[Exception]
    too_large: str
    forbidden: str
    too_deep: str
    malformed_detail: str
    empty: str


def safe_parser() -> etree.XMLParser:
    """A new lxml parser that resolves nothing and loads nothing (parsers are not thread-safe)."""
    return etree.XMLParser(
        **HARDENING,
        huge_tree=False,
        recover=False,
        remove_comments=True,
        remove_pis=True,
    )


def has_forbidden_declaration(data: bytes) -> bool:
    """Whether the raw bytes hold a DOCTYPE or ENTITY declaration (as ASCII-compatible bytes)."""
    return any(marker in data for marker in _FORBIDDEN)


def has_doctype(element: Any) -> bool:
    """Whether the document of a parsed ``element`` has a DOCTYPE or an internal DTD."""
    docinfo: Any = element.getroottree().docinfo  # lxml-stubs lack DocInfo.doctype
    return bool(docinfo.doctype) or docinfo.internalDTD is not None


def check_depth(root: etree._Element, max_depth: int, vocabulary: XmlVocabulary) -> None:
    """Raise ``vocabulary.unsafe`` when the tree under ``root`` is deeper than ``max_depth`` levels."""
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            raise vocabulary.unsafe(vocabulary.too_deep.format(max_depth=max_depth))
        stack.extend((child, depth + 1) for child in element)


def parse_xml(data: bytes, *, max_size: int, max_depth: int, vocabulary: XmlVocabulary) -> etree._Element:
    """Parse untrusted XML bytes and return the root element.

    :raises TypeError: ``data`` is not ``bytes``.
    :raises vocabulary.unsafe: DOCTYPE or entity declaration, over ``max_size`` bytes, over ``max_depth``.
    :raises vocabulary.malformed: not well-formed, empty, or bytes invalid for the declared encoding.
    """
    if not isinstance(data, bytes):
        raise TypeError("parse_xml attend des octets (bytes)")
    if len(data) > max_size:
        raise vocabulary.unsafe(vocabulary.too_large.format(size=len(data), max_size=max_size))
    if has_forbidden_declaration(data):
        raise vocabulary.unsafe(vocabulary.forbidden)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise vocabulary.malformed(vocabulary.malformed_detail.format(detail=exc)) from None
    if root is None:
        raise vocabulary.malformed(vocabulary.empty)
    if has_doctype(root):
        raise vocabulary.unsafe(vocabulary.forbidden)
    check_depth(root, max_depth, vocabulary)
    return root
