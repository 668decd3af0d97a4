"""Forms of the ACTES pages: list filters, a new act, a batch of acts, an answer to the préfecture.

The forms only check what the user typed and turn uploads into plain values; the business rules
(number unique, classification known, document formats…) stay in the services, whose French
findings the views attach to the fields (``FINDING_FIELDS``).
"""

import csv
import datetime as dt
import io
import json

from django import forms
from django.core.exceptions import ValidationError

from bouquet.actes.choices import Nature, ResponseKind, Status, TransactionType
from bouquet.actes.protocol import FindingCode
from bouquet.actes.protocol.constants import NATURES, NUMERO_INTERNE_RE
from bouquet.actes.protocol.messages import RetourClassification
from bouquet.actes.services.create_act_batch import BatchRow

__all__ = [
    "FINDING_FIELDS",
    "ActForm",
    "AnswerForm",
    "BatchForm",
    "BatchRow",
    "OperatorFilterForm",
    "TransactionFilterForm",
]

#: The same pattern as the protocol's, written for the browser's RegExp (static/actes/new_act.js).
NUMBER_PATTERN = "^([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]$"
NUMBER_HELP = "De 1 à 15 caractères : majuscules, chiffres et « _ », sans « _ » au début ni à la fin."
NUMBER_INVALID = "Numéro invalide : utilisez de 1 à 15 majuscules, chiffres ou « _ » (ex. 2025_D012)."

#: Which field a protocol finding is shown next to (None: at the top of the form).
FINDING_FIELDS: dict[str, str | None] = {
    FindingCode.NUMERO_INTERNE_FORMAT: "number",
    FindingCode.NUMERO_INTERNE_DOUBLON: "number",
    FindingCode.OBJET_VIDE: "subject",
    FindingCode.OBJET_TROP_LONG: "subject",
    FindingCode.DATE_FUTURE: "decision_date",
    FindingCode.NATURE_INCONNUE: "nature",
    FindingCode.CLASSIFICATION_NIVEAUX: "classification",
    FindingCode.CLASSIFICATION_INCONNUE: "classification",
    FindingCode.DOCUMENT_FORMAT: "main_document",
    FindingCode.DOCUMENT_XML_INTERDIT: "main_document",
    FindingCode.ANNEXE_FORMAT: "annexes",
    FindingCode.ANNEXE_PDF_REQUIS: "annexes",
    FindingCode.ANNEXES_NOMBRE: "annexes",
    FindingCode.TYPOLOGIE_MANQUANTE: "main_typology",
    FindingCode.TYPOLOGIE_FORMAT: "main_typology",
    FindingCode.TYPOLOGIE_NON_AUTORISEE: "main_typology",
    FindingCode.ARCHIVE_TROP_VOLUMINEUSE: "annexes",
}

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _with_all(choices, label: str = "Tous") -> list:
    return [("", label), *choices]


class TransactionFilterForm(forms.Form):
    """The list filters; every one maps to an indexed column or narrows an index range."""

    status = forms.TypedChoiceField(
        label="État", required=False, coerce=int, choices=_with_all(Status.choices), empty_value=None
    )
    type = forms.TypedChoiceField(
        label="Type",
        required=False,
        coerce=int,
        choices=_with_all(TransactionType.choices),
        empty_value=None,
    )
    nature = forms.TypedChoiceField(
        label="Nature",
        required=False,
        coerce=int,
        choices=_with_all(Nature.choices, "Toutes"),
        empty_value=None,
    )
    number = forms.CharField(label="Numéro", required=False, max_length=15)
    q = forms.CharField(label="Objet contient", required=False, max_length=100)
    since = forms.DateField(label="Déposé depuis le", required=False, widget=DATE_INPUT)
    until = forms.DateField(label="Déposé jusqu'au", required=False, widget=DATE_INPUT)

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "Cette date doit suivre la date de début.")
        return data


class OperatorFilterForm(TransactionFilterForm):
    authority = forms.CharField(
        label="Collectivité", required=False, help_text="Nom ou SIREN", max_length=100
    )


def classification_choices(classification: RetourClassification | None) -> list:
    """Subjects of level 2 and below, grouped by level 1 (a searchable tree in a plain <select>)."""
    if classification is None:
        return []

    def walk(matiere, prefix: str, depth: int):
        code = f"{prefix}.{matiere.code}"
        yield code, f"{'  ' * (depth - 2)}{code} {matiere.libelle}".rstrip()
        for kid in matiere.children:
            yield from walk(kid, code, depth + 1)

    groups = []
    for top in classification.matieres:
        options = [option for kid in top.children for option in walk(kid, str(top.code), 2)]
        if options:
            groups.append((f"{top.code} {top.libelle}", options))
    return groups


