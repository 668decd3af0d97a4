"""Generates a previous operator's export (the format of docs/history-import.md) for the tests."""

import csv
from datetime import datetime, timedelta
from pathlib import Path

AUTHORITIES = [
    # id, siren, nom, nature, departement, arrondissement, population, sirets
    ("c1", "213102122", "Commune de Reprise-sur-Ouche", "31", "21", "2", "812", "21310212200013"),
    ("c2", "200055648", "Syndicat des eaux de la Reprise", "41", "021", "1", "", ""),
]


def write_csv(path: Path, header: list[str], rows, encoding="utf-8", delimiter=";") -> None:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)


def build_export(
    folder: Path, n_actes: int, *, start: datetime | None = None, distinct_files: int | None = None
) -> Path:
    """An export with two authorities, three users and ``n_actes`` acts (a PDF each; every other
    one acknowledged, with its AR and four dated states). ``distinct_files`` caps the number of
    different files written, the acts sharing them in turn (disk writes dominate large runs)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fichiers").mkdir(exist_ok=True)
    write_csv(
        folder / "collectivites.csv",
        ["id", "siren", "nom", "nature", "departement", "arrondissement", "population", "sirets"],
        AUTHORITIES,
    )
    write_csv(
        folder / "utilisateurs.csv",
        ["id", "courriel", "prénom", "nom", "siren", "rôle", "actes", "helios"],
        [
            ("u1", "secretariat@reprise.example.test", "Claire", "Dumont", "213102122", "admin",
             "ecriture+CS+TT", "lecture"),
            ("u2", "maire@reprise.example.test", "Jean", "Morel", "213102122", "agent", "lecture", ""),
            ("u3", "eau@reprise.example.test", "Lina", "Petit", "200055648", "agent", "ecriture+CS", ""),
        ],
    )  # fmt: skip
    start = start or datetime(2021, 1, 4, 9, 0, 0)
    actes, states = [], []
    for i in range(n_actes):
        siren = AUTHORITIES[i % 2][1]
        created = start + timedelta(hours=7 * i)
        f = i % distinct_files if distinct_files else i
        pdf = f"fichiers/{f:06d}.pdf"
        if not (folder / pdf).exists():
            (folder / pdf).write_bytes(b"%PDF-1.4\n% acte " + str(f).encode() + b"\n%%EOF\n")
        acked = i % 2 == 0
        ar = ""
        if acked:
            ar = f"fichiers/{f:06d}-ar.xml"
            if not (folder / ar).exists():
                (folder / ar).write_bytes(b'<?xml version="1.0" encoding="ISO-8859-1"?><ARActe n="%d"/>' % f)
        actes.append(
            (f"S2LOW-{i}", siren, "1", f"2021_{i:06d}", f"Délibération n°{i}", "1", "7.1",
             created.date().isoformat(), "4" if acked else "3", f"021-{siren}-{i}" if acked else "",
             created.strftime("%d/%m/%Y %H:%M:%S"), pdf, ar)
        )  # fmt: skip
        for offset, status in enumerate(["1", "2", "3"] + (["4"] if acked else [])):
            states.append((f"S2LOW-{i}", status, (created + timedelta(minutes=10 * offset)).isoformat(), ""))
    write_csv(
        folder / "actes.csv",
        ["id", "siren", "type", "numero", "objet", "nature", "classification", "date_decision", "etat",
         "id_acte", "date_creation", "fichiers", "accuse_reception"],
        actes,
    )  # fmt: skip
    write_csv(folder / "actes_etats.csv", ["id_transaction", "etat", "date", "message"], states)
    return folder


def add_helios(folder: Path, n_pes: int, *, start: datetime | None = None) -> Path:
    """``n_pes`` PES_Aller (each its own NomFic), every other one with its PES_ACQUIT."""
    from tests.helios.helpers import acquit, pes

    start = start or datetime(2022, 3, 1, 9, 0, 0)
    rows, states = [], []
    for i in range(n_pes):
        siren = AUTHORITIES[i % 2][1]
        created = start + timedelta(days=i)
        nom_fic = f"REPRISE-{i:05d}"
        path = f"fichiers/pes-{i:05d}.xml"
        (folder / path).write_bytes(pes(nom_fic, id_coll=siren + "00016" if i % 2 == 0 else siren + "00010"))
        acquit_path = ""
        if i % 2 == 0:
            acquit_path = f"fichiers/acquit-{i:05d}.xml"
            (folder / acquit_path).write_bytes(acquit(nom_fic))
        rows.append(
            (f"H-{i}", siren, nom_fic, path, "8" if acquit_path else "3", created.isoformat(), acquit_path)
        )
        for offset, status in enumerate(["1", "2", "3"] + (["8"] if acquit_path else [])):
            states.append((f"H-{i}", status, (created + timedelta(hours=offset)).isoformat(), ""))
    write_csv(
        folder / "helios.csv",
        ["id", "siren", "nom_fichier", "fichier", "etat", "date_creation", "acquit"],
        rows,
    )
    write_csv(folder / "helios_etats.csv", ["id_transaction", "etat", "date", "message"], states)
    return folder
