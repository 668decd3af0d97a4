"""Helpers to write @ctes XML: ``actes:`` prefix, qualified attributes, ISO-8859-1 output."""

import datetime as dt

from lxml import etree

from .constants import ACTES_NS, ENCODING, INSEE_NS, NSMAP, SCHEMA_LOCATION, XSI_NS

__all__ = ["qname", "new_root", "sub", "set_attrs", "to_bytes", "format_date"]

AttrValue = str | int | dt.date | None


def qname(local: str, namespace: str = ACTES_NS) -> str:
    """Clark notation ``{namespace}local``."""
    return f"{{{namespace}}}{local}"


def format_date(value: dt.date) -> str:
    """``YYYY-MM-DD`` (xsd:date)."""
    return value.isoformat()


def set_attrs(element: etree._Element, **attrs: AttrValue) -> None:
    """Set qualified ``actes:`` attributes; ``SIREN`` goes to the INSEE namespace; ``None`` is skipped."""
    for name, value in attrs.items():
        if value is None:
            continue
        namespace = INSEE_NS if name == "SIREN" else ACTES_NS
        text = format_date(value) if isinstance(value, dt.date) else str(value)
        element.set(qname(name, namespace), text)


def new_root(local: str, **attrs: AttrValue) -> etree._Element:
    """A root element with the three usual namespace declarations and ``xsi:schemaLocation``."""
    root = etree.Element(qname(local), nsmap=NSMAP)
    root.set(qname("schemaLocation", XSI_NS), SCHEMA_LOCATION)
    set_attrs(root, **attrs)
    return root


def sub(parent: etree._Element, local: str, text: str | None = None, **attrs: AttrValue) -> etree._Element:
    """Append ``actes:<local>`` to ``parent`` with optional text and qualified attributes."""
    element = etree.SubElement(parent, qname(local))
    if text is not None:
        element.text = text
    set_attrs(element, **attrs)
    return element


def to_bytes(root: etree._Element) -> bytes:
    """Serialise with an ISO-8859-1 XML declaration (characters outside Latin-1 become references)."""
    data = etree.tostring(root, encoding=ENCODING, xml_declaration=True, pretty_print=True)
    assert isinstance(data, bytes)
    return data