def typology_choices(classification: RetourClassification | None) -> list:
    """Typologies grouped by nature; the script shows the chosen nature's group only."""
    if classification is None:
        return []
    return [
        (nature.libelle, [(t.code, f"{t.code} — {t.libelle}") for t in nature.types_pj])
        for nature in classification.natures
        if nature.types_pj
    ]


def _typology_natures(classification: RetourClassification | None) -> dict[str, str]:
    """Optgroup label → nature code, for the template's data-nature attributes."""
    if classification is None:
        return {}
    return {nature.libelle: str(nature.code) for nature in classification.natures}


class ActForm(forms.Form):
    nature = forms.TypedChoiceField(label="Nature de l'acte", coerce=int)
    number = forms.CharField(
        label="Numéro de l'acte",
        max_length=15,
        help_text=NUMBER_HELP,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-pattern": NUMBER_PATTERN, "data-message": NUMBER_INVALID}
        ),
    )
    decision_date = forms.DateField(label="Date de décision", widget=DATE_INPUT)
    subject = forms.CharField(
        label="Objet", max_length=500, widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500})
    )
    classification = forms.ChoiceField(
        label="Classification (matière)",
        help_text="Tapez quelques lettres ou un code (ex. 3.2) dans le filtre pour trouver la matière.",
        widget=forms.Select(attrs={"size": 10}),
    )
    main_document = forms.FileField(
        label="Document principal", help_text="L'acte signé, en PDF.", widget=forms.ClearableFileInput()
    )
    main_typology = forms.ChoiceField(label="Type du document principal")
    annexes = MultipleFileField(
        label="Annexes", required=False, help_text="PDF, JPEG ou PNG ; plusieurs fichiers possibles."
    )
    annex_typology = forms.ChoiceField(label="Type des annexes", required=False)
    document_papier = forms.BooleanField(
        label="Des documents papier complémentaires sont envoyés à la préfecture", required=False
    )

    def __init__(self, *args, classification: RetourClassification | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.classification = classification
        natures = classification.natures if classification is not None else []
        self.fields["nature"].choices = [(n.code, n.libelle) for n in natures] or [
            (code, label) for code, (_abbr, label) in NATURES.items()
        ]
        self.fields["classification"].choices = [("", "— Choisissez une matière —")] + classification_choices(
            classification
        )
        typologies = typology_choices(classification)
        self.fields["main_typology"].choices = [("", "— Choisissez un type —"), *typologies]
        self.fields["annex_typology"].choices = [("", "— Même type pour toutes les annexes —"), *typologies]
        groups = json.dumps(_typology_natures(classification))
        for name, role in (("main_typology", "main"), ("annex_typology", "annex")):
            self.fields[name].widget.attrs.update(
                {"class": "typology", "data-role": role, "data-groups": groups}
            )

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip().upper()
        if not NUMERO_INTERNE_RE.fullmatch(number):
            raise ValidationError(NUMBER_INVALID)
        return number

    def clean_subject(self) -> str:
        subject = " ".join(self.cleaned_data["subject"].split())
        if not subject:
            raise ValidationError("L'objet de l'acte est obligatoire.")
        return subject

    def annex_typologies(self, data) -> list[str]:
        """One typology per annex, in order: the per-file selects (script) or the shared one."""
        chosen = [value for value in data.getlist("annex_typology") if value]
        annexes = self.cleaned_data.get("annexes") or []
        if not chosen:
            return [""] * len(annexes)
        return [chosen[n] if n < len(chosen) else chosen[-1] for n in range(len(annexes))]


class AnswerForm(forms.Form):
    """The answer to a préfecture letter: a document, and for pièces complémentaires possibly more."""

    kind = forms.TypedChoiceField(
        coerce=int, choices=ResponseKind.choices, widget=forms.HiddenInput, initial=ResponseKind.ENVOI
    )
    document = forms.FileField(label="Document de réponse (PDF)")
    annexes = MultipleFileField(label="Autres pièces", required=False)


# --- Batch sending --------------------------------------------------------------------------

#: Sheet column → accepted header spellings (lower case, without accents).
COLUMNS = {
    "number": ("numero", "numéro", "numero interne", "n°"),
    "nature": ("nature",),
    "decision_date": ("date", "date de decision", "date de décision"),
    "subject": ("objet",),
    "classification": ("classification", "matiere", "matière"),
    "document": ("document", "fichier", "document principal"),
    "typology": ("typologie", "type"),
    "annexes": ("annexes",),
    "annex_typologies": ("typologies annexes", "typologies_annexes", "types annexes"),
    "document_papier": ("papier", "documents papier"),
}
REQUIRED_COLUMNS = ("number", "nature", "decision_date", "subject", "classification", "document")
ABBREVIATIONS = {abbr: code for code, (abbr, _label) in NATURES.items()}
MAX_ROWS = 500


class _Semicolon(csv.excel):
    """What French spreadsheets write when the sniffer cannot tell (a one-column sheet…)."""

    delimiter = ";"


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.replace(";", "|").split("|") if part.strip()]


