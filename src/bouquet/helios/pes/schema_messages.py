"""French explanations of libxml2's XML Schema messages."""

from __future__ import annotations

import re

__all__ = ["explain"]

_ELEMENT = re.compile(r"^Element '([^']+)'")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]+) \)")
_VALUE = re.compile(r"The value '([^']*)'")
_RULES: tuple[tuple[str, str], ...] = (
    ("Missing child element", "un élément obligatoire manque dans {element}{expected}"),
    ("This element is not expected", "l'élément {element} n'est pas attendu à cet endroit{expected}"),
    ("[facet 'maxLength']", "la valeur{value} de {element} est trop longue"),
    ("[facet 'minLength']", "la valeur{value} de {element} est trop courte"),
    ("[facet 'length']", "la valeur{value} de {element} n'a pas la longueur exigée"),
    ("[facet 'pattern']", "la valeur{value} de {element} ne respecte pas le format exigé"),
    ("[facet 'enumeration']", "la valeur{value} de {element} ne fait pas partie des codes admis"),
    ("is required but missing", "l'attribut obligatoire manque sur {element}"),
    ("is not allowed", "un attribut non prévu figure sur {element}"),
    ("is not a valid value", "la valeur{value} de {element} n'est pas du type attendu"),
    ("No matching global declaration", "l'élément racine {element} n'est pas déclaré par le schéma"),
)


def explain(message: str) -> str:
    """A French sentence for a libxml2 schema-validation message (the message itself as fallback)."""
    element_match = _ELEMENT.search(message)
    element = f"« {element_match.group(1).rpartition('}')[2]} »" if element_match else "l'élément"
    expected_match = _EXPECTED.search(message)
    expected = ""
    if expected_match:
        names = ", ".join(n.strip().rpartition("}")[2] for n in expected_match.group(1).split(","))
        expected = f" (attendu : {names})"
    value_match = _VALUE.search(message)
    value = f" « {value_match.group(1)} »" if value_match else ""
    for needle, template in _RULES:
        if needle in message:
            sentence = template.format(element=element, expected=expected, value=value)
            return sentence[0].upper() + sentence[1:] + "."
    return f"Le fichier ne respecte pas le schéma PES V2 : {message}"
