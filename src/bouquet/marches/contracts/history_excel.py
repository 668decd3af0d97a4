"""Reading a previous platform's Excel export of past consultations, tolerantly.

Platforms name their columns differently ("Réf.", "N° de consultation", "Date limite de remise
des plis", "Montant attribué (€ HT)"…): a header is recognised after removing accents, case,
punctuation and one-letter words, by its exact name first, then by its beginning. Dates may be
Excel dates, Excel serial numbers or text in the usual French and ISO forms; amounts may be
numbers or text such as « 12 345,67 € ». ``history_columns.COLUMNS`` is the documented list.

Files are checked before openpyxl reads them: a real .xlsx (zip), bounded sizes, no DTD or
entity in any XML part.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from bouquet.marches.contracts.errors import HistoryImportError
from bouquet.marches.contracts.history_columns import COLUMNS

__all__ = ["COLUMNS", "ParsedRow", "ParsedSheet", "read_history_workbook"]

PARIS = ZoneInfo("Europe/Paris")

REQUIRED = ("reference", "object")
HEADER_SCAN_ROWS = 15
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 150
MONTHS = {
    "janvier": 1,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
}


STOP_WORDS = frozenset({"de", "du", "des", "la", "le", "les", "en", "au", "aux"})


def normalise(text: Any) -> str:
    """« N° de la Consultation » → ``consultation``: no accents, case, punctuation, one-letter or
    linking words."""
    value = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", value).split()
    return " ".join(w for w in words if (len(w) > 1 or w.isdigit()) and w not in STOP_WORDS)


_ALIASES = sorted(
    ((normalise(alias), name) for name, (_, _, aliases) in COLUMNS.items() for alias in aliases),
    key=lambda pair: -len(pair[0]),
)


def match_header(header: Any) -> str | None:
    """The field a header stands for: exact alias, else the longest alias it begins with.

    Amounts "TTC" are never taken for amounts "HT" (they stay in the other columns).
    """
    text = normalise(header)
    if not text or "ttc" in text.split():
        return None
    for alias, name in _ALIASES:
        if text == alias:
            return name
    for alias, name in _ALIASES:
        if text.startswith(alias + " "):
            return name
    return None


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]
    extra: dict[str, str]


@dataclass
class ParsedSheet:
    """What was read: the sheet, which header became which field, the rows, the problems."""

    title: str
    columns: dict[str, str]  # field → header as written
    ignored: list[str]
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# --- Values ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


def _amount(value: Any) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = re.sub(r"(?i)\b(eur|euros?|ht|ttc)\b|€|\s", "", str(value))
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    else:
        text = text.replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("montant illisible") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError("montant illisible")
    return amount.quantize(Decimal("0.01"))


_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M", "%Hh%M", "%Hh")


def _parse_date_text(text: str) -> tuple[date, time | None]:
    """« 15/03/2023 », « 15/03/2023 12:00 », « 2023-03-15T12:00:00 », « 15 mars 2023 à 12h00 »…"""
    text = text.strip()
    iso = re.fullmatch(
        r"(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?", text
    )
    if iso:
        return date.fromisoformat(iso[1]), _parse_time(iso[2])
    words = normalise(text).split()
    if len(words) >= 3 and words[1] in MONTHS:
        day = date(int(words[2]), MONTHS[words[1]], int(words[0].removesuffix("er")))
        return day, _parse_time(words[3]) if len(words) > 3 else None
    parts = [p for p in text.split() if p.lower() not in ("a", "à")]
    for fmt in _DATE_FORMATS:
        try:
            day = datetime.strptime(parts[0], fmt).date()
        except (ValueError, IndexError):
            continue
        return day, _parse_time(parts[1]) if len(parts) > 1 else None
    raise ValueError


def _parse_time(text: str) -> time:
    text = text.strip().lower()
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise ValueError


def _datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's serial dates: 1900-01-01 to 9999-12-31
            raise ValueError
        moment = from_excel(value)
    elif re.fullmatch(r"\s*\d{5}(\.\d+)?\s*", str(value)):  # a serial date that became text
        return _datetime(float(value))
    else:
        day, at = _parse_date_text(str(value))
        moment = datetime.combine(day, at or time())
    if not 1990 <= moment.year <= 2100:
        raise ValueError
    return moment.replace(tzinfo=PARIS) if moment.tzinfo is None else moment


def _siret(value: Any) -> str:
    text = re.sub(r"[\s.\-]", "", _text(value))
    if not re.fullmatch(r"\d{14}", text):
        raise ValueError("un SIRET compte 14 chiffres")
    return text


def _int(value: Any) -> int:
    number = Decimal(str(value).strip().replace(",", ".")) if not isinstance(value, int) else Decimal(value)
    if number != number.to_integral_value() or number < 0:
        raise ValueError
    return int(number)


def _lot(value: Any) -> str:
    text = _text(value)
    match = re.fullmatch(r"(?i)lot\s*(?:n[°o.]?\s*)?(\w+)", text)
    return match.group(1) if match else text


def convert(kind: str, value: Any) -> Any:
    """The typed value of a cell. :raises ValueError: unreadable."""
    if kind == "text":
        return _text(value)
    if kind == "lot":
        return _lot(value)
    if kind == "amount":
        return _amount(value)
    if kind == "int":
        return _int(value)
    if kind == "siret":
        return _siret(value)
    moment = _datetime(value)
    return moment if kind == "datetime" else moment.date()


_EXPECTED = {
    "amount": "un montant (ex. 12 345,67)",
    "int": "un nombre entier",
    "siret": "un SIRET de 14 chiffres",
    "date": "une date (ex. 15/03/2023)",
    "datetime": "une date (ex. 15/03/2023 12:00)",
}


# --- Workbook --------------------------------------------------------------------------------


def _check_package(data: bytes, filename: str) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise HistoryImportError(
            f"« {filename} » est un classeur Excel ancien (.xls) : ouvrez-le dans Excel ou LibreOffice "
            "et enregistrez-le au format .xlsx, puis importez ce nouveau fichier."
        )
    if not data.startswith(b"PK"):
        raise HistoryImportError(f"« {filename} » n'est pas un classeur Excel .xlsx.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            if "[Content_Types].xml" not in package.namelist() or not any(
                i.filename.startswith("xl/") for i in infos
            ):
                raise HistoryImportError(f"« {filename} » n'est pas un classeur Excel .xlsx.")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED or total > MAX_RATIO * max(len(data), 1):
                raise HistoryImportError(
                    f"« {filename} » est refusé : son contenu décompressé est anormalement gros."
                )
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    head = package.read(info)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise HistoryImportError(
                            f"« {filename} » est refusé : "
                            "il contient des déclarations XML interdites (DOCTYPE)."
                        )
    except zipfile.BadZipFile:
        raise HistoryImportError(
            f"« {filename} » est endommagé : ce n'est pas un classeur .xlsx lisible."
        ) from None


def _find_header(ws) -> tuple[int, list[Any]] | None:
    for number, row in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), 1):
        fields = {match_header(cell) for cell in row} - {None}
        if "reference" in fields and len(fields) >= 2:
            return number, list(row)
    return None


def read_history_workbook(data: bytes, filename: str, max_rows: int) -> ParsedSheet:
    """The first sheet whose header row names at least a reference and one other known column.

    :raises HistoryImportError: not an .xlsx, unsafe, no recognisable header, too many rows.
    """
    _check_package(data, filename)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken package
        raise HistoryImportError(
            f"« {filename} » est endommagé : Excel ne pourrait pas l'ouvrir non plus."
        ) from None
    try:
        for ws in workbook.worksheets:
            found = _find_header(ws)
            if found is not None:
                return _read_sheet(ws, *found, max_rows)
        labels = ", ".join(f"« {COLUMNS[name][1]} »" for name in REQUIRED)
        raise HistoryImportError(
            f"Aucune feuille de « {filename} » n'a de ligne d'en-têtes reconnue : il faut au moins "
            f"les colonnes {labels}. Voyez la liste des en-têtes acceptés sur la page d'import."
        )
    finally:
        workbook.close()


def _read_sheet(ws, header_row: int, headers: list[Any], max_rows: int) -> ParsedSheet:
    columns: dict[int, str] = {}
    sheet = ParsedSheet(ws.title, {}, [])
    for index, header in enumerate(headers):
        name = match_header(header)
        if name and name not in sheet.columns:
            columns[index] = name
            sheet.columns[name] = str(header)
        elif header not in (None, ""):
            sheet.ignored.append(str(header))
    missing = [COLUMNS[name][1] for name in REQUIRED if name not in sheet.columns]
    if missing:
        raise HistoryImportError(f"Colonne obligatoire introuvable : {', '.join(missing)}.")
    extras = {i: str(h) for i, h in enumerate(headers) if i not in columns and h not in (None, "")}
    for number, row in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1):
        if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        if len(sheet.rows) >= max_rows:
            raise HistoryImportError(
                f"Le fichier dépasse {max_rows} lignes : découpez-le en plusieurs fichiers."
            )
        sheet.rows.append(_read_row(sheet, number, row, columns, extras))
    return sheet


def _read_row(sheet: ParsedSheet, number: int, row: tuple, columns: dict[int, str], extras: dict[int, str]):
    values: dict[str, Any] = {}
    for index, name in columns.items():
        raw = row[index] if index < len(row) else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        kind, label, _ = COLUMNS[name]
        try:
            values[name] = convert(kind, raw)
        except (ValueError, ArithmeticError):
            sheet.problems.append(
                f"Ligne {number}, colonne « {sheet.columns[name]} » : "
                f"« {_text(raw)[:60]} » n'est pas {_EXPECTED[kind]}."
            )
    for name in REQUIRED:
        if not values.get(name):
            sheet.problems.append(f"Ligne {number} : la colonne « {sheet.columns[name]} » est vide.")
    extra = {
        header: _text(row[index])
        for index, header in extras.items()
        if index < len(row) and row[index] not in (None, "")
    }
    return ParsedRow(number, values, extra)