def _parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"date « {text} » illisible (attendu JJ/MM/AAAA)")


def _parse_nature(value) -> int:
    text = str(value or "").strip().upper()
    if text in ABBREVIATIONS:
        return ABBREVIATIONS[text]
    try:
        code = int(float(text))
    except ValueError:
        code = 0
    if code not in NATURES:
        raise ValueError(f"nature « {value} » inconnue (1 à 6, ou DE, AR, AI, CC, BF, AU)")
    return code


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(name: str, content: bytes) -> list[list]:
    """The rows of a CSV (``;``, ``,`` or tab separated, UTF-8 or Windows-1252) or Excel sheet."""
    if content.startswith(b"PK"):
        import openpyxl  # only the batch page needs it

        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(f"Le classeur Excel est illisible ({exc.__class__.__name__}).") from None
        rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        workbook.close()
        return rows
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t")
    except csv.Error:
        dialect = _Semicolon
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _header_map(header: list) -> dict[str, int]:
    found = {}
    for index, cell in enumerate(header):
        label = _cell(cell).lower().strip()
        for column, spellings in COLUMNS.items():
            if label in spellings or label == column:
                found.setdefault(column, index)
    return found


def parse_rows(rows: list[list]) -> list[BatchRow]:
    """Sheet rows → one :class:`BatchRow` per non-empty line (line numbers as the user sees them)."""
    if not rows:
        raise ValidationError("Le tableau est vide.")
    columns = _header_map(rows[0])
    missing = [COLUMNS[c][0] for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ValidationError(f"Colonnes manquantes dans la première ligne : {', '.join(missing)}.")
    result = []
    for line, row in enumerate(rows[1:], start=2):
        cells = {c: _cell(row[i]) if i < len(row) else "" for c, i in columns.items()}
        raw_date = row[columns["decision_date"]] if columns["decision_date"] < len(row) else None
        if not any(cells.values()):
            continue
        item = BatchRow(line=line, number=cells["number"].upper())
        try:
            item.values = {
                "number": cells["number"].upper(),
                "nature": _parse_nature(cells["nature"]),
                "decision_date": _parse_date(raw_date),
                "subject": cells["subject"],
                "classification": cells["classification"],
                "document": cells["document"],
                "typology": cells.get("typology", "").upper(),
                "annexes": _split(cells.get("annexes", "")),
                "annex_typologies": [t.upper() for t in _split(cells.get("annex_typologies", ""))],
                "document_papier": cells.get("document_papier", "").lower() in {"oui", "o", "1", "x", "vrai"},
            }
        except ValueError as exc:
            item.error = f"Ligne illisible : {exc}."
        result.append(item)
    if not result:
        raise ValidationError("Le tableau ne contient aucun acte (seulement la ligne d'en-tête).")
    if len(result) > MAX_ROWS:
        raise ValidationError(f"Un lot contient au plus {MAX_ROWS} actes.")
    return result


class BatchForm(forms.Form):
    sheet = forms.FileField(
        label="Tableau des actes (CSV ou Excel)",
        help_text="Une ligne par acte ; colonnes : numero, nature, date, objet, classification, document,"
        " et au choix typologie, annexes, typologies annexes, papier.",
    )
    files = MultipleFileField(label="Documents (PDF)", help_text="Tous les fichiers cités dans le tableau.")

    def clean_sheet(self) -> list[BatchRow]:
        upload = self.cleaned_data["sheet"]
        return parse_rows(read_sheet(upload.name, upload.read()))

    def clean_files(self) -> dict[str, bytes]:
        uploads = self.cleaned_data["files"]
        if not uploads:
            raise ValidationError("Joignez les documents cités dans le tableau.")
        return {upload.name: upload.read() for upload in uploads}
