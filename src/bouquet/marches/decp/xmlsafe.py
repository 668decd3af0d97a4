"""Safe parsing of untrusted XML: no DTD, no entity, no network, bounded size and depth.

The logic lives in :mod:`bouquet.xmlsafe`; this module gives it the DECP errors and wording.
"""

from lxml import etree

from bouquet import xmlsafe
from bouquet.xmlsafe import safe_parser

from .constants import MAX_FILE_SIZE, MAX_XML_DEPTH
from .errors import UnreadableFileError, UnsafeXmlError

__all__ = ["parse_xml", "safe_parser"]

_VOCABULARY = xmlsafe.XmlVocabulary(
    unsafe=UnsafeXmlError,
    malformed=UnreadableFileError,
    too_large="Fichier XML refusé : il pèse {size} octets, le maximum accepté est {max_size}.",
    forbidden="Fichier XML refusé : les déclarations DOCTYPE et ENTITY sont interdites.",
    too_deep="Fichier XML refusé : plus de {max_depth} niveaux d'imbrication.",
    malformed_detail="Le fichier XML est mal formé ou mal encodé : {detail}",
    empty="Le fichier XML est vide.",
)


def parse_xml(
    data: bytes, *, max_size: int = MAX_FILE_SIZE, max_depth: int = MAX_XML_DEPTH
) -> etree._Element:
    """Parse untrusted XML bytes and return the root element.

    :raises UnsafeXmlError: DOCTYPE or entity declaration, size over ``max_size``, depth over ``max_depth``.
    :raises UnreadableFileError: not well-formed, or bytes invalid for the declared encoding.
    """
    return xmlsafe.parse_xml(data, max_size=max_size, max_depth=max_depth, vocabulary=_VOCABULARY)
