"""The previous operator's export, as we accept it: a folder of S²LOW-style CSV files (one row
per item, semicolons, UTF-8 or ISO-8859-1) and the files they name, by path relative to the
folder. docs/history-import.md describes every column.

Reading is strict about what could hurt (paths outside the folder, links, oversize files,
unknown statuses) and tolerant about what varies between exports (header case and accents,
delimiter, date formats, BOM).
"""

import csv
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

MAX_FILE_BYTES = 150 * 1024 * 1024
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
DATETIME_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M")

# file name → required columns, optional columns
TABLES = {
    "collectivites.csv": (
        ["id", "siren", "nom", "nature", "departement", "arrondissement"],
        ["population", "sirets"],
    ),
    "utilisateurs.csv": (["id", "courriel", "prenom", "nom", "siren"], ["role", "actes", "helios"]),
    "actes.csv": (
        ["id", "siren", "type", "etat", "date_creation"],
        [
            "numero",
            "objet",
            "nature",
            "classification",
            "date_decision",
            "id_acte",
            "fichiers",
            "accuse_reception",
            "id_transaction_liee",
        ],
    ),  # fmt: skip
    "actes_etats.csv": (["id_transaction", "etat", "date"], ["message"]),
    "helios.csv": (["id", "siren", "nom_fichier", "fichier", "etat", "date_creation"], ["acquit"]),
    "helios_etats.csv": (["id_transaction", "etat", "date"], ["message"]),
}


class ExportError(ValueError):
    """A problem in the export, in French, with the file and line it comes from."""


@dataclass(frozen=True)
class Row:
    table: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "").strip()

    def where(self) -> str:
        return f"{self.table}, ligne {self.line}"


def _key(header: str) -> str:
    """« Date de création » and "date_creation" name the same column."""
    text = unicodedata.normalize("NFKD", header.strip().lower().lstrip("\ufeff"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return "_".join(text.replace("-", " ").replace("'", " ").split())


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("iso-8859-1")


class Export:
    """A folder on disk holding an export; every path it hands out stays inside the folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder).resolve()
        if not self.folder.is_dir():
            raise ExportError(f"Le dossier {folder} n'existe pas.")
        if not (self.folder / "collectivites.csv").is_file():
            raise ExportError("L'export doit contenir au moins collectivites.csv.")

    def has(self, table: str) -> bool:
        return (self.folder / table).is_file()

    def rows(self, table: str) -> Iterator[Row]:
        required, optional = TABLES[table]
        path = self.folder / table
        if not path.is_file():
            return
        text = _decode(path.read_bytes(), table)
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        try:
            header = [_key(h) for h in next(reader)]
        except StopIteration:
            return
        missing = [c for c in required if c not in header]
        if missing:
            raise ExportError(f"{table} : colonne(s) manquante(s) : {', '.join(missing)}.")
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise ExportError(f"{table}, ligne {number} : plus de valeurs que de colonnes.")
            yield Row(table, number, dict(zip(header, cells, strict=False)))

    def read_file(self, relative: str, row: Row) -> bytes:
        """The bytes of a file the export names; refuses anything that leaves the folder."""
        if not relative or relative.startswith(("/", "\\")) or ".." in Path(relative).parts:
            raise ExportError(f"{row.where()} : chemin de fichier refusé « {relative} ».")
        path = self.folder / relative
        if path.is_symlink() or not path.resolve().is_relative_to(self.folder):
            raise ExportError(f"{row.where()} : chemin de fichier refusé « {relative} ».")
        if not path.is_file():
            raise ExportError(f"{row.where()} : fichier introuvable « {relative} ».")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ExportError(f"{row.where()} : fichier trop volumineux « {relative} ».")
        return path.read_bytes()


def parse_date(value: str, row: Row) -> date | None:
    if not value:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value[:10], fmt).date()
        except ValueError:
            continue
    raise ExportError(f"{row.where()} : date illisible « {value} » (attendu AAAA-MM-JJ ou JJ/MM/AAAA).")


def parse_datetime(value: str, row: Row, tz) -> datetime:
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
        for fmt in DATETIME_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if parsed is None:
            try:
                only = parse_date(text, row)
            except ExportError:
                only = None
            if only is None:
                raise ExportError(f"{row.where()} : date et heure illisibles « {value} ».") from None
            parsed = datetime(only.year, only.month, only.day)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def parse_int(value: str, row: Row, column: str, allowed=None) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ExportError(f"{row.where()} : « {column} » doit être un nombre (lu « {value} »).") from None
    if allowed is not None and number not in allowed:
        raise ExportError(f"{row.where()} : valeur inconnue pour « {column} » : {number}.")
    return number
