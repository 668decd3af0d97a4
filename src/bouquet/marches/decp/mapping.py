"""One generic mapping between the dataclasses of :mod:`.model` and the JSON / XML forms.

Each dataclass field's metadata names its key and kind (see ``model._f``); the four functions
here walk those descriptions, so the JSON writer, the XML writer and the two readers cannot
drift apart. Readers are lenient where real files differ harmlessly from the schema (numbers given
as strings, a list where a wrapper object is expected, "oui"/"non" booleans, dates with a time or
a time zone) and strict where a value cannot be understood: :class:`RecordError` names the field.
"""

import dataclasses
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from .errors import RecordError

__all__ = ["from_json", "from_xml", "to_json", "to_xml"]

_TRUE = {"true", "1", "oui"}
_FALSE = {"false", "0", "non"}


def _fields(cls: type) -> tuple[dataclasses.Field, ...]:
    return dataclasses.fields(cls)


def _required(spec: dataclasses.Field) -> bool:
    return spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING


# --- Writing ---------------------------------------------------------------------------------


def _json_number(value: Decimal) -> int | float:
    """Whole amounts as integers (``575000``), others as the shortest float (``123456.89``)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _json_scalar(kind: str, value: Any) -> Any:
    if kind == "decimal":
        return _json_number(Decimal(value))
    if kind == "date":
        return value.isoformat()
    return value


def to_json(record: Any) -> dict:
    """The JSON object of one record; optional fields without a value are left out."""
    out: dict[str, Any] = {}
    for spec in _fields(type(record)):
        meta, value = spec.metadata, getattr(record, spec.name)
        if not _required(spec) and value in (None, ()):
            continue
        kind = meta["kind"]
        if kind == "id":
            out[meta["key"]] = {"id": value}
        elif kind == "values":
            out[meta["key"]] = {meta["item"]: list(value)}
        elif kind == "object":
            out[meta["key"]] = to_json(value)
        elif kind == "objects":
            out[meta["key"]] = [{meta["item"]: to_json(item)} for item in value]
        else:
            out[meta["key"]] = _json_scalar(kind, value)
    return out


def _xml_text(kind: str, value: Any) -> str:
    if kind == "bool":
        return "true" if value else "false"
    if kind == "decimal":
        return format(Decimal(value), "f")
    if kind == "date":
        return value.isoformat()
    return str(value)


def to_xml(parent: etree._Element, tag: str, record: Any) -> etree._Element:
    """Append ``<tag>`` holding ``record`` to ``parent`` and return it."""
    element = etree.SubElement(parent, tag)
    for spec in _fields(type(record)):
        meta, value = spec.metadata, getattr(record, spec.name)
        if not _required(spec) and value in (None, ()):
            continue
        kind, key = meta["kind"], meta["key"]
        if kind == "id":
            etree.SubElement(etree.SubElement(element, key), "id").text = str(value)
        elif kind == "values":
            wrapper = etree.SubElement(element, key)
            for item in value:
                etree.SubElement(wrapper, meta["item"]).text = item
        elif kind == "object":
            to_xml(element, key, value)
        elif kind == "objects":
            wrapper = etree.SubElement(element, key)
            for item in value:
                to_xml(wrapper, meta["xml_item"], item)
        else:
            etree.SubElement(element, key).text = _xml_text(kind, value)
    return element


# --- Reading ---------------------------------------------------------------------------------


def _where(path: str, key: str) -> str:
    return f"{path} › {key}" if path else key


def _scalar(kind: str, raw: Any, path: str) -> Any:
    """Convert a JSON value or an XML text to the field's Python type."""
    try:
        if kind == "str":
            if isinstance(raw, bool) or not isinstance(raw, (str, int)):
                raise ValueError
            return str(raw).strip()
        if kind == "int":
            if isinstance(raw, bool):
                raise ValueError
            number = Decimal(str(raw).strip())
            if number != number.to_integral_value():
                raise ValueError
            return int(number)
        if kind == "decimal":
            if isinstance(raw, bool):
                raise ValueError
            number = Decimal(str(raw).strip())
            if not number.is_finite():
                raise ValueError
            return number
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in _TRUE | _FALSE:
                return text in _TRUE
            raise ValueError
        if kind == "date":
            return date.fromisoformat(str(raw).strip()[:10])
    except (ValueError, InvalidOperation, TypeError):
        pass
    expected = {
        "str": "un texte",
        "int": "un nombre entier",
        "decimal": "un nombre",
        "bool": "vrai ou faux (true/false, oui/non, 1/0)",
        "date": "une date AAAA-MM-JJ",
    }[kind]
    raise RecordError(path, f"la valeur « {str(raw)[:60]} » n'est pas {expected}.")


