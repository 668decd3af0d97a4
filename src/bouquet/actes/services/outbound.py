"""Build what we send to the ministry: messages, envelope, archive; the archive is stored once.

Shared by ``check_transaction`` (acts, answers, cancellations, classification requests) and
``send_letter_acknowledgements`` (3-2/4-2).
"""

import datetime as dt
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError
from django.db import transaction as db
from django.db.models import F

from bouquet.actes.choices import FileRole, TransactionType
from bouquet.actes.models import Envelope, EnvelopeSerial, StoredFile, Transaction, TransactionFile
from bouquet.actes.protocol import Transmission, build_transmission
from bouquet.actes.protocol.constants import MAX_ENVELOPE_SERIAL, NATURES
from bouquet.actes.protocol.errors import ArchiveError
from bouquet.actes.protocol.messages import (
    IDCL,
    Acte,
    Annulation,
    DemandeClassification,
    EnveloppeCLMISILL,
    Message,
    PieceComplementaire,
    Referent,
    RefusPieceComplementaire,
    RejetLettreObservations,
    ReponseCourrierSimple,
    ReponseLettreObservations,
    SignedFile,
)
from bouquet.actes.protocol.names import EnvelopeName, MessageName
from bouquet.actes.protocol.rules import check_archive_size
from bouquet.actes.services import common
from bouquet.actes.storage import store_bytes

__all__ = [
    "Outbound",
    "act_message_name",
    "allocate_serial",
    "allocate_serials",
    "build_envelope",
    "envelope_row",
    "outbound_files",
    "outbound_for",
    "pack",
]

Outbound = tuple[list[tuple[MessageName, Message]], list[tuple[str, bytes]]]

_ANSWERS = {
    (TransactionType.COURRIER_SIMPLE, 4): ("2-2", ReponseCourrierSimple),
    (TransactionType.PIECES_COMPLEMENTAIRES, 3): ("3-3", RefusPieceComplementaire),
    (TransactionType.PIECES_COMPLEMENTAIRES, 4): ("3-4", PieceComplementaire),
    (TransactionType.LETTRE_OBSERVATIONS, 3): ("4-3", RejetLettreObservations),
    (TransactionType.LETTRE_OBSERVATIONS, 4): ("4-4", ReponseLettreObservations),
}


def answer_code(type_: int, response_kind: int) -> str:
    return _ANSWERS[(type_, response_kind)][0]


def act_message_name(transaction: Transaction, code: str = "1-1") -> MessageName:
    authority = transaction.authority
    abbreviation = NATURES[transaction.nature][0]
    return MessageName(
        authority.departement,
        authority.siren,
        transaction.decision_date,
        transaction.number,
        abbreviation,
        code,
    )


def allocate_serials(authority, day: dt.date, count: int = 1) -> range:
    """The next ``count`` envelope serials of the authority for ``day``.

    The increment is one conditional UPDATE: it holds the row lock until the caller's transaction
    ends, so concurrent builders never share a serial (PostgreSQL row lock; SQLite: one writer).
    """
    counters = EnvelopeSerial.objects.filter(authority=authority, day=day)
    with db.atomic(savepoint=False):
        if not counters.filter(last__lte=MAX_ENVELOPE_SERIAL - count).update(last=F("last") + count):
            if counters.exists() or count > MAX_ENVELOPE_SERIAL:
                raise ArchiveError(
                    f"Plus de {MAX_ENVELOPE_SERIAL} enveloppes aujourd'hui pour cette collectivité."
                )
            try:
                with db.atomic():  # the day's first envelopes
                    EnvelopeSerial.objects.create(authority=authority, day=day, last=count)
                return range(1, count + 1)
            except IntegrityError:  # another builder created it first: take the next ones
                return allocate_serials(authority, day, count)
        last = counters.values_list("last", flat=True).get()
    return range(last - count + 1, last + 1)


def allocate_serial(authority, day: dt.date) -> int:
    """Next envelope serial of the authority for ``day``."""
    return allocate_serials(authority, day, 1)[0]


def _return_addresses(authority, user, tdt_only: bool) -> tuple[str, ...]:
    # The TdT's own inbox first: the ministry's answers must reach our poller (spec §2.2).
    candidates = [settings.ACTES_TDT_MAIL_ADDRESS]
    if not tdt_only:
        candidates += [getattr(user, "email", ""), authority.email, settings.ACTES_MAIL_BACKUP]
    return tuple(dict.fromkeys(a for a in candidates if a))


def _envelope(authority, user, formulaires: Sequence[str], tdt_only: bool) -> EnveloppeCLMISILL:
    referent = None
    if user is not None:
        referent = Referent(
            nom=user.full_name, telephone=user.phone or authority.phone or None, email=user.email
        )
    return EnveloppeCLMISILL(
        idcl=IDCL(authority.siren, authority.departement, authority.arrondissement, authority.kind),
        referent=referent,
        adresses_retour=_return_addresses(authority, user, tdt_only),
        formulaires=tuple(SignedFile(name) for name in formulaires),
    )


