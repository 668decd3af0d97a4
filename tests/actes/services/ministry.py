"""Ministry-side messages for the tests (no sample exists for 3-1, 3-5, 4-1, 4-5, 6-2, 7-3: spec §9.2)."""

import datetime as dt

from bouquet.actes.protocol import build_message
from bouquet.actes.protocol.messages import (
    ARActe,
    ARAnnulation,
    ARPieceComplementaire,
    ARReponseRejetLettreObservations,
    DemandePieceComplementaire,
    LettreObservations,
    ReponseClassificationSansChangement,
    SignedFile,
)
from bouquet.actes.protocol.names import MessageName
from bouquet.actes.services.outbound import outbound_for

LETTER_DATE = dt.date(2025, 4, 2)


def ar_acte(act) -> dict[str, bytes]:
    """The 1-2 the ministry would send for ``act`` (built from our own 1-1)."""
    ((name, acte),), _ = outbound_for(act)
    authority = act.authority
    id_acte = f"{authority.departement}-{authority.siren}-{name.date:%Y%m%d}-{act.number}-{name.nature}"
    message = ARActe(
        id_acte=id_acte,
        date_reception=dt.date(2025, 3, 12),
        acte_recu=acte,
        classification_date_version_en_cours=dt.date(2024, 1, 1),
    )
    return {str(MessageName.from_id_acte(id_acte, "1-2")): build_message(message)}


def letter(act, code: str) -> dict[str, bytes]:
    """A 3-1 or 4-1 about ``act``, with its PDF."""
    name = MessageName.from_id_acte(act.id_acte, code)
    document = SignedFile(str(name.document(1, "pdf", None)))
    common = {"id_acte": act.id_acte, "date_courrier_pref": LETTER_DATE, "document": document}
    if code == "3-1":
        message = DemandePieceComplementaire(description_pieces="Le plan de la parcelle", **common)
    else:
        message = LettreObservations(motif="Compétence de l'assemblée", **common)
    return {str(name): build_message(message), document.nom_fichier: b"%PDF-1.4 courrier\n%%EOF"}


def ar_answer(act, code: str) -> dict[str, bytes]:
    cls = ARPieceComplementaire if code == "3-5" else ARReponseRejetLettreObservations
    message = cls(id_acte=act.id_acte, date_courrier_pref=LETTER_DATE, date_reception=dt.date(2025, 4, 10))
    return {str(MessageName.from_id_acte(act.id_acte, code)): build_message(message)}


def ar_annulation(act) -> dict[str, bytes]:
    message = ARAnnulation(id_acte=act.id_acte, date_reception=dt.date(2025, 4, 20))
    return {str(MessageName.from_id_acte(act.id_acte, "6-2")): build_message(message)}


def classification_answer(authority, raw: bytes | None) -> dict[str, bytes]:
    code = "7-2" if raw is not None else "7-3"
    name = MessageName(authority.departement, authority.siren, None, None, None, code)
    if raw is None:
        raw = build_message(ReponseClassificationSansChangement(date_classification=dt.date(2024, 1, 1)))
    return {str(name): raw}
