"""Safe parsing of untrusted XML: no DTD, no entity, no network, bounded size and depth.

The logic lives in :mod:`bouquet.xmlsafe`; this module gives it the @ctes errors and wording.
"""

from lxml import etree

from bouquet import xmlsafe
from bouquet.xmlsafe import safe_parser

from .constants import MAX_MESSAGE_XML_SIZE, MAX_XML_DEPTH
from .errors import MalformedXmlError, UnsafeXmlError

__all__ = ["parse_xml", "safe_parser", "check_depth"]

_VOCABULARY = xmlsafe.XmlVocabulary(
    unsafe=UnsafeXmlError,
    malformed=MalformedXmlError,
    too_large="Document XML refusé : {size} octets, le maximum est {max_size}.",
    forbidden="Document XML refusé : les déclarations DOCTYPE et ENTITY sont interdites.",
    too_deep="Document XML refusé : plus de {max_depth} niveaux d'imbrication.",
    malformed_detail="XML mal formé ou mal encodé : {detail}",
    empty="XML mal formé : document vide.",
)


def check_depth(root: etree._Element, max_depth: int = MAX_XML_DEPTH) -> None:
    """Raise :class:`UnsafeXmlError` when the tree under ``root`` is deeper than ``max_depth`` levels."""
    xmlsafe.check_depth(root, max_depth, _VOCABULARY)


def parse_xml(
    data: bytes, *, max_size: int = MAX_MESSAGE_XML_SIZE, max_depth: int = MAX_XML_DEPTH
) -> etree._Element:
    """Parse untrusted XML bytes and return the root element.

    :raises UnsafeXmlError: DOCTYPE or entity declaration, size over ``max_size``, depth over ``max_depth``.
    :raises MalformedXmlError: not well-formed, or bytes invalid for the declared encoding.
    """
    return xmlsafe.parse_xml(data, max_size=max_size, max_depth=max_depth, vocabulary=_VOCABULARY)
