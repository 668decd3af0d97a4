"""Apply one file taken from the DGFiP's ``sortie`` directory, exactly once.

* PES_ACQUIT: matched by the NomFic and CodCol **inside it** (those of the PES_Aller it answers, never
  the file name); the transaction goes to 8 and keeps the file as its acquittement, whatever its
  EtatAck (as S²LOW; the page shows each element accepted or refused). An acquittement failing the
  schema is applied anyway (real ones do, e.g. CodCol "000"), with the schema findings kept.
* Another answer naming a NomFic (unknown root such as ``PES_NonAcquit``): the transaction goes to -1
  ("erreur retournée par Hélios") with the file attached.
* PES_Retour: routed by its SIRET (``EnTetePES/IdColl``) through the SIRET table filled from the PES
  sent; an unknown SIRET leaves it unassigned, for operator staff.
* Anything else, or an acquittement matching no transaction: kept in error for operator staff.
"""

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction as db
from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.core.models import Siret
from bouquet.helios import workflow
from bouquet.helios.choices import IncomingKind, IncomingState, SendState, Status
from bouquet.helios.models import Acquit, AcquitElement, IncomingFile, Retour, Transaction
from bouquet.helios.pes import (
    PESDocument,
    PESError,
    PESKind,
    PESRootError,
    SchemaUnavailableError,
    read_pes,
    validate_schema,
)
from bouquet.helios.pes._xml import local_name, secure_iterparse
from bouquet.helios.services.send_transaction import confirm_delivery
from bouquet.helios.storage import store
from bouquet.helios.transport import MAX_FETCH_SIZE, is_ocre

__all__ = ["IncomingResult", "apply_incoming_file", "create_retour", "find_transaction"]

ACTOR = Actor.system("réception des fichiers de la DGFiP (HELIOS)")
#: Statuses an acquittement applies to.
WAITING_ACQUIT = (Status.TRANSMIS, Status.TRANSMIS_SANS_ACQUITTEMENT)


@dataclass(frozen=True)
class IncomingResult:
    """The recorded file; ``duplicate`` when that name with that content was applied before."""

    file: IncomingFile
    duplicate: bool = False


@dataclass(frozen=True)
class _Outcome:
    kind: str
    state: str
    reason: str
    nom_fic: str = ""
    cod_col: str = ""
    siret: str = ""
    authority: object = None
    transaction: Transaction | None = None


def find_transaction(nom_fic: str, cod_col: str | None) -> Transaction | None:
    """S²LOW's matching: NomFic (+ CodCol when the answer has one); prefer "Transmis", then the latest."""
    candidates = Transaction.objects.filter(nom_fic=nom_fic).exclude(status=Status.ANNULE)
    if cod_col:
        candidates = candidates.filter(cod_col=cod_col)
    found = list(candidates.select_related("authority"))
    found.sort(
        key=lambda t: (t.status == Status.TRANSMIS, t.status in WAITING_ACQUIT, t.last_status_at, t.pk)
    )
    return found[-1] if found else None


def _lenient_key(data: bytes) -> tuple[str, str, str]:
    """(root, NomFic, CodCol) of a file whose root is not a PES document, when it carries them."""
    root, values = "", {}
    depth = 0
    try:
        for event, element in secure_iterparse(io.BytesIO(data)):
            if event == "start":
                depth += 1
                root = root or local_name(element.tag)
                continue
            depth -= 1
            name = local_name(element.tag)
            if name in ("NomFic", "CodCol", "CodColl") and name not in values:
                values[name] = element.get("V") or ""
    except PESError:
        pass
    return root, values.get("NomFic", ""), values.get("CodCol") or values.get("CodColl", "")


def attach_acquit(transaction, stored, name, root, doc, schema_valid, schema_errors, now) -> Acquit:
    acquit = Acquit.objects.create(
        authority=transaction.authority,
        transaction=transaction,
        file=stored,
        filename=name[:255],
        received_at=now,
        root=root[:60],
        nom_fic=(doc.envelope.nom_fic or "")[:100] if doc else transaction.nom_fic,
        cod_col=(doc.header.cod_col or "")[:10] if doc else "",
        schema_valid=schema_valid,
        schema_errors=schema_errors,
        all_accepted=bool(doc and doc.ack_elements and all(e.ok for e in doc.ack_elements)),
    )
    for position, element in enumerate(doc.ack_elements if doc else (), start=1):
        AcquitElement.objects.create(
            acquit=acquit,
            position=position,
            domain=(element.domain or "")[:5],
            domain_label=element.domain_label[:60],
            accepted=element.ok,
            num_bord=(element.num_bord or "")[:20],
            exercice_bord=(element.exercice_bord or "")[:4],
            id_marche=(element.id_marche or "")[:60],
            id_unique=(element.id_unique or "")[:60],
            errors=[
                {
                    "code": e.code,
                    "label": e.label,
                    "explanation": e.explanation,
                    "piece": e.piece,
                    "line_number": e.line_number,
                }
                for e in element.errors
            ],
            line=element.line,
        )
    return acquit


