"""Read any @ctes message or envelope, leniently: schema findings are reported, not fatal."""

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .constants import ACTES_NS, MAX_MESSAGE_XML_SIZE
from .errors import MessageError, UnsafeXmlError
from .messages import MESSAGE_CLASSES, Message
from .schema import schema_errors
from .xmlsafe import parse_xml

__all__ = ["ParsedMessage", "parse_message", "parse_message_file", "message_class"]

_BY_ROOT = {cls.ROOT: cls for cls in MESSAGE_CLASSES}


@dataclass(frozen=True)
class ParsedMessage:
    """A message read from XML, with what the schema said about it."""

    #: Message code (``"1-2"``), or the root name for envelopes (``"EnveloppeCLMISILL"``).
    code: str
    #: Local name of the root element.
    root: str
    #: The message's fields.
    message: Message
    #: Schema errors (``"ligne N : …"``); real ministry messages may have some and are still read.
    schema_errors: tuple[str, ...] = ()

    @property
    def schema_valid(self) -> bool:
        """Whether the XML validates against ``actesv1_1.xsd``."""
        return not self.schema_errors


def message_class(root: etree._Element) -> type[Message]:
    """The dataclass for this root element; :class:`MessageError` if it is not an @ctes root."""
    qname = etree.QName(root)
    if qname.namespace != ACTES_NS:
        raise MessageError(
            f"Ce n'est pas un message @ctes : élément racine {qname.localname}"
            " hors de l'espace de noms ACTES."
        )
    cls = _BY_ROOT.get(qname.localname)
    if cls is None:
        raise MessageError(f"Type de message @ctes inconnu : {qname.localname}.")
    return cls


def parse_message(data: bytes, *, max_size: int = MAX_MESSAGE_XML_SIZE) -> ParsedMessage:
    """Parse untrusted XML bytes into a :class:`ParsedMessage`.

    :raises UnsafeXmlError: DOCTYPE/entities, too large, too deep.
    :raises MalformedXmlError: not well-formed or badly encoded.
    :raises MessageError: not an @ctes root, or a required field missing or unreadable.
    """
    root = parse_xml(data, max_size=max_size)
    cls = message_class(root)
    errors = schema_errors(root)
    return ParsedMessage(code=cls.CODE, root=cls.ROOT, message=cls.from_element(root), schema_errors=errors)


def parse_message_file(path: str | Path, *, max_size: int = MAX_MESSAGE_XML_SIZE) -> ParsedMessage:
    """:func:`parse_message` on a file, refusing it before reading when it is over ``max_size``."""
    path = Path(path)
    if path.stat().st_size > max_size:
        raise UnsafeXmlError(f"Document XML refusé : plus de {max_size} octets.")
    return parse_message(path.read_bytes(), max_size=max_size)