def _json_list(raw: Any, item_key: str, path: str) -> list:
    """The items of a wrapped list: ``{"technique": [...]}`` (the format), or a bare list or value."""
    if isinstance(raw, dict) and item_key in raw:
        raw = raw[item_key]
    if isinstance(raw, dict | str):
        raw = [raw]
    if not isinstance(raw, list):
        raise RecordError(path, "une liste est attendue.")
    return raw


def from_json(cls: type, data: Any, path: str) -> Any:
    """Build a ``cls`` record from its JSON object.

    :raises RecordError: a required field is absent or a value cannot be read.
    """
    if not isinstance(data, dict):
        raise RecordError(path, "un objet JSON est attendu.")
    values: dict[str, Any] = {}
    for spec in _fields(cls):
        meta = spec.metadata
        key, kind, where = meta["key"], meta["kind"], _where(path, meta["key"])
        raw = data.get(key)
        if raw is None or raw == "" or raw == []:
            if _required(spec) and kind not in ("values", "objects"):
                raise RecordError(where, "ce champ obligatoire est absent.")
            if _required(spec):
                values[spec.name] = ()
            continue
        if kind == "id":
            if not isinstance(raw, dict) or raw.get("id") in (None, ""):
                raise RecordError(where, "un objet avec un « id » est attendu.")
            values[spec.name] = _scalar("str", raw["id"], _where(where, "id"))
        elif kind == "values":
            items = _json_list(raw, meta["item"], where)
            values[spec.name] = tuple(_scalar("str", v, where) for v in items)
        elif kind == "object":
            values[spec.name] = from_json(meta["cls"], raw, where)
        elif kind == "objects":
            items = raw if isinstance(raw, list) else [raw]
            values[spec.name] = tuple(
                from_json(
                    meta["cls"],
                    item.get(meta["item"], item) if isinstance(item, dict) else item,
                    f"{where} n° {n}",
                )
                for n, item in enumerate(items, 1)
            )
        else:
            values[spec.name] = _scalar(kind, raw, where)
    return cls(**values)


def _children(element: etree._Element, tag: str) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str) and etree.QName(child).localname == tag]


def _text(element: etree._Element) -> str:
    return (element.text or "").strip()


def from_xml(cls: type, element: etree._Element, path: str) -> Any:
    """Build a ``cls`` record from its XML element (namespace-agnostic, repeated tags ignored).

    :raises RecordError: a required field is absent or a value cannot be read.
    """
    values: dict[str, Any] = {}
    for spec in _fields(cls):
        meta = spec.metadata
        key, kind, where = meta["key"], meta["kind"], _where(path, meta["key"])
        found = _children(element, key)
        node = found[0] if found else None
        empty = node is None or (kind not in ("id", "values", "object", "objects") and _text(node) == "")
        if empty:
            if _required(spec) and kind not in ("values", "objects"):
                raise RecordError(where, "ce champ obligatoire est absent.")
            if _required(spec):
                values[spec.name] = ()
            continue
        assert node is not None
        if kind == "id":
            ids = _children(node, "id")
            if not ids or not _text(ids[0]):
                raise RecordError(where, "un élément <id> est attendu.")
            values[spec.name] = _text(ids[0])
        elif kind == "values":
            values[spec.name] = tuple(_text(child) for child in _children(node, meta["item"]))
        elif kind == "object":
            values[spec.name] = from_xml(meta["cls"], node, where)
        elif kind == "objects":
            items = _children(node, meta["xml_item"]) or _children(node, meta["item"])
            values[spec.name] = tuple(
                from_xml(meta["cls"], item, f"{where} n° {n}") for n, item in enumerate(items, 1)
            )
        else:
            values[spec.name] = _scalar(kind, _text(node), where)
    return cls(**values)
