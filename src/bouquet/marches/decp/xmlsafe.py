"""Safe parsing of untrusted XML: no DTD, no entity, no network, bounded size and depth."""

from typing import Any

from lxml import etree

from .constants import MAX_FILE_SIZE, MAX_XML_DEPTH
from .errors import UnreadableFileError, UnsafeXmlError

__all__ = ["parse_xml", "safe_parser"]

# A DOCTYPE is what carries entity declarations (billion laughs, external entities): refusing it
# before parsing is the simplest complete defence; the docinfo check after parsing covers
# encodings where the bytes would not appear literally (UTF-16).
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")


def safe_parser() -> etree.XMLParser:
    """A new lxml parser that resolves nothing and loads nothing (parsers are not thread-safe)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=False,
        remove_comments=True,
        remove_pis=True,
    )


def _check_depth(root: etree._Element, max_depth: int) -> None:
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > max_depth:
            raise UnsafeXmlError(f"Fichier XML refusé : plus de {max_depth} niveaux d'imbrication.")
        stack.extend((child, depth + 1) for child in element)


def parse_xml(
    data: bytes, *, max_size: int = MAX_FILE_SIZE, max_depth: int = MAX_XML_DEPTH
) -> etree._Element:
    """Parse untrusted XML bytes and return the root element.

    :raises UnsafeXmlError: DOCTYPE or entity declaration, size over ``max_size``, depth over ``max_depth``.
    :raises UnreadableFileError: not well-formed, or bytes invalid for the declared encoding.
    """
    if len(data) > max_size:
        raise UnsafeXmlError(
            f"Fichier XML refusé : il pèse {len(data)} octets, le maximum accepté est {max_size}."
        )
    if any(marker in data for marker in _FORBIDDEN):
        raise UnsafeXmlError("Fichier XML refusé : les déclarations DOCTYPE et ENTITY sont interdites.")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise UnreadableFileError(f"Le fichier XML est mal formé ou mal encodé : {exc}") from None
    if root is None:
        raise UnreadableFileError("Le fichier XML est vide.")
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnsafeXmlError("Fichier XML refusé : les déclarations DOCTYPE et ENTITY sont interdites.")
    _check_depth(root, max_depth)
    return root
