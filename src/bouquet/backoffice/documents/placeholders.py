"""Placeholders of the editable texts, and their safe substitution.

A text names values as ``{collectivite_nom}``. Substitution is a plain lookup in a dictionary of
strings: no attribute access, no expression, no Django template, so a text typed by staff can
only ever show our values. Unknown names are refused when the text is saved.
"""

import re
from collections.abc import Mapping

__all__ = ["PLACEHOLDERS", "PLACEHOLDER_RE", "substitute", "unknown_placeholders"]

#: Name → what it holds (shown next to the editor).
PLACEHOLDERS: dict[str, str] = {
    "collectivite_nom": "nom de la collectivité",
    "collectivite_siren": "SIREN de la collectivité",
    "collectivite_nature": "nature de la collectivité (commune, syndicat…)",
    "collectivite_departement": "département de la collectivité",
    "collectivite_arrondissement": "arrondissement de la collectivité",
    "collectivite_courriel": "courriel de la collectivité",
    "collectivite_telephone": "téléphone de la collectivité",
    "convention_date": "date de signature de la convention ACTES en vigueur (ou « date à compléter »)",
    "convention_reference": "référence préfecture de la convention ACTES (ou « référence à compléter »)",
    "operateur_nom": "nom de l'opérateur de mutualisation",
    "operateur_nature_juridique": "nature juridique de l'opérateur",
    "operateur_adresse": "adresse postale de l'opérateur",
    "operateur_telephone": "téléphone de l'opérateur",
    "operateur_courriel": "courriel de l'opérateur",
    "dispositif_nom": "nom du dispositif de télétransmission (S²LOW…)",
    "homologation_reference": "référence de l'homologation du dispositif",
    "homologation_date": "date de l'homologation",
    "operateur_transmission": "opérateur de transmission (exploitant du dispositif)",
    "contrat_transmission_date": "date du contrat avec l'opérateur de transmission",
    "prefecture_nom": "préfecture destinataire",
    "prefecture_adresse": "adresse de la préfecture",
    "date_du_jour": "date du jour",
}

PLACEHOLDER_RE = re.compile(r"\{([A-Za-z0-9_]+)\}")


def unknown_placeholders(text: str) -> list[str]:
    """Names used in ``text`` that we do not provide, in order of appearance, without repeats."""
    seen: list[str] = []
    for name in PLACEHOLDER_RE.findall(text):
        if name not in PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen


def substitute(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known ``{name}`` replaced by its value; anything else left as typed."""
    return PLACEHOLDER_RE.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)
