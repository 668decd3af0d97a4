"""Acknowledge the préfecture's 3-1 and 4-1 automatically with a 3-2 / 4-2 (status 7 → 8)."""

from datetime import datetime

from django.db import transaction as db
from django.utils import timezone

from bouquet.actes import workflow
from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.models import Transaction
from bouquet.actes.protocol import ActesError
from bouquet.actes.protocol.messages import ARDemandePieceComplementaire, ARLettreObservations
from bouquet.actes.protocol.names import MessageName
from bouquet.actes.services.outbound import build_envelope
from bouquet.actes.services.send_envelope import ACTOR, SendResult, send_envelope

__all__ = ["send_letter_acknowledgements"]

_ARS = {
    TransactionType.PIECES_COMPLEMENTAIRES: ("3-2", ARDemandePieceComplementaire),
    TransactionType.LETTRE_OBSERVATIONS: ("4-2", ARLettreObservations),
}


def _envelope_for(letter: Transaction, now: datetime):
    code, cls = _ARS[letter.type]
    message = cls(id_acte=letter.id_acte, date_courrier_pref=letter.letter_date)
    outbound = ([(MessageName.from_id_acte(letter.id_acte, code), message)], [])
    with db.atomic():
        # Only the TdT's address: the ministry's answer to an AR concerns nobody else (spec §5.4).
        return build_envelope(letter, outbound, tdt_only=True, today=timezone.localdate(now))


def send_letter_acknowledgements(*, client, now: datetime | None = None) -> list[SendResult]:
    """Build (once) and send the AR of every letter in "Document reçu"; success moves it to 8."""
    now = now or timezone.now()
    results = []
    letters = Transaction.objects.filter(
        type__in=list(_ARS), response_kind__isnull=True, status=Status.DOCUMENT_RECU
    ).select_related("authority", "envelope")
    for letter in letters:
        try:
            envelope = letter.envelope or _envelope_for(letter, now)
        except ActesError as exc:
            workflow.change_status(
                letter, workflow.Event.ACK_FAILED, message=f"AR impossible : {exc}", actor=ACTOR
            )
            continue
        results.append(send_envelope(envelope=envelope, client=client, now=now))
    return results