def _summary(doc: PESDocument) -> str:
    elements = doc.ack_elements
    refused = [e for e in elements if not e.ok]
    if not elements:
        return "aucun élément acquitté"
    if not refused:
        return f"{len(elements)} élément(s) accepté(s)"
    first = refused[0].errors[0] if refused[0].errors else None
    detail = f" ; {first.code} : {first.label or first.explanation}" if first else ""
    return f"{len(refused)} élément(s) refusé(s) sur {len(elements)}{detail}"


def _ready_for_answer(transaction: Transaction, now: datetime) -> bool:
    """An answer for a transaction whose send was never recorded proves the delivery: record it."""
    if transaction.status == Status.EN_ATTENTE_TRANSMISSION and transaction.send_state != SendState.WAITING:
        confirm_delivery(transaction=transaction, now=now)
        transaction.refresh_from_db()
    return transaction.status in WAITING_ACQUIT


def _acquit(name: str, data: bytes, doc: PESDocument, stored, now: datetime) -> _Outcome:
    nom_fic, cod_col = doc.envelope.nom_fic or "", doc.header.cod_col or ""
    base = {"kind": IncomingKind.ACQUIT, "nom_fic": nom_fic[:100], "cod_col": cod_col[:10]}
    if not nom_fic:
        return _Outcome(state=IncomingState.ERROR, reason="Acquittement sans NomFic : impossible de "
                        "retrouver la transaction.", **base)  # fmt: skip
    transaction = find_transaction(nom_fic, cod_col)
    if transaction is None:
        return _Outcome(
            state=IncomingState.ERROR,
            reason=f"Le couple NomFic « {nom_fic} » et CodCol « {cod_col} » n'est associé à aucune "
            "transaction.",
            **base,
        )
    base.update(authority=transaction.authority, transaction=transaction)
    if not _ready_for_answer(transaction, now):
        return _Outcome(
            state=IncomingState.IGNORED,
            reason=f"La transaction {transaction.pk} est à l'état « {transaction.get_status_display()} » : "
            "acquittement conservé, sans effet.",
            **base,
        )
    try:
        schema = validate_schema(data, PESKind.ACQUIT, max_size=MAX_FETCH_SIZE)
        schema_valid = schema.valid
        schema_errors = [{"line": e.line, "message": e.explanation} for e in schema.errors]
    except SchemaUnavailableError as exc:
        schema_valid, schema_errors = False, [{"line": None, "message": exc.message}]
    attach_acquit(transaction, stored, name, "PES_ACQUIT", doc, schema_valid, schema_errors, now)
    note = "" if schema_valid else " (acquittement non conforme au schéma, appliqué tout de même)"
    workflow.change_status(
        transaction,
        workflow.Event.ACQUIT,
        message=f"Transaction {transaction.pk} : information disponible ({_summary(doc)}){note}",
        actor=ACTOR,
        now=now,
        details={"acquit": name, "sha256": stored.sha256, "schema_valid": schema_valid},
    )
    return _Outcome(state=IncomingState.APPLIED, reason="", **base)


def _other_answer(name: str, data: bytes, stored, now: datetime, why: str) -> _Outcome:
    root, nom_fic, cod_col = _lenient_key(data)
    transaction = find_transaction(nom_fic, cod_col) if nom_fic else None
    base = {"kind": IncomingKind.UNKNOWN, "nom_fic": nom_fic[:100], "cod_col": cod_col[:10]}
    if transaction is None or not _ready_for_answer(transaction, now):
        if transaction is not None:
            base.update(authority=transaction.authority, transaction=transaction)
        return _Outcome(state=IncomingState.ERROR, reason=why, **base)
    base.update(authority=transaction.authority, transaction=transaction)
    attach_acquit(transaction, stored, name, root or "?", None, False, [{"line": None, "message": why}], now)
    workflow.change_status(
        transaction,
        workflow.Event.HELIOS_ERROR,
        message=f"Transaction {transaction.pk} : erreur retournée par Hélios ({root or 'fichier illisible'})",
        actor=ACTOR,
        now=now,
        details={"file": name, "sha256": stored.sha256},
    )
    return _Outcome(state=IncomingState.APPLIED, reason=why, **base)


