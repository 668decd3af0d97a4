"""A realistic Excel export of a previous platform (built with openpyxl, as those platforms do)."""

import io
from datetime import date, datetime

from openpyxl import Workbook

#: Headers as one real-world export writes them: accents, case, units, abbreviations.
HEADERS = [
    "N° de consultation",
    "Intitulé",
    "Lot",
    "Objet du lot",
    "Type de procédure",
    "Nature",
    "Code CPV",
    "Date de mise en ligne",
    "Date limite de remise des plis (heure de Paris)",
    "Nb offres",
    "Montant estimé (€ HT)",
    "Attributaire",
    "SIRET titulaire",
    "Montant attribué (€ HT)",
    "Montant TTC",
    "Date de notification",
    "Durée (mois)",
    "Statut",
    "Commentaire",
]

ROWS = [
    [
        "2021-TX-004",
        "Réfection de la voirie communale",
        None,
        None,
        "Procédure adaptée",
        "Travaux",
        "45233140",
        datetime(2021, 3, 1),
        "15/04/2021 12:00",
        3,
        "185 000,00 €",
        "Routes de Bourgogne SAS",
        "732 829 320 00074",
        172450.5,
        "206 940,60 €",
        date(2021, 6, 2),
        6,
        "Attribuée",
        "Marché exécuté sans avenant",
    ],
    [
        "2022-FCS-011",
        "Fourniture de repas pour la cantine",
        "1",
        "Repas en liaison froide",
        "Appel d'offres ouvert",
        "Fournitures",
        "15894210-6",
        "2022-01-10",
        "2022-02-21T16:00:00",
        "4",
        240000,
        "Cuisines du Val",
        "55204599900869",
        "231 004,10",
        None,
        "14 mars 2022",
        "48",
        "Attribuée",
        None,
    ],
    [
        "2022-FCS-011",
        "Fourniture de repas pour la cantine",
        "Lot 2",
        "Produits bio",
        "Appel d'offres ouvert",
        "Fournitures",
        "15894210-6",
        "2022-01-10",
        "21/02/2022 16h00",
        2,
        60000,
        "Ferme des Hautes-Côtes",
        "44306184100047",
        "58 200",
        None,
        "14/03/2022",
        48,
        "Attribuée",
        None,
    ],
    [
        "2023-SV-002",
        "Maîtrise d'œuvre de la salle des fêtes",
        None,
        None,
        "MAPA",
        "Services",
        "71000000",
        45000,
        45031,
        0,
        "95000",
        None,
        None,
        None,
        None,
        None,
        None,
        "Infructueuse",
        "Aucune offre",
    ],
]


def legacy_export(rows=None, headers=None, *, title_rows: int = 2, sheets=("Consultations",)) -> bytes:
    """The workbook: a title line and a blank line above the headers (as exports often have)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet_title in sheets:
        ws = workbook.create_sheet(sheet_title)
        if title_rows:
            ws.append(["Export des consultations — ancienne plateforme — 12/11/2026"])
            for _ in range(title_rows - 1):
                ws.append([])
        ws.append(list(headers or HEADERS))
        for row in ROWS if rows is None else rows:
            ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
