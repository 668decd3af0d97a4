"""Find the transaction an inbound ministry message is about (spec §5.3), newest first.

Each function raises :class:`InboundError` with the French reason shown in the error queue.
"""

from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.errors import InboundError
from bouquet.actes.models import Envelope, Transaction
from bouquet.actes.protocol.constants import ID_ACTE_RE
from bouquet.core.models import Authority

__all__ = [
    "authority_for",
    "find_acts",
    "match_act",
    "match_answer",
    "match_cancellation",
    "match_classification_request",
    "match_envelope",
    "split_id_acte",
]


def split_id_acte(id_acte: str) -> tuple[str, str]:
    """(SIREN, NumeroInterne) of an ``IDActe``."""
    match = ID_ACTE_RE.fullmatch(id_acte or "")
    if not match:
        raise InboundError(f"IDActe illisible : {id_acte!r}.")
    return match["siren"], match["numero_interne"]


def authority_for(siren: str) -> Authority:
    authority = Authority.objects.filter(siren=siren).first()
    if authority is None:
        raise InboundError(f"Aucune collectivité de SIREN {siren} sur la plateforme.")
    return authority


def _newest(queryset, what: str) -> Transaction:
    found = queryset.newest_first().select_related("authority").first()
    if found is None:
        raise InboundError(f"Aucune transaction trouvée pour {what}.")
    return found


def find_acts(pairs, *, hold: bool = False) -> dict[tuple[str, str], Transaction]:
    """The act (type 1) of each (SIREN, number) found, in one query, its authority loaded.

    S²LOW takes the newest; here there is nothing to choose between, as the database holds one act
    per authority and number (``actes_number_unique_per_authority``).

    :param hold: lock the rows for the caller's transaction (``SELECT … FOR UPDATE``), in id order as
        the worker's other batches lock theirs, so that two workers cannot wait for each other.
    """
    pairs = set(pairs)
    rows = (
        Transaction.objects.acts()
        .filter(authority__siren__in={s for s, _ in pairs}, number__in={n for _, n in pairs})
        .select_related("authority")
        .order_by("id")
    )
    if hold:
        rows = rows.select_for_update(of=("self",))
    found = {(act.authority.siren, act.number): act for act in rows}
    return {key: act for key, act in found.items() if key in pairs}


def match_act(siren: str, number: str) -> Transaction:
    """The act (type 1) a 1-2, 1-3, 2-1, 3-1, 4-1 or 5-1 is about (:func:`find_acts` of one).

    The authority is looked up on its own only to say which of the two is missing.
    """
    found = find_acts([(siren, number)]).get((siren, number))
    if found is None:
        authority_for(siren)
        raise InboundError(f"Aucune transaction trouvée pour l'acte n° {number} (SIREN {siren}).")
    return found


def match_cancellation(siren: str, number: str) -> Transaction:
    """The cancellation (type 6) a 6-2 acknowledges."""
    queryset = Transaction.objects.for_tenant(authority_for(siren)).filter(
        type=TransactionType.ANNULATION, number=number
    )
    return _newest(queryset, f"l'annulation de l'acte n° {number} (SIREN {siren})")


def match_answer(siren: str, number: str, type_: int) -> Transaction:
    """Our answer (type 3 or 4 with a response kind) a 3-5 or 4-5 acknowledges."""
    queryset = Transaction.objects.for_tenant(authority_for(siren)).filter(
        type=type_, number=number, response_kind__isnull=False
    )
    return _newest(queryset, f"la réponse au courrier sur l'acte n° {number} (SIREN {siren})")


def match_classification_request(siren: str) -> Transaction:
    """The last transmitted classification request (7-1) of the SIREN."""
    queryset = Transaction.objects.for_tenant(authority_for(siren)).filter(
        type=TransactionType.CLASSIFICATION, status=Status.TRANSMIS
    )
    return _newest(queryset, f"une demande de classification transmise (SIREN {siren})")


def match_envelope(anomaly_file_name: str) -> Envelope:
    """The envelope an ``ANO_<envelope name>.xml`` rejects."""
    name = anomaly_file_name.rsplit("/", 1)[-1].removeprefix("ANO_")
    envelope = Envelope.objects.filter(name=name).select_related("authority").first()
    if envelope is None:
        raise InboundError(f"Aucune enveloppe {name} pour l'anomalie reçue.")
    return envelope
