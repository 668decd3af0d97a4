"""Schema errors (jsonschema's and libxml2's, in English) turned into French a buyer can act on."""

import re
from typing import Any

from lxml import etree

from .findings import Finding

__all__ = ["explain_json_error", "explain_xml_error", "human_path"]

_RECORD_LABELS = {"marche": "marché", "contrat-concession": "contrat de concession"}
_CPV_HINT = "un code CPV de 8 chiffres, éventuellement suivi d'un tiret et d'un chiffre (45000000-7)"
_PATTERN_HINTS = {
    "^[0-9]{14}$": "un SIRET de 14 chiffres",
    "([0-9]{14})": "un SIRET de 14 chiffres",
    "([0-9]{14,14})": "un SIRET de 14 chiffres",
    "^[0-9]{8}(-[0-9])?$": _CPV_HINT,
    "([0-9]{8}(-[0-9])?)": _CPV_HINT,
    "\\d{4}-\\d{2}-\\d{2}": "une date AAAA-MM-JJ",
}
_TYPES = {
    "string": "un texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "true ou false",
    "object": "un objet",
    "array": "une liste",
}


def human_path(parts: list, document: Any = None) -> str:
    """A JSON path in words.

    ``["marches", "marche", 0, "titulaires", 0, "titulaire", "id"]`` becomes
    ``marché n° 1 (ID) › titulaires n° 1 › titulaire › id``.
    """
    words: list[str] = []
    node = document
    for index, part in enumerate(parts):
        if isinstance(node, dict | list):
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                node = None
        if part == "marches" and index == 0:
            continue
        if isinstance(part, int) and words:
            label = _RECORD_LABELS.get(str(parts[index - 1]))
            record_id = node.get("id") if label and isinstance(node, dict) else None
            words[-1] = f"{label or words[-1]} n° {part + 1}" + (f" ({record_id})" if record_id else "")
            continue
        words.append(str(part))
    return " › ".join(words)


def _title(schema: Any) -> str:
    return schema.get("title", "") if isinstance(schema, dict) else ""


def _quote(value: Any) -> str:
    text = str(value)
    return f"« {text[:80]}{'…' if len(text) > 80 else ''} »"


def _json_message(error: Any) -> str:
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [name for name in expected if isinstance(value, dict) and name not in value]
        name = missing[0] if missing else str(expected)
        title = _title(error.schema.get("properties", {}).get(name, {}))
        return f"le champ obligatoire « {name} »{f' ({title})' if title else ''} manque."
    if kind == "enum":
        allowed = ", ".join(map(str, expected))
        return f"{_quote(value)} n'est pas une valeur permise. Valeurs permises : {allowed}."
    if kind == "pattern":
        hint = _PATTERN_HINTS.get(expected, f"le motif {expected}")
        return f"{_quote(value)} n'a pas la forme attendue : {hint}."
    if kind in ("minimum", "exclusiveMinimum"):
        return f"{_quote(value)} est trop petit : le minimum est {expected}."
    if kind in ("maximum", "exclusiveMaximum"):
        return f"{_quote(value)} est trop grand : le maximum est {expected}."
    if kind == "maxLength":
        return f"le texte fait {len(value)} caractères, le maximum est {expected}."
    if kind == "minLength":
        return "ce champ ne peut pas être vide."
    if kind == "type":
        return f"{_quote(value)} n'est pas {_TYPES.get(expected, expected)}."
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})))
        return f"le champ « {', '.join(extra)} » n'existe pas dans le format DECP."
    if kind == "minItems":
        return "la liste ne peut pas être vide."
    if kind == "uniqueItems":
        return "la liste contient deux fois le même élément."
    if kind == "anyOf" and isinstance(value, dict) and not ({"marche", "contrat-concession"} & set(value)):
        return "le fichier doit contenir au moins un marché ou un contrat de concession."
    return f"non conforme au schéma ({error.message})."


def explain_json_error(error: Any, document: Any) -> Finding:
    """A :class:`Finding` for one ``jsonschema.ValidationError``."""
    title = _title(error.schema) if error.validator not in ("required", "additionalProperties") else ""
    message = _json_message(error)
    if title:
        message = f"{title} : {message}"
    return Finding("json", human_path(list(error.absolute_path), document), message, error.message)


# --- XSD (libxml2) ---------------------------------------------------------------------------

