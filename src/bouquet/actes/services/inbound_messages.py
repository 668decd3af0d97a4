"""Apply one ministry message to the transaction it is about (helpers of ``apply_inbound_mail``)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from bouquet.actes import matching, workflow
from bouquet.actes.choices import FileRole, Status, TransactionType
from bouquet.actes.errors import InboundError
from bouquet.actes.models import Classification, Transaction
from bouquet.actes.protocol import ParsedMessage
from bouquet.actes.protocol.errors import FileNameError
from bouquet.actes.protocol.names import parse_message_name
from bouquet.actes.protocol.transmission import referenced_files
from bouquet.actes.services.common import Document, attach_files
from bouquet.actes.services.send_envelope import confirm_delivery
from bouquet.actes.storage import sha256_hex
from bouquet.core.audit import Actor

__all__ = ["Context", "Received", "apply_message"]

ACTOR = Actor.system("réception des messages du ministère (ACTES)")
E = workflow.Event


@dataclass(frozen=True)
class Received:
    """One XML of the mail, parsed leniently."""

    name: str
    raw: bytes
    parsed: ParsedMessage


@dataclass
class Context:
    """The mail being applied: its files, the recipient SIREN of the ministry envelope, the result."""

    files: dict[str, bytes]
    siren: str | None
    now: dt.datetime
    touched: list[Transaction] = field(default_factory=list)


def _siren(item: Received, ctx: Context) -> str:
    try:
        return parse_message_name(item.name).siren
    except FileNameError:
        if ctx.siren:
            return ctx.siren
    raise InboundError(f"Impossible de savoir à quelle collectivité s'adresse {item.name}.")


def _change(transaction, event, item: Received, ctx: Context, message: str, **fields) -> None:
    workflow.change_status(
        transaction,
        event,
        message=message,
        actor=ACTOR,
        received_xml=item.raw,
        findings=item.parsed.schema_errors,
        now=ctx.now,
        **fields,
    )
    _keep(transaction, item, ctx, FileRole.AR)


def _keep(transaction, item: Received, ctx: Context, role: str, documents: bool = False) -> None:
    """Store the XML (and the documents it names) on the transaction."""
    files = [(Document(item.name, item.raw), role, item.name)]
    if documents:
        for name in referenced_files(item.parsed.message):
            if name in ctx.files:
                files.append((Document(name, ctx.files[name]), FileRole.RECEIVED, name))
    attach_files(transaction, files, start=transaction.files.count() + 1)
    if transaction not in ctx.touched:
        ctx.touched.append(transaction)


def _delivered(act: Transaction, ctx: Context) -> Transaction:
    """An answer about an act we still see as unsent proves our interrupted send got through.

    Read the status again either way: with several workers, the one that sent the archive may have
    recorded it (2 → 3) between our reading of the act and this check.
    """
    if act.status == Status.EN_ATTENTE_TRANSMISSION and act.envelope_id is not None:
        confirm_delivery(envelope=act.envelope, now=ctx.now)
        act.refresh_from_db()
    return act


def _ar_acte(item: Received, ctx: Context) -> None:
    msg = item.parsed.message
    act = _delivered(matching.match_act(_siren(item, ctx), msg.acte_recu.numero_interne), ctx)
    _change(
        act,
        E.ACK_RECEIVED,
        item,
        ctx,
        f"Reçu par le MI le {msg.date_reception:%Y-%m-%d}",
        id_acte=msg.id_acte,
    )


def _anomalie_acte(item: Received, ctx: Context) -> None:
    msg = item.parsed.message
    act = _delivered(matching.match_act(_siren(item, ctx), msg.acte_recu.numero_interne), ctx)
    detail = f" - {msg.detail}" if msg.detail else ""
    _change(act, E.ANOMALY, item, ctx, f"Anomalie signalee par le MI : {msg.nature}{detail}")


def _anomalie_enveloppe(item: Received, ctx: Context) -> None:
    msg = item.parsed.message
    envelope = matching.match_envelope(item.name)
    detail = f" : {msg.detail}" if msg.detail else ""
    live = [t for t in envelope.transactions.all() if t.status not in (Status.ERREUR, Status.ANNULE)]
    if not live:
        raise InboundError(f"Les transactions de l'enveloppe {envelope.name} sont déjà closes.")
    for transaction in live:
        _change(
            transaction, E.ENVELOPE_ANOMALY, item, ctx, f"Enveloppe rejetée par le MI ({msg.nature}{detail})"
        )


_LETTERS = {
    "2-1": (
        TransactionType.COURRIER_SIMPLE,
        Status.DOCUMENT_RECU_PAS_AR,
        "Reçu par le Tdt (pas d'AR envoyé)",
    ),
    "5-1": (TransactionType.DEFERE_TA, Status.DOCUMENT_RECU_PAS_AR, "Reçu par le Tdt (pas d'AR envoyé)"),
    "3-1": (TransactionType.PIECES_COMPLEMENTAIRES, Status.DOCUMENT_RECU, "Reçu par le Tdt"),
    "4-1": (TransactionType.LETTRE_OBSERVATIONS, Status.DOCUMENT_RECU, "Reçu par le Tdt"),
}


def _letter(item: Received, ctx: Context) -> None:
    msg = item.parsed.message
    type_, status, text = _LETTERS[item.parsed.code]
    act = matching.match_act(*matching.split_id_acte(msg.id_acte))
    subject = (
        getattr(msg, "motif", None)
        or getattr(msg, "description_pieces", None)
        or getattr(msg, "nature_illegalite", None)
    )
    letter = workflow.create_transaction(
        actor=ACTOR,
        status=status,
        message=text,
        received_xml=item.raw,
        findings=item.parsed.schema_errors,
        authority=act.authority,
        type=type_,
        nature=act.nature,
        number=act.number,
        subject=(subject or TransactionType(type_).label)[:500],
        decision_date=act.decision_date,
        classification=act.classification,
        id_acte=msg.id_acte,
        related=act,
        letter_date=getattr(msg, "date_courrier_pref", None) or getattr(msg, "date_depot", None),
    )
    _keep(letter, item, ctx, FileRole.LETTER, documents=True)


def _ar_answer(item: Received, ctx: Context) -> None:
    msg = item.parsed.message
    siren, number = matching.split_id_acte(msg.id_acte)
    answer = matching.match_answer(siren, number, int(item.parsed.code[0]))
    _change(answer, E.ACK_RECEIVED, item, ctx, f"Réponse reçue par le MI le {msg.date_reception:%Y-%m-%d}")


def _ar_annulation(item: Received, ctx: Context) -> None:
    msg = item.parsed.message
    cancellation = matching.match_cancellation(*matching.split_id_acte(msg.id_acte))
    text = f"Annulation reçue par le MI le {msg.date_reception:%Y-%m-%d}"
    _change(cancellation, E.ACK_RECEIVED, item, ctx, text)
    _change(cancellation.related, E.CANCELLED, item, ctx, text)


def _classification(item: Received, ctx: Context) -> None:
    msg = item.parsed.message
    request = matching.match_classification_request(_siren(item, ctx))
    if item.parsed.code == "7-2":
        Classification.objects.create(
            authority=request.authority,
            version=msg.date_classification,
            raw=item.raw,
            sha256=sha256_hex(item.raw),
            received_at=ctx.now,
        )
        text = (
            f"Mise à jour de la classification (date de classification: {msg.date_classification:%Y-%m-%d})"
        )
    else:
        text = f"Classification sans changement ({msg.date_classification:%Y-%m-%d})"
    _change(request, E.ACK_RECEIVED, item, ctx, text, classification_date=msg.date_classification)


_HANDLERS: dict[str, Callable[[Received, Context], None]] = {
    "1-2": _ar_acte,
    "1-3": _anomalie_acte,
    "AnomalieEnveloppe": _anomalie_enveloppe,
    **dict.fromkeys(_LETTERS, _letter),
    "3-5": _ar_answer,
    "4-5": _ar_answer,
    "6-2": _ar_annulation,
    "7-2": _classification,
    "7-3": _classification,
}


def apply_message(item: Received, ctx: Context) -> None:
    """Apply one message; :class:`InboundError` when it matches nothing or is not for us."""
    handler = _HANDLERS.get(item.parsed.code)
    if handler is None:
        raise InboundError(f"Message inattendu venant du ministère : {item.parsed.root} ({item.name}).")
    handler(item, ctx)
