"""Helpers to read @ctes XML leniently: find by local name in the ``actes`` namespace, clear errors."""

import datetime as dt

from lxml import etree

from .constants import ACTES_NS, INSEE_NS
from .errors import MessageError

__all__ = [
    "child",
    "opt_child",
    "children",
    "text",
    "opt_text",
    "attr",
    "opt_attr",
    "parse_date",
    "parse_int",
]


def _where(element: etree._Element) -> str:
    return etree.QName(element).localname


def opt_child(element: etree._Element, local: str) -> etree._Element | None:
    """First child ``actes:<local>``, or ``None``."""
    return element.find(f"{{{ACTES_NS}}}{local}")


def child(element: etree._Element, local: str) -> etree._Element:
    """First child ``actes:<local>``; :class:`MessageError` when missing."""
    found = opt_child(element, local)
    if found is None:
        raise MessageError(f"Élément {local} manquant dans {_where(element)}.")
    return found


def children(element: etree._Element, local: str) -> list[etree._Element]:
    """Every child ``actes:<local>``, in document order."""
    return element.findall(f"{{{ACTES_NS}}}{local}")


def opt_text(element: etree._Element, local: str) -> str | None:
    """Text of the first child ``actes:<local>`` (``""`` when empty), or ``None`` when absent."""
    found = opt_child(element, local)
    if found is None:
        return None
    return found.text or ""


def text(element: etree._Element, local: str) -> str:
    """Stripped text of the required child ``actes:<local>``."""
    return (child(element, local).text or "").strip()


def opt_attr(element: etree._Element, name: str) -> str | None:
    """Attribute ``actes:<name>`` (``insee:SIREN`` for SIREN), as written; tolerates an unqualified one."""
    namespace = INSEE_NS if name == "SIREN" else ACTES_NS
    value = element.get(f"{{{namespace}}}{name}")
    return element.get(name) if value is None else value


def attr(element: etree._Element, name: str) -> str:
    """Required attribute (see :func:`opt_attr`), stripped; :class:`MessageError` when missing."""
    value = opt_attr(element, name)
    if value is None:
        raise MessageError(f"Attribut {name} manquant sur {_where(element)}.")
    return value.strip()


def parse_date(value: str, where: str) -> dt.date:
    """An xsd:date ``YYYY-MM-DD``; :class:`MessageError` naming ``where`` otherwise."""
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise MessageError(f"Date invalide pour {where} : {value!r}.") from None


def parse_int(value: str, where: str) -> int:
    """An integer; :class:`MessageError` naming ``where`` otherwise."""
    try:
        return int(value.strip())
    except ValueError:
        raise MessageError(f"Nombre entier invalide pour {where} : {value!r}.") from None
