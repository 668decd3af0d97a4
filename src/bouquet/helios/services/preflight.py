"""Analyse a PES before anything is stored: S²LOW's checks, the official schema, every signature.

A page calls :func:`preflight` to show the report immediately; :func:`upload_pes` calls it again
and refuses the file when the report has an error. Nothing here writes to the database.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from bouquet.core.models import Siret
from bouquet.helios.choices import Status
from bouquet.helios.errors import RefusalItem
from bouquet.helios.models import Transaction
from bouquet.helios.pes import (
    PESDocument,
    PESError,
    PESKind,
    SchemaReport,
    SchemaUnavailableError,
    SignatureResult,
    check_outgoing,
    read_pes,
    validate_schema,
    verify_signatures,
)
from bouquet.helios.pes._xml import source_size
from bouquet.helios.services.common import P_DEST_MISSING, Source, as_source, p_dest_of
from bouquet.helios.services.signers import validate_signer

__all__ = ["PreflightReport", "SignatureVerdict", "preflight"]

OUTGOING = (PESKind.ALLER, PESKind.ACQUIT_RETOUR)


@dataclass(frozen=True)
class SignatureVerdict:
    """One signature as a page shows it."""

    signature_id: str | None
    signed_element: str | None
    referenced_ids: tuple[str, ...]
    valid: bool
    message: str  #: French summary (why it is refused, or "valide")
    signer: str | None  #: subject of the signer's certificate
    signing_time: str | None  #: ISO 8601
    signer_message: str | None
    line: int | None


@dataclass(frozen=True)
class PreflightReport:
    """Everything found about one file; ``accepted`` when no item is an error.

    ``items`` are S²LOW's checks, schema findings and signature findings, each with its line when
    known; ``document`` is ``None`` when the file could not be read at all.
    """

    filename: str
    size: int
    sha256: str | None
    kind: str | None
    document: PESDocument | None
    items: tuple[RefusalItem, ...]
    schema: SchemaReport | None = None
    signatures: tuple[SignatureVerdict, ...] = ()
    checked_parts: tuple[str, ...] = field(default=())
    unchecked_parts: tuple[str, ...] = field(default=())

    @property
    def errors(self) -> tuple[RefusalItem, ...]:
        return tuple(i for i in self.items if i.severity == "error")

    @property
    def warnings(self) -> tuple[RefusalItem, ...]:
        return tuple(i for i in self.items if i.severity != "error")

    @property
    def accepted(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        """What is kept on the transaction (``intake_report``): no content, only findings."""
        doc = self.document
        return {
            "kind": self.kind,
            "size": self.size,
            "sha256": self.sha256,
            "items": [_item(i) for i in self.items],
            "schema": {
                "version": self.schema.version if self.schema else None,
                "checked_parts": list(self.checked_parts),
                "unchecked_parts": list(self.unchecked_parts),
            },
            "signatures": [vars(s) | {"referenced_ids": list(s.referenced_ids)} for s in self.signatures],
            "bordereaux": [
                {
                    "domain": b.domain,
                    "id_bord": b.id_bord,
                    "exer": b.exer,
                    "pieces": b.piece_count,
                    "amount": str(b.mt_bord_ht) if b.mt_bord_ht is not None else None,
                    "signed": b.signed,
                }
                for b in (doc.bordereaux if doc else ())
            ],
            "attachments": [
                {"nom_pj": a.nom_pj, "id_unique": a.id_unique, "type_pj": a.type_pj}
                for a in (doc.attachments if doc else ())
            ],
        }


def _item(item: RefusalItem) -> dict[str, Any]:
    return {"code": item.code, "severity": item.severity, "message": item.message, "line": item.line}


def _known(nom_fic: str, cod_col: str) -> bool:
    return Transaction.objects.filter(nom_fic=nom_fic, cod_col=cod_col).exclude(status=Status.ANNULE).exists()


def _duplicate(sha256: str) -> bool:
    return Transaction.objects.filter(sha256=sha256).exclude(status=Status.ANNULE).exists()


def _schema_items(report: SchemaReport) -> list[RefusalItem]:
    items = []
    for error in report.errors:
        if error.severity == "error":
            items.append(RefusalItem("schema", f"{error.explanation} ({error.part})", error.line))
        else:
            items.append(
                RefusalItem(
                    "schema_rebuilt",
                    f"{error.explanation} ({error.part} ; contrôle fondé sur un schéma reconstruit "
                    "ou d'une autre version, non bloquant : la DGFiP pourrait toutefois refuser le fichier)",
                    error.line,
                    "warning",
                )
            )
    return items


def _signature(result: SignatureResult) -> tuple[SignatureVerdict, list[RefusalItem]]:
    items = []
    if not result.crypto_ok:
        items.append(
            RefusalItem("signature_invalid", f"Signature invalide : {result.crypto_message}", result.line)
        )
    for finding in result.findings:
        items.append(
            RefusalItem(f"signature_{finding.code}", finding.message, finding.line, finding.severity)
        )
    if result.signer_ok is False:
        items.append(
            RefusalItem("signer_refused", result.signer_message or "Signataire refusé.", result.line)
        )
    if result.valid:
        summary = "Signature valide."
    else:
        summary = next((i.message for i in items if i.severity == "error"), "Signature refusée.")
    verdict = SignatureVerdict(
        signature_id=result.signature_id,
        signed_element=result.signed_element,
        referenced_ids=result.referenced_ids,
        valid=result.valid,
        message=summary,
        signer=result.signer_subject,
        signing_time=result.signing_time.isoformat() if result.signing_time else None,
        signer_message=result.signer_message,
        line=result.line,
    )
    return verdict, items


def _authority_items(doc: PESDocument, authority) -> list[RefusalItem]:
    items = []
    if not p_dest_of(authority):
        items.append(RefusalItem("p_dest_missing", P_DEST_MISSING))
    siret = doc.header.id_coll
    if siret:
        other = (
            Siret.objects.filter(siret=siret).exclude(authority=authority).select_related("authority").first()
        )
        if other is not None:
            items.append(
                RefusalItem(
                    "siret_elsewhere",
                    f"Le SIRET {siret} (IdColl) est déjà rattaché à une autre collectivité : les PES Retour "
                    "de ce SIRET continueront de lui être remis. Signalez-le à l'équipe de l'opérateur "
                    "si c'est une erreur.",
                    severity="warning",
                )
            )
    return items


def preflight(
    data: Source,
    *,
    filename: str = "",
    authority=None,
    max_size: int | None = None,
    schema_version: str | None = None,
    validate_signers: bool | None = None,
    is_known: Callable[[str, str], bool] | None = None,
    is_duplicate: Callable[[str], bool] | None = None,
) -> PreflightReport:
    """Check a PES_Aller (or PES_ACQUIT_RETOUR) as the intake does, without storing anything.

    :param data: the file: bytes, a path, or an uploaded file (read from disk when large).
    :param authority: when given, also check what depends on it (its P_DEST, its SIRET).
    :param is_known: ``(nomfic, codcol) -> bool``; default: the platform's transactions.
    :param is_duplicate: ``sha256 -> bool``; default: the platform's transactions.
    """
    max_size = max_size or settings.HELIOS_MAX_FILE_SIZE
    version = schema_version or settings.HELIOS_SCHEMA_VERSION
    if validate_signers is None:
        validate_signers = settings.HELIOS_VERIFY_SIGNERS
    source = as_source(data)
    size = source_size(source)
    try:
        doc = read_pes(source, max_size=max_size)
    except PESError as exc:
        return PreflightReport(
            filename, size, None, None, None, (RefusalItem(exc.code, exc.message, exc.line),)
        )
    items = [
        RefusalItem(f.code, f.message, f.line, f.severity)
        for f in check_outgoing(
            doc, is_known=is_known or _known, is_duplicate=is_duplicate or _duplicate, max_size=max_size
        )
    ]
    if doc.kind not in OUTGOING:
        return PreflightReport(filename, size, doc.sha256, str(doc.kind), doc, tuple(items))
    schema = None
    try:
        schema = validate_schema(source, doc.kind, version=version, max_size=max_size)
        items += _schema_items(schema)
    except SchemaUnavailableError as exc:
        items.append(RefusalItem("schema_unavailable", exc.message, severity="warning"))
    except PESError as exc:
        items.append(RefusalItem(exc.code, exc.message, exc.line))
    verdicts = []
    if doc.signatures:
        try:
            results = verify_signatures(
                source, validate_signer=validate_signer if validate_signers else None, max_size=max_size
            )
        except PESError as exc:
            results = ()
            items.append(RefusalItem(exc.code, exc.message, exc.line))
        for result in results:
            verdict, found = _signature(result)
            verdicts.append(verdict)
            items += found
    if authority is not None:
        items += _authority_items(doc, authority)
    return PreflightReport(
        filename=filename,
        size=size,
        sha256=doc.sha256,
        kind=str(doc.kind),
        document=doc,
        items=tuple(items),
        schema=schema,
        signatures=tuple(verdicts),
        checked_parts=schema.checked_parts if schema else (),
        unchecked_parts=schema.unchecked_parts if schema else (),
    )
