"""What the simulated préfecture sends: ARs, anomalies, letters, cancellation ARs, classifications.

Shared by the automatic processing of uploads, the web UI and the CLI.
"""

import datetime as dt

from bouquet.actes.protocol.constants import NATURES
from bouquet.actes.protocol.errors import FileNameError
from bouquet.actes.protocol.messages import (
    Acte,
    AnomalieActe,
    ARActe,
    ARAnnulation,
    ARPieceComplementaire,
    ARReponseRejetLettreObservations,
    CourrierSimple,
    DefereTA,
    DemandePieceComplementaire,
    LettreObservations,
    ReponseClassificationSansChangement,
    RetourClassification,
    SignedFile,
)
from bouquet.actes.protocol.names import MessageName

from .classification import DEFAULT_VERSION, classification
from .delivery import Attachment
from .outbox import Outbox, Sender
from .pdf import letter_pdf
from .state import State, now

__all__ = [
    "LETTER_TITLES",
    "PrefectureError",
    "act_name",
    "classification_version",
    "acknowledge_act",
    "reject_act",
    "send_letter",
    "acknowledge_cancellation",
    "answer_classification",
    "acknowledge_answer",
]

LETTER_TITLES = {
    "2-1": "Courrier simple",
    "3-1": "Demande de pièces complémentaires",
    "4-1": "Lettre d'observations",
    "5-1": "Déféré au tribunal administratif",
}


class PrefectureError(Exception):
    """An action that cannot be done (unknown act, nothing pending…); the message is for the operator."""


def act_name(departement: str, siren: str, acte: Acte, code: str) -> str:
    """``<dept>-<SIREN>-<date>-<numéro>-<nature>-<code>_0.xml``, even for an act with odd fields."""
    abbr = NATURES.get(acte.code_nature_acte, ("AU", ""))[0]
    try:
        return str(MessageName(departement, siren, acte.date, acte.numero_interne, abbr, code))
    except FileNameError:
        return f"{departement}-{siren}-{acte.date:%Y%m%d}-{acte.numero_interne}-{abbr}-{code}_0.xml"


def classification_version(state: State) -> dt.date:
    """The préfecture's current classification date (setting ``classification_version``)."""
    return dt.date.fromisoformat(state.setting("classification_version", DEFAULT_VERSION.isoformat()) or "")


def acknowledge_act(outbox: Outbox, to: Sender, acte: Acte, id_acte: str, copies: int = 1) -> str:
    """1-2 ``ARActe`` with today's date; the Message-ID."""
    message = ARActe(
        id_acte=id_acte,
        date_reception=dt.date.today(),
        acte_recu=acte,
        classification_date_version_en_cours=classification_version(outbox.state),
    )
    return outbox.send(
        to,
        subject=f"[ACTES] Accusé de réception de l'acte {id_acte}",
        body=f"L'acte {acte.numero_interne} a été reçu par la préfecture sous l'identifiant {id_acte}.",
        messages=[(act_name(to.departement, to.siren, acte, "1-2"), message)],
        copies=copies,
    )


def reject_act(outbox: Outbox, to: Sender, acte: Acte, nature: str, detail: str, copies: int = 1) -> str:
    """1-3 ``AnomalieActe`` (3-digit nature, French detail); the Message-ID."""
    message = AnomalieActe(
        date=dt.date.today(),
        nature=nature,
        detail=detail,
        acte_recu=acte,
        classification_date_version_en_cours=classification_version(outbox.state),
    )
    return outbox.send(
        to,
        subject=f"[ACTES] Anomalie sur l'acte {acte.numero_interne}",
        body=f"L'acte {acte.numero_interne} n'a pas pu être accepté : {detail}",
        messages=[(act_name(to.departement, to.siren, acte, "1-3"), message)],
        copies=copies,
    )


def _sender_for_act(state: State, id_acte: str) -> Sender:
    act = state.act(id_acte)
    if act is None or act["status"] == "anomalie":
        raise PrefectureError(f"Acte inconnu de la préfecture : {id_acte}.")
    authority = state.authority(act["siren"]) or {}
    return Sender(act["siren"], act["return_address"], id_acte[:3], authority.get("arrondissement") or "1")


