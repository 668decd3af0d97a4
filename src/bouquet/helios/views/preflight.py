"""The pre-flight report as the upload page shows it, laid out from the ``preflight`` service's findings.

The service (``bouquet.helios.services.preflight``) reads the uploaded bytes with ``bouquet.helios.pes``
and decides; this module only arranges its findings for people: each S²LOW check with its outcome (passed
ones too), the schema errors in French with their line numbers, each signature with its signer, signing
time and verdict, and what concerns the authority itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bouquet.helios.errors import RefusalItem
from bouquet.helios.pes import PESDocument
from bouquet.helios.services.preflight import PreflightReport, SignatureVerdict

__all__ = ["CHECKS", "CheckRow", "PreflightView", "SignatureRow", "arrange"]

#: S²LOW's checks in the order its analysis runs them: (label, codes of the findings that fail it).
CHECKS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Fichier à destination d'Hélios (PES_Aller ou PES_ACQUIT_RETOUR)", ("not_outgoing",)),
    ("Taille de 128 Mio au plus", ("too_large",)),
    ("Encodage ISO-8859-1 déclaré dans l'en-tête XML", ("encoding_not_iso_8859_1",)),
    ("Au moins un bordereau, une pièce justificative ou un marché", ("empty",)),
    ("Identifiant du fichier (NomFic) présent", ("nomfic_missing",)),
    ("Code collectivité (CodCol) présent, 3 caractères au plus", ("codcol_missing", "codcol_too_long")),
    (
        "SIRET de la collectivité (IdColl) présent, 14 caractères au plus",
        ("idcoll_missing", "idcoll_too_long"),
    ),
    ("NomFic jamais transmis pour ce code collectivité", ("nomfic_codcol_known",)),
    ("Fichier jamais déposé à l'identique", ("duplicate_content",)),
    ("Identifiants (attributs Id) sans doublon", ("duplicate_ids",)),
)
AUTHORITY_CODES = {"p_dest_missing", "siret_elsewhere"}
SCHEMA_CODES = {"schema", "schema_rebuilt", "schema_unavailable"}


@dataclass(frozen=True)
class CheckRow:
    """One line of the checks table: passed, or failed with the findings that say why."""

    label: str
    findings: tuple[RefusalItem, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.blocking

    @property
    def blocking(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


@dataclass(frozen=True)
class SignatureRow:
    """One signature: what it covers, who signed and when, the verdict and the details."""

    verdict: SignatureVerdict
    signer: str
    target: str
    signing_time: datetime | None
    findings: tuple[RefusalItem, ...]

    @property
    def ok(self) -> bool:
        return self.verdict.valid

    @property
    def blocking(self) -> bool:
        return not self.verdict.valid


@dataclass(frozen=True)
class PreflightView:
    """The service's report and its findings, grouped the way the page presents them."""

    report: PreflightReport
    checks: tuple[CheckRow, ...]
    authority_items: tuple[RefusalItem, ...]
    other_items: tuple[RefusalItem, ...]
    signatures: tuple[SignatureRow, ...]
    schema_unavailable: str | None

    @property
    def file_name(self) -> str:
        return self.report.filename

    @property
    def size(self) -> int:
        return self.report.size

    @property
    def document(self) -> PESDocument | None:
        return self.report.document

    @property
    def schema(self):
        return self.report.schema

    @property
    def schema_errors(self) -> tuple:
        return self.report.schema.errors if self.report.schema else ()

    @property
    def accepted(self) -> bool:
        return self.report.accepted

    @property
    def warnings(self) -> tuple[RefusalItem, ...]:
        return self.report.warnings

    @property
    def reasons(self) -> list[str]:
        """Why the file is refused, in French with line numbers (empty when accepted)."""
        return [str(item) for item in self.report.errors]


def common_name(subject: str | None) -> str:
    """``CN=LOPES_Celine,OU=…`` → ``LOPES Celine`` (the whole subject when it names no CN)."""
    if not subject:
        return "signataire inconnu"
    for part in subject.split(","):
        key, _, value = part.partition("=")
        if key.strip().upper() == "CN" and value.strip():
            return value.strip().replace("_", " ")
    return subject


def _target(verdict: SignatureVerdict, document: PESDocument | None) -> str:
    ids = set(verdict.referenced_ids)
    for bordereau in document.bordereaux if document else ():
        if bordereau.id and bordereau.id in ids:
            kind = "dépense" if bordereau.domain == "depense" else "recette"
            return f"Bordereau de {kind} n° {bordereau.id_bord or '?'} (exercice {bordereau.exer or '?'})"
    if document is not None and document.root_id and document.root_id in ids:
        return "Fichier entier"
    if verdict.signed_element == "PJ":
        return "Pièce justificative"
    return verdict.signed_element or "élément non identifié"


def _moment(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _is_signature_item(item: RefusalItem) -> bool:
    return item.code.startswith("signature_") or item.code == "signer_refused"


def arrange(report: PreflightReport) -> PreflightView:
    """Group the report's findings: checks table, authority, schema, signatures, the rest."""
    items = report.items
    if report.document is None:
        return PreflightView(report, (), (), items, (), None)
    check_codes = {code for _label, codes in CHECKS for code in codes}
    if any(i.code == "not_outgoing" for i in items):
        checks = (CheckRow(CHECKS[0][0], tuple(i for i in items if i.code == "not_outgoing")),)
    else:
        checks = tuple(CheckRow(label, tuple(i for i in items if i.code in codes)) for label, codes in CHECKS)
    signatures = tuple(
        SignatureRow(
            verdict,
            common_name(verdict.signer),
            _target(verdict, report.document),
            _moment(verdict.signing_time),
            tuple(i for i in items if _is_signature_item(i) and i.line == verdict.line),
        )
        for verdict in report.signatures
    )
    grouped = check_codes | AUTHORITY_CODES | SCHEMA_CODES
    return PreflightView(
        report=report,
        checks=checks,
        authority_items=tuple(i for i in items if i.code in AUTHORITY_CODES),
        other_items=tuple(i for i in items if i.code not in grouped and not _is_signature_item(i)),
        signatures=signatures,
        schema_unavailable=next((i.message for i in items if i.code == "schema_unavailable"), None),
    )
