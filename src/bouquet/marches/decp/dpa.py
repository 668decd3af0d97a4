"""The buyer profile declaration (« déclaration de profil d'acheteur », schema etalab/schema-decp-dpa).

The editor of a profil d'acheteur publishes on data.gouv.fr (tag « DECP ») one CSV listing, for
each buyer it serves, its SIRET, the address of its profile and its contact details. Columns in
the schema's order; ``urlDCAT`` is optional and left empty.
"""

import csv
import io
import re
from dataclasses import dataclass

from .errors import DecpError

__all__ = ["DPA_COLUMNS", "ProfileDeclaration", "build_dpa_csv"]

DPA_COLUMNS = ("siretAcheteur", "urlProfilAcheteur", "urlDCAT", "coordonnees")


@dataclass(frozen=True)
class ProfileDeclaration:
    """One line: a buyer (SIRET), its profile's address, its contact details, optionally a DCAT catalogue."""

    siret_acheteur: str
    url_profil_acheteur: str
    coordonnees: str
    url_dcat: str = ""


def _problem(row: ProfileDeclaration) -> str:
    if not re.fullmatch(r"\d{14}", row.siret_acheteur):
        return f"le SIRET « {row.siret_acheteur} » doit compter 14 chiffres."
    for url in filter(None, (row.url_profil_acheteur, row.url_dcat)):
        if not re.match(r"https?://[^\s/]+", url):
            return f"l'adresse « {url} » doit commencer par http:// ou https://."
    if not row.url_profil_acheteur:
        return "l'adresse du profil d'acheteur manque."
    if not row.coordonnees.strip():
        return "les coordonnées de l'acheteur manquent."
    return ""


def build_dpa_csv(rows: list[ProfileDeclaration]) -> bytes:
    """The CSV file (UTF-8, comma-separated, header line, CRLF line ends as RFC 4180).

    :raises DecpError: a line breaks the schema (the message names the SIRET).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(DPA_COLUMNS)
    for row in sorted(rows, key=lambda r: r.siret_acheteur):
        if problem := _problem(row):
            raise DecpError(f"Déclaration de profil d'acheteur impossible : {problem}")
        coordonnees = " ".join(row.coordonnees.split())  # one line per buyer
        writer.writerow((row.siret_acheteur, row.url_profil_acheteur, row.url_dcat, coordonnees))
    return out.getvalue().encode("utf-8")
