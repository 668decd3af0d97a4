"""Opening of the bids after the deadline, by the buyer's authorised agents, all at once or per lot.

Only the last deposit each company made before the deadline is opened; earlier ones and late ones
are kept sealed. Opening unseals the consultation's key (journaled), marks the envelopes opened
(one transaction, with the consultation's status, its history and the journal), then checks
every opened file: decryption, SHA-256 against the acknowledgement, and signatures.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from bouquet.core.audit import Actor, record
from bouquet.marches import workflow
from bouquet.marches.bids import clock
from bouquet.marches.bids.choices import EnvelopeKind
from bouquet.marches.bids.errors import BidsError, TooEarly
from bouquet.marches.bids.models import Deposit, DepositFile, Envelope, SealingKey
from bouquet.marches.bids.pdf.common import local
from bouquet.marches.bids.sealing.errors import IntegrityError
from bouquet.marches.bids.services.keys import unseal_private_key
from bouquet.marches.bids.services.rights import require_buyer
from bouquet.marches.bids.services.sealed_files import decrypt_file, read_whole
from bouquet.marches.bids.signatures import verify_document
from bouquet.marches.choices import Status
from bouquet.marches.models import Consultation, Lot
from bouquet.marches.services.history import add_event

__all__ = ["counting_deposits", "open_bids"]

logger = logging.getLogger(__name__)
TOO_LARGE = "Fichier trop volumineux pour la vérification automatique : signature non vérifiée."
OPENABLE = {Status.PUBLISHED, Status.CLOSED, Status.OPENED}


def counting_deposits(consultation: Consultation) -> list[Deposit]:
    """For each company, its last deposit received before the deadline (by number order)."""
    latest: dict[int, Deposit] = {}
    for deposit in Deposit.objects.filter(consultation=consultation).on_time().order_by("received_at", "id"):
        latest[deposit.company_id] = deposit
    return sorted(latest.values(), key=lambda d: d.number or 0)


def _advance_status(consultation: Consultation, actor: Actor, now) -> None:
    if consultation.status == Status.PUBLISHED:
        workflow.change_status(
            consultation,
            workflow.Event.CLOSE,
            actor=actor,
            now=now,
            message="Date limite de remise des plis passée : consultation clôturée.",
        )
    if consultation.status == Status.CLOSED:
        workflow.change_status(
            consultation, workflow.Event.OPEN, actor=actor, now=now, message="Ouverture des plis."
        )


def open_bids(*, consultation: Consultation, actor: Actor, lot: Lot | None = None) -> list[Envelope]:
    """Open the envelopes of the counting deposits (those of ``lot`` and their candidatures).

    :raises RightsError: not an agent with the MARCHES write right on the buyer authority.
    :raises TooEarly: the deadline has not passed on the server's clock (the vault refuses too).
    :raises BidsError: the consultation is not in a state where bids are opened, or nothing to open.
    """
    require_buyer(actor, consultation.authority, write=True)
    now = clock.now()
    if not consultation.deadline_passed(now):
        raise TooEarly(
            "Les plis restent scellés jusqu'à la date limite de remise"
            + (f" ({local(consultation.bid_deadline, seconds=False)})." if consultation.bid_deadline else ".")
        )
    if consultation.status not in OPENABLE:
        raise BidsError("Les plis de cette consultation ne peuvent plus être ouverts dans son état actuel.")
    deposits = counting_deposits(consultation)
    key = SealingKey.objects.filter(consultation=consultation).select_related("consultation").first()
    envelopes = Envelope.objects.filter(deposit__in=deposits, opened_at__isnull=True)
    if lot is not None:
        bidders = Envelope.objects.filter(deposit__in=deposits, lot=lot).values("deposit")
        envelopes = envelopes.filter(Q(lot=lot) | Q(kind=EnvelopeKind.CANDIDATURE, deposit__in=bidders))
    if not envelopes.exists():
        raise BidsError("Aucun pli à ouvrir" + (f" pour le lot {lot.number}." if lot else "."))
    private = unseal_private_key(key, actor=actor, purpose="ouverture des plis")
    with transaction.atomic():
        consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _advance_status(consultation, actor, now)
        opened = list(envelopes.select_related("deposit__company", "lot"))
        Envelope.objects.filter(pk__in=[e.pk for e in opened]).update(opened_at=now, opened_by=actor.user)
        scope = f"lot {lot.number}" if lot else "tous les lots"
        add_event(
            consultation,
            "bids.opened",
            f"Ouverture des plis ({scope}) : {len(opened)} enveloppe(s) ouverte(s).",
            actor,
            lot=lot.number if lot else None,
            envelopes=[e.pk for e in opened],
        )
        record(
            actor=actor,
            action="marches_bids.bids.opened",
            authority=consultation.authority,
            obj=consultation,
            details={
                "lot": lot.number if lot else None,
                "envelopes": [e.pk for e in opened],
                "deposits": [d.pk for d in deposits],
            },
        )
    check_files(DepositFile.objects.filter(envelope__in=[e.pk for e in opened]), private)
    return opened


def check_files(files, private_key: bytes) -> None:
    """Decrypt each file, compare its SHA-256 with the acknowledgement's, verify its signatures."""
    limit = settings.MARCHES_BIDS_SIGNATURE_CHECK_MAX_SIZE
    for file in files.select_related("envelope"):
        signature: dict = {}
        try:
            data = read_whole(file, private_key) if file.size <= limit else None
            if data is None:
                for _ in decrypt_file(file, private_key):
                    pass
                signature = {"status": "not_checked", "signatures": [], "message": TOO_LARGE}
            else:
                signature = verify_document(file.name, data, detached_content=_companion(file, private_key))
            ok = True
        except IntegrityError as exc:
            ok, signature = False, {"status": "unreadable", "signatures": [], "message": str(exc)}
        DepositFile.objects.filter(pk=file.pk).update(
            checked_at=clock.now(), integrity_ok=ok, signature=signature
        )


def _companion(file: DepositFile, private_key: bytes) -> bytes | None:
    """For ``x.pdf.p7s``, the content of ``x.pdf`` in the same envelope."""
    if not file.name.lower().endswith(".p7s"):
        return None
    signed = DepositFile.objects.filter(envelope=file.envelope, name__iexact=file.name[:-4]).first()
    if signed is None or signed.size > settings.MARCHES_BIDS_SIGNATURE_CHECK_MAX_SIZE:
        return None
    try:
        return read_whole(signed, private_key)
    except IntegrityError:
        return None