def pack(
    transaction: Transaction,
    outbound: Outbound,
    *,
    serial: int,
    user=None,
    tdt_only: bool = False,
    today: dt.date,
) -> tuple[EnvelopeName, Transmission]:
    """The envelope's name and the built archive (messages, envelope, tar.gz), nothing stored.

    :raises ActesError: schema, names or archive problem (including the size limit).
    """
    messages, documents = outbound
    authority = transaction.authority
    name = EnvelopeName(authority.siren, today, serial, settings.ACTES_APPLI_NAME)
    built = build_transmission(
        trigramme=settings.ACTES_TRIGRAMME,
        envelope_name=name,
        envelope=_envelope(authority, user, [str(n) for n, _ in messages], tdt_only),
        messages=messages,
        documents=documents,
    )
    findings = check_archive_size(len(built.data), common.MAX_ARCHIVE_SIZE)
    if findings:
        raise ArchiveError(findings[0].message)
    return name, built


def envelope_row(
    authority, name: EnvelopeName, built: Transmission, stored: StoredFile, today: dt.date
) -> Envelope:
    """The unsaved :class:`Envelope` of a packed archive stored as ``stored``."""
    return Envelope(
        authority=authority,
        name=str(name),
        day=today,
        serial=name.serial,
        archive_name=built.name,
        archive=stored,
        sha256=stored.sha256,
        size=stored.size,
    )


def build_envelope(
    transaction: Transaction,
    outbound: Outbound,
    *,
    user=None,
    tdt_only: bool = False,
    today: dt.date,
) -> Envelope:
    """Allocate the serial, build and store the archive, link the transaction to its envelope.

    :raises ActesError: schema, names or archive problem (including the size limit).
    """
    authority = transaction.authority
    serial = allocate_serial(authority, today)
    name, built = pack(transaction, outbound, serial=serial, user=user, tdt_only=tdt_only, today=today)
    envelope = envelope_row(authority, name, built, store_bytes(built.data), today)
    envelope.save()
    Transaction.objects.filter(pk=transaction.pk).update(envelope=envelope)
    transaction.envelope = envelope
    return envelope


def outbound_files(transaction: Transaction) -> list[TransactionFile]:
    """The main document and annexes, in order, with their stored file (one query)."""
    files = transaction.files.filter(role__in=[FileRole.MAIN, FileRole.ANNEX]).select_related("stored_file")
    return list(files.order_by("position", "id"))


def _documents(files: Sequence[TransactionFile]) -> list[tuple[str, bytes]]:
    return [(f.business_name, f.read()) for f in files]


def _act(transaction: Transaction, documents: list[tuple[str, bytes]]) -> Acte:
    names = [SignedFile(name) for name, _ in documents]
    return Acte(
        date=transaction.decision_date,
        numero_interne=transaction.number,
        code_nature_acte=transaction.nature,
        codes_matiere=transaction.codes_matiere,
        objet=transaction.subject,
        classification_date_version=transaction.classification_date,
        document=names[0],
        annexes=tuple(names[1:]),
        document_papier=transaction.document_papier,
    )


def _answer(transaction: Transaction, documents: list[tuple[str, bytes]]) -> tuple[MessageName, Message]:
    letter = transaction.related
    code, cls = _ANSWERS[(transaction.type, transaction.response_kind)]
    common_fields = {"id_acte": letter.id_acte, "date_courrier_pref": letter.letter_date}
    if cls is PieceComplementaire:
        message = cls(**common_fields, documents=tuple(SignedFile(n) for n, _ in documents))
    else:
        message = cls(**common_fields, document=SignedFile(documents[0][0]))
    return MessageName.from_id_acte(letter.id_acte, code), message


def outbound_for(transaction: Transaction, files: Sequence[TransactionFile] | None = None) -> Outbound:
    """The messages and documents of an outgoing transaction (act, answer, 6-1, 7-1).

    :param files: :func:`outbound_files` of the transaction, when the caller already has them.
    """
    documents = _documents(outbound_files(transaction) if files is None else files)
    authority = transaction.authority
    needs_document = transaction.type == TransactionType.ACTE or transaction.response_kind is not None
    if needs_document and not documents:
        # Only an imported or hand-made row can lack it; say so instead of failing on every pass.
        raise ArchiveError("Le document principal est absent de la transaction.")
    if transaction.type == TransactionType.ACTE:
        return [(act_message_name(transaction), _act(transaction, documents))], documents
    if transaction.type == TransactionType.ANNULATION:
        act = transaction.related
        return [(MessageName.from_id_acte(act.id_acte, "6-1"), Annulation(id_acte=act.id_acte))], []
    if transaction.type == TransactionType.CLASSIFICATION:
        name = MessageName(authority.departement, authority.siren, None, None, None, "7-1")
        return [(name, DemandeClassification(date_classification=transaction.classification_date))], []
    return [_answer(transaction, documents)], documents