def _retour(doc: PESDocument) -> _Outcome:
    siret = doc.header.id_coll or ""
    base = {"kind": IncomingKind.RETOUR, "siret": siret[:14], "nom_fic": (doc.envelope.nom_fic or "")[:100]}
    if not (siret.isdigit() and len(siret) <= 14):
        return _Outcome(state=IncomingState.ERROR, reason=f"IdColl « {siret} » n'est pas un SIRET.", **base)
    owner = Siret.objects.filter(siret=siret).select_related("authority").first()
    if owner is None:
        return _Outcome(
            state=IncomingState.UNASSIGNED,
            reason=f"La collectivité {siret} n'est pas abonnée à l'application Hélios de la plateforme : "
            "aucun PES n'a été envoyé avec ce SIRET.",
            **base,
        )
    return _Outcome(state=IncomingState.APPLIED, reason="", authority=owner.authority, **base)


def create_retour(incoming: IncomingFile, authority, doc: PESDocument, data: bytes, now: datetime) -> Retour:
    """The retour of ``authority`` for a received PES_Retour file (also used when assigning one)."""
    header, envelope = doc.header, doc.envelope
    try:
        schema_valid = validate_schema(data, PESKind.RETOUR, max_size=MAX_FETCH_SIZE).valid
    except PESError:
        schema_valid = False
    return Retour.objects.create(
        authority=authority,
        siret=(header.id_coll or "")[:14],
        filename=incoming.name,
        file=incoming.file,
        size=incoming.size,
        sha256=incoming.sha256,
        received_at=now,
        nom_fic=(envelope.nom_fic or "")[:100],
        typ_fic=(envelope.typ_fic or "")[:30],
        cod_col=(header.cod_col or "")[:10],
        cod_bud=(header.cod_bud or "")[:10],
        id_post=(header.id_post or "")[:10],
        blocks=[
            {"tag": b.tag, "typ_restit": b.typ_restit, "bordereaux": b.bordereau_count}
            for b in doc.retour_blocks
        ],
        schema_valid=schema_valid,
        incoming=incoming,
    )


def _outcome(name: str, data: bytes, stored, now: datetime) -> tuple[_Outcome, PESDocument | None]:
    if is_ocre(name):
        return _Outcome(
            IncomingKind.OCRE, IncomingState.IGNORED, "Fichier OCRE : conservé, non traité."
        ), None
    try:
        doc = read_pes(data, max_size=MAX_FETCH_SIZE)
    except PESRootError as exc:
        return _other_answer(name, data, stored, now, exc.message), None
    except PESError as exc:
        return _Outcome(IncomingKind.UNKNOWN, IncomingState.ERROR, f"Fichier illisible : {exc.message}"), None
    if doc.kind is PESKind.ACQUIT:
        return _acquit(name, data, doc, stored, now), doc
    if doc.kind is PESKind.RETOUR:
        return _retour(doc), doc
    return _Outcome(
        IncomingKind.UNKNOWN, IncomingState.ERROR, f"Un {doc.kind} n'est pas un fichier attendu de la DGFiP."
    ), doc


def apply_incoming_file(*, name: str, data: bytes, now: datetime | None = None) -> IncomingResult:
    """Record and apply one received file in one database transaction (or recognise a duplicate).

    The caller moves the remote file away only after this returns (after the commit): a crash in
    between makes the next poll fetch it again, and it is then recognised here and not applied twice.
    """
    now = now or timezone.now()
    sha256 = hashlib.sha256(data).hexdigest()
    existing = IncomingFile.objects.filter(name=name[:255], sha256=sha256).first()
    if existing is not None:
        return IncomingResult(existing, duplicate=True)
    with db.atomic():
        stored = store(data)
        outcome, doc = _outcome(name, data, stored, now)
        incoming = IncomingFile.objects.create(
            name=name[:255],
            sha256=sha256,
            size=len(data),
            file=stored,
            received_at=now,
            kind=outcome.kind,
            state=outcome.state,
            reason=outcome.reason,
            nom_fic=outcome.nom_fic,
            cod_col=outcome.cod_col,
            siret=outcome.siret,
            authority=outcome.authority,
            transaction=outcome.transaction,
        )
        if outcome.kind == IncomingKind.RETOUR and outcome.state == IncomingState.APPLIED:
            retour = create_retour(incoming, outcome.authority, doc, data, now)
            record(actor=ACTOR, action="helios.retour_received", authority=outcome.authority, obj=retour,
                   details={"file": name, "siret": outcome.siret, "sha256": sha256})  # fmt: skip
        record(
            actor=ACTOR,
            action=f"helios.incoming.{outcome.state}",
            authority=outcome.authority,
            obj=incoming,
            details={"file": name, "kind": outcome.kind, "sha256": sha256, "reason": outcome.reason[:500]},
        )
    return IncomingResult(incoming)