def send_letter(state: State, outbox: Outbox, code: str, id_acte: str, text: str) -> str:
    """A préfecture letter (2-1, 3-1, 4-1 or 5-1) about an acknowledged act, with its PDF."""
    if code not in LETTER_TITLES:
        raise PrefectureError(f"Type de courrier inconnu : {code} (2-1, 3-1, 4-1 ou 5-1).")
    if not text.strip():
        raise PrefectureError("Le texte du courrier est vide.")
    to = _sender_for_act(state, id_acte)
    today = dt.date.today()
    name = MessageName.from_id_acte(id_acte, code)
    pdf_name = str(name.document(1, "pdf", None))
    pdf = letter_pdf(f"{LETTER_TITLES[code]} - acte {id_acte}", text)
    document = SignedFile(pdf_name)
    message: CourrierSimple | DemandePieceComplementaire | LettreObservations | DefereTA
    if code == "2-1":
        message = CourrierSimple(id_acte=id_acte, date_courrier_pref=today, document=document)
    elif code == "3-1":
        message = DemandePieceComplementaire(
            id_acte=id_acte, date_courrier_pref=today, description_pieces=text, document=document
        )
    elif code == "4-1":
        message = LettreObservations(id_acte=id_acte, date_courrier_pref=today, motif=text, document=document)
    else:
        message = DefereTA(
            id_acte=id_acte, date_depot=today, nature_illegalite=text, pieces_jointes=(document,)
        )
    message_id = outbox.send(
        to,
        subject=f"[ACTES] {LETTER_TITLES[code]} - acte {id_acte}",
        body=f"{LETTER_TITLES[code]} de la préfecture concernant l'acte {id_acte}.",
        messages=[(str(name), message)],
        documents=[Attachment(pdf_name, pdf)],
    )
    state.insert(
        "letters", id_acte=id_acte, code=code, date_courrier_pref=today.isoformat(), text=text,
        sent_at=now(), message_id=message_id,
    )  # fmt: skip
    return message_id


def acknowledge_cancellation(state: State, outbox: Outbox, cancellation_id: int, copies: int = 1) -> str:
    """6-2 ``ARAnnulation`` for a pending cancellation; the act becomes "annulé"."""
    row = state.row("SELECT * FROM cancellations WHERE id = ?", (cancellation_id,))
    if row is None or row["status"] != "en attente":
        raise PrefectureError(f"Aucune annulation en attente n° {cancellation_id}.")
    to = _sender_for_act(state, row["id_acte"])
    to = Sender(to.siren, row["return_address"] or to.recipient, to.departement, to.arrondissement)
    message = ARAnnulation(id_acte=row["id_acte"], date_reception=dt.date.today())
    message_id = outbox.send(
        to,
        subject=f"[ACTES] Accusé de réception de l'annulation de l'acte {row['id_acte']}",
        body=f"L'annulation de la transmission de l'acte {row['id_acte']} a été reçue.",
        messages=[(str(MessageName.from_id_acte(row["id_acte"], "6-2")), message)],
        copies=copies,
    )
    state.execute(
        "UPDATE cancellations SET status = 'acquittée', answered_at = ? WHERE id = ?", (now(), row["id"])
    )
    state.set_act_status(row["id_acte"], "annulé")
    return message_id


def answer_classification(
    state: State,
    outbox: Outbox,
    siren: str,
    known: dt.date | None = None,
    *,
    copies: int = 1,
    force: bool = False,
) -> str:
    """7-3 when ``known`` is the current version (and not ``force``), else 7-2 with the classification."""
    authority = state.authority(siren)
    if authority is None or not authority.get("return_address"):
        raise PrefectureError(f"Collectivité inconnue ou sans adresse de retour : {siren}.")
    to = Sender(
        siren, authority["return_address"], authority["departement"], authority["arrondissement"] or "1"
    )
    version = classification_version(state)
    message: ReponseClassificationSansChangement | RetourClassification
    if known == version and not force:
        code, message = "7-3", ReponseClassificationSansChangement(date_classification=version)
        subject = "[ACTES] Classification sans changement"
    else:
        code, message = "7-2", classification(version)
        subject = f"[ACTES] Classification du {version:%d/%m/%Y}"
    name = str(MessageName(to.departement, siren, None, None, None, code))
    message_id = outbox.send(to, subject=subject, body=subject, messages=[(name, message)], copies=copies)
    state.execute(
        "UPDATE classification_requests SET answer = ? WHERE siren = ? AND answer IS NULL", (code, siren)
    )
    return message_id


def acknowledge_answer(state: State, outbox: Outbox, answer_id: int, copies: int = 1) -> str:
    """3-5 / 4-5: the préfecture acknowledges the authority's answer to its letter."""
    row = state.row("SELECT * FROM answers WHERE id = ?", (answer_id,))
    if row is None or row["code"] not in {"3-3", "3-4", "4-3", "4-4"}:
        raise PrefectureError(f"Aucune réponse à acquitter n° {answer_id} (3-3, 3-4, 4-3 ou 4-4).")
    if row["ar_sent_at"]:
        raise PrefectureError(f"La réponse n° {answer_id} est déjà acquittée.")
    to = _sender_for_act(state, row["id_acte"])
    to = Sender(to.siren, row["return_address"] or to.recipient, to.departement, to.arrondissement)
    family = row["code"][0]
    cls = ARPieceComplementaire if family == "3" else ARReponseRejetLettreObservations
    message = cls(
        id_acte=row["id_acte"],
        date_courrier_pref=dt.date.fromisoformat(row["date_courrier_pref"]),
        date_reception=dt.date.today(),
    )
    message_id = outbox.send(
        to,
        subject=f"[ACTES] Accusé de réception de votre réponse ({row['id_acte']})",
        body="La préfecture a bien reçu votre réponse.",
        messages=[(str(MessageName.from_id_acte(row["id_acte"], f"{family}-5")), message)],
        copies=copies,
    )
    state.execute("UPDATE answers SET ar_sent_at = ? WHERE id = ?", (now(), answer_id))
    return message_id