_VALUE = r"The value '(?P<value>[^']*)'"
_LIMIT = r"\('(?P<limit>[^']*)'\)"
_XML_RULES: list[tuple[re.Pattern, str]] = [
    (
        re.compile(r"Missing child element\(s\)\. Expected is one of \( (?P<names>[^)]*) \)"),
        "il manque un élément obligatoire parmi : {names}.",
    ),
    (
        re.compile(r"Missing child element\(s\)\. Expected is \( (?P<names>[^)]*) \)"),
        "l'élément obligatoire « {names} » manque.",
    ),
    (
        re.compile(r"This element is not expected"),
        "cet élément n'est pas prévu à cet endroit par le format DECP.",
    ),
    (
        re.compile(r"\[facet 'enumeration'\] " + _VALUE + r" is not an element of the set \{(?P<set>.*)\}"),
        "« {value} » n'est pas une valeur permise. Valeurs permises : {set}.",
    ),
    (
        re.compile(
            r"\[facet 'pattern'\] " + _VALUE + r" is not accepted by the pattern '(?P<pattern>[^']*)'"
        ),
        "« {value} » n'a pas la forme attendue : {hint}.",
    ),
    (
        re.compile(
            r"\[facet 'minInclusive'\] " + _VALUE + r" is less than the minimum value allowed " + _LIMIT
        ),
        "« {value} » est trop petit : le minimum est {limit}.",
    ),
    (
        re.compile(
            r"\[facet 'maxInclusive'\] " + _VALUE + r" is greater than the maximum value allowed " + _LIMIT
        ),
        "« {value} » est trop grand : le maximum est {limit}.",
    ),
    (
        re.compile(
            r"\[facet 'maxLength'\] The value has a length of '(?P<length>\d+)'; "
            r"this exceeds the allowed maximum length of '(?P<limit>\d+)'"
        ),
        "le texte fait {length} caractères, le maximum est {limit}.",
    ),
    (re.compile(r"\[facet 'minLength'\] The value has a length of '0'"), "ce champ ne peut pas être vide."),
    (
        re.compile(r"'(?P<value>[^']*)' is not a valid value of the atomic type 'xs:date'"),
        "« {value} » n'est pas une date AAAA-MM-JJ.",
    ),
    (
        re.compile(r"'(?P<value>[^']*)' is not a valid value of the atomic type 'xs:(integer|decimal)'"),
        "« {value} » n'est pas un nombre.",
    ),
    (
        re.compile(r"'(?P<value>[^']*)' is not a valid value of the (local )?union type"),
        "« {value} » n'est pas une valeur permise ici.",
    ),
    (
        re.compile(r"'(?P<value>[^']*)' is not a valid value of the (local )?atomic type"),
        "« {value} » n'est pas une valeur permise ici.",
    ),
    (
        re.compile(r"No matching global declaration available for the validation root"),
        "l'élément racine doit être <marches>.",
    ),
]


def _xml_where(path: str, root: etree._Element) -> str:
    """``/marches/marche[2]/titulaires/titulaire/id`` → ``marché n° 2 (ID) › titulaires › titulaire › id``."""
    words = []
    for step in [s for s in (path or "").split("/") if s]:
        match = re.fullmatch(r"(?P<tag>[^\[]+)(\[(?P<n>\d+)\])?", step)
        if not match:
            words.append(step)
            continue
        tag, n = match["tag"], match["n"]
        if tag == "marches" and not words:
            continue
        label = _RECORD_LABELS.get(tag)
        if label:
            number = int(n or 1)
            records = [c for c in root if isinstance(c.tag, str) and c.tag == tag]
            record_id = ""
            if len(records) >= number:
                ids = records[number - 1].findtext("id")
                record_id = f" ({ids.strip()})" if ids and ids.strip() else ""
            words.append(f"{label} n° {number}{record_id}")
        else:
            words.append(f"{tag} n° {n}" if n else tag)
    return " › ".join(words)


def explain_xml_error(entry: Any, root: etree._Element) -> Finding:
    """A :class:`Finding` for one libxml2 schema error (with its line number)."""
    raw = entry.message
    message = ""
    for pattern, template in _XML_RULES:
        match = pattern.search(raw)
        if match:
            values = match.groupdict()
            if "pattern" in values:
                values["hint"] = _PATTERN_HINTS.get(values["pattern"], f"le motif {values['pattern']}")
            message = template.format(**values)
            break
    element = re.match(r"Element '(?P<name>[^']+)'", raw)
    if element and not message.startswith("l'élément racine"):
        message = f"élément <{element['name']}> : {message or 'non conforme au schéma.'}"
    message = message or f"non conforme au schéma ({raw})."
    where = _xml_where(getattr(entry, "path", "") or "", root)
    return Finding("xml", f"{where} (ligne {entry.line})" if where else f"ligne {entry.line}", message, raw)
