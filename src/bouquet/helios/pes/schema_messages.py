"""French explanations of libxml2's XML Schema messages."""

from __future__ import annotations

import re

__all__ = ["explain", "shorten"]

_ELEMENT = re.compile(r"^Element '([^']+)'")
_EXPECTED = re.compile(r"Expected is (?:one of )?\( ([^)]+) \)")
_VALUE = re.compile(r"The value '([^']*)'|^Element '[^']+': '([^']*)' is not a valid value")
#: Quoted values longer than this are cut in messages (a base64 attachment can be 100 MB long).
_MAX_VALUE = 60
_QUOTED = re.compile("(?:(?<=: )|(?<=ue ))'([^']{" + str(_MAX_VALUE + 1) + ",})(?:'|$)")
#: libxml2 cuts its messages near 64,000 characters: a huge value loses the words that say what is wrong.
_CUT_VALUE = re.compile(r"^Element '[^']+': '[^']*$")
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
    ("of the atomic type 'xs:base64Binary'", "le contenu de {element} n'est pas un encodage base64 valide"),
    ("of the atomic type 'xs:dateTime'", "la valeur{value} de {element} n'est pas une date et heure valide"),
    ("is not a valid value", "la valeur{value} de {element} n'est pas du type attendu"),
    ("No matching global declaration", "l'élément racine {element} n'est pas déclaré par le schéma"),
)


def shorten(message: str) -> str:
    """libxml2's message with over-long quoted values cut (it quotes whole values, base64 included)."""
    return _QUOTED.sub(lambda m: f"'{m.group(1)[:_MAX_VALUE]}…'", message)


def explain(message: str) -> str:
    """A French sentence for a libxml2 schema-validation message (the message itself as fallback)."""
    if _CUT_VALUE.match(message):
        message += "' is not a valid value"
        if message.startswith("Element 'Fichier'"):
            message += " of the atomic type 'xs:base64Binary'"
    message = shorten(message)
    element_match = _ELEMENT.search(message)
    element = f"« {element_match.group(1).rpartition('}')[2]} »" if element_match else "l'élément"
    expected_match = _EXPECTED.search(message)
    expected = ""
    if expected_match:
        names = ", ".join(n.strip().rpartition("}")[2] for n in expected_match.group(1).split(","))
        expected = f" (attendu : {names})"
    value_match = _VALUE.search(message)
    found = next((g for g in value_match.groups() if g is not None), "") if value_match else None
    value = f" « {found} »" if found is not None else ""
    for needle, template in _RULES:
        if needle in message:
            sentence = template.format(element=element, expected=expected, value=value)
            return sentence[0].upper() + sentence[1:] + "."
    return f"Le fichier ne respecte pas le schéma PES V2 : {message}"
