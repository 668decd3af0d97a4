"""What the ministry does with an accepted upload: check it as @ctes would, record it, answer by mail.

Envelope problems give an ``AnomalieEnveloppe`` (``ANO_<envelope>``), act problems an ``AnomalieActe``;
an archive already received with the same name and SHA-256 is ignored (no second answer).
"""

import datetime as dt
import hashlib
import logging
import threading

from bouquet.actes.protocol import (
    ActesError,
    OpenedTransmission,
    ParsedMessage,
    open_transmission,
    parse_archive_name,
)
from bouquet.actes.protocol.constants import NATURES
from bouquet.actes.protocol.messages import (
    Acte,
    Annulation,
    AnomalieEnveloppe,
    ARDemandePieceComplementaire,
    ARLettreObservations,
    DemandeClassification,
    EnveloppeCLMISILL,
    PieceComplementaire,
    RefusPieceComplementaire,
    RejetLettreObservations,
    ReponseCourrierSimple,
    ReponseLettreObservations,
)
from bouquet.actes.protocol.transmission import referenced_files

from . import prefecture
from .checks import act_anomaly, envelope_only
from .outbox import Outbox, Sender
from .state import State, now

__all__ = ["Processor", "SIREN_NOT_REGISTERED"]

log = logging.getLogger(__name__)

SIREN_NOT_REGISTERED = (
    "PREF-VERIF-02 : Votre numéro de SIREN n'est pas encore enregistré dans l'application ACTES. "
    "Veuillez réessayer ultérieurement. Si le même problème persiste, veuillez contacter votre "
    "préfecture pour vérification."
)
_ANSWERS = (
    ReponseCourrierSimple,
    RefusPieceComplementaire,
    PieceComplementaire,
    RejetLettreObservations,
    ReponseLettreObservations,
)


class EnvelopeAnomaly(Exception):
    """The whole envelope is refused: ``nature`` (3 digits) and French ``detail``."""

    def __init__(self, nature: str, detail: str) -> None:
        super().__init__(detail)
        self.nature, self.detail = nature, detail


class Processor:
    """Checks and answers uploads; one at a time (a lock) so duplicates are detected reliably."""

    def __init__(
        self,
        state: State,
        outbox: Outbox,
        *,
        auto_answer_replies: bool = False,
        hold_cancellations: bool = False,
    ) -> None:
        self.state, self.outbox = state, outbox
        self.auto_answer_replies = auto_answer_replies
        self.hold_cancellations = hold_cancellations
        self._lock = threading.Lock()

    def receive(self, name: str, data: bytes, copies: int = 1) -> str:
        """Process an upload already answered 200; a short outcome for the log."""
        sha256 = hashlib.sha256(data).hexdigest()
        with self._lock:
            seen = self.state.archive_seen(name, sha256)
            if seen == "same":
                self.state.execute(
                    "UPDATE archives SET times = times + 1 WHERE name = ? AND sha256 = ?", (name, sha256)
                )
                return "doublon identique : ignoré"
            siren = parse_archive_name(name).envelope.siren  # the upload check already parsed it
            archive_id = self.state.insert(
                "archives", name=name, sha256=sha256, size=len(data), received_at=now(), siren=siren
            )
            try:
                outcome = self._process(name, data, seen == "different", copies)
            except Exception as exc:  # a simulator bug must not kill the server: log it, keep going
                log.exception("erreur en traitant %s", name)
                outcome = f"erreur interne : {exc}"
            self.state.set_archive_outcome(archive_id, outcome.split(" :")[0], outcome)
            return outcome

    def _process(self, name: str, data: bytes, renamed_duplicate: bool, copies: int) -> str:
        try:
            opened = open_transmission(data)
        except ActesError as exc:
            envelope = envelope_only(data)
            if envelope is None:
                return f"illisible : {exc}"
            return self._envelope_anomaly(name, *envelope, EnvelopeAnomaly("003", f"{name} -> {exc}"), copies)
        if not isinstance(opened.envelope.message, EnveloppeCLMISILL):
            return f"refusée : enveloppe {opened.envelope.root} inattendue"
        envelope = opened.envelope.message
        try:
            self._check_envelope(name, opened, renamed_duplicate)
        except EnvelopeAnomaly as anomaly:
            return self._envelope_anomaly(name, opened.envelope_name, envelope, anomaly, copies)
        idcl = envelope.idcl
        recipient = envelope.adresses_retour[0]
        self.state.remember_authority(
            idcl.siren, idcl.departement, idcl.arrondissement, idcl.nature, recipient
        )
        to = Sender(idcl.siren, recipient, idcl.departement, idcl.arrondissement)
        outcomes = []
        for message_name, parsed in opened.messages:
            try:
                outcomes.append(self._message(name, to, opened, message_name, parsed, copies))
            except (EnvelopeAnomaly, prefecture.PrefectureError) as exc:
                anomaly = exc if isinstance(exc, EnvelopeAnomaly) else EnvelopeAnomaly("100", str(exc))
                return self._envelope_anomaly(name, opened.envelope_name, envelope, anomaly, copies)
        return "traitée : " + ", ".join(outcomes)

    def _check_envelope(self, name: str, opened: OpenedTransmission, renamed_duplicate: bool) -> None:
        envelope = opened.envelope
        assert isinstance(envelope.message, EnveloppeCLMISILL)
        if envelope.schema_errors:
            raise EnvelopeAnomaly(
                "001", f"{name} -> enveloppe non conforme au schéma : {envelope.schema_errors[0]}"
            )
        try:
            archive = parse_archive_name(name)
        except ActesError as exc:
            raise EnvelopeAnomaly("002", f"{name} -> {exc}") from None
        if (
            str(archive.envelope) != opened.envelope_name
            or archive.envelope.siren != envelope.message.idcl.siren
        ):
            raise EnvelopeAnomaly(
                "002", f"{name} -> le nom de l'archive ne correspond pas à l'enveloppe {opened.envelope_name}"
            )
        if not self.state.is_registered(envelope.message.idcl.siren):
            raise EnvelopeAnomaly("005", f"{name} -> {SIREN_NOT_REGISTERED}")
        if renamed_duplicate:
            raise EnvelopeAnomaly(
                "004", f"{name} -> enveloppe déjà reçue sous ce nom avec un contenu différent"
            )

    def _envelope_anomaly(
        self,
        name: str,
        envelope_name: str,
        envelope: EnveloppeCLMISILL,
        anomaly: EnvelopeAnomaly,
        copies: int,
    ) -> str:
        message = AnomalieEnveloppe(
            date=dt.date.today(), nature=anomaly.nature, detail=anomaly.detail, enveloppe_recue=envelope
        )
        self.outbox.send_loose(
            envelope.adresses_retour[0] if envelope.adresses_retour else "inconnu@invalid.test",
            subject=f"[ACTES] Anomalie sur l'enveloppe {envelope_name}",
            body=anomaly.detail,
            name=f"ANO_{envelope_name}",
            message=message,
            copies=copies,
        )
        return f"anomalie d'enveloppe {anomaly.nature} : {anomaly.detail}"

    def _message(
        self,
        name: str,
        to: Sender,
        opened: OpenedTransmission,
        message_name: str,
        parsed: ParsedMessage,
        copies: int,
    ) -> str:
        message = parsed.message
        if isinstance(message, Acte):
            return self._act(name, to, opened, message_name, parsed, message, copies)
        if parsed.schema_errors:
            raise EnvelopeAnomaly("003", f"{message_name} non conforme au schéma : {parsed.schema_errors[0]}")
        missing = [f for f in referenced_files(message) if f not in opened.files]
        if missing:
            raise EnvelopeAnomaly("003", f"document absent de l'archive : {missing[0]}")
        code, row = parsed.code, {"archive_name": name, "return_address": to.recipient, "received_at": now()}
        if isinstance(message, Annulation):
            act = self.state.act(message.id_acte)
            if act is None or act["status"] != "acquitté":
                raise EnvelopeAnomaly(
                    "100", f"annulation d'un acte inconnu ou non acquitté : {message.id_acte}"
                )
            cancellation = self.state.insert(
                "cancellations", id_acte=act["id_acte"], siren=to.siren, status="en attente", **row
            )
            self.state.set_act_status(act["id_acte"], "annulation demandée")
            if not self.hold_cancellations:
                prefecture.acknowledge_cancellation(self.state, self.outbox, cancellation, copies)
            return f"annulation {act['id_acte']}"
        if isinstance(message, DemandeClassification):
            known = message.date_classification
            self.state.insert(
                "classification_requests", siren=to.siren, date_classification=known and known.isoformat(),
                archive_name=name, received_at=row["received_at"],
            )  # fmt: skip
            prefecture.answer_classification(self.state, self.outbox, to.siren, known, copies=copies)
            return "demande de classification"
        if isinstance(message, ARDemandePieceComplementaire | ARLettreObservations):
            self.state.execute(
                "UPDATE letters SET ar_received_at = ?"
                " WHERE id_acte = ? AND code = ? AND date_courrier_pref = ?",
                (now(), message.id_acte, code[0] + "-1", message.date_courrier_pref.isoformat()),
            )
            return f"AR {code} reçu"
        if isinstance(message, _ANSWERS):
            if self.state.act(message.id_acte) is None:
                raise EnvelopeAnomaly("100", f"réponse concernant un acte inconnu : {message.id_acte}")
            answer = self.state.insert(
                "answers", id_acte=message.id_acte, code=code,
                date_courrier_pref=message.date_courrier_pref.isoformat(), **row,
            )  # fmt: skip
            if self.auto_answer_replies and code != "2-2":
                prefecture.acknowledge_answer(self.state, self.outbox, answer, copies)
            return f"réponse {code}"
        raise EnvelopeAnomaly("003", f"message {parsed.root} non attendu par la préfecture")

    def _act(
        self, name: str, to: Sender, opened: OpenedTransmission, message_name: str, parsed: ParsedMessage,
        acte: Acte, copies: int,
    ) -> str:  # fmt: skip
        anomaly = act_anomaly(to, opened, message_name, parsed, acte)
        abbr = NATURES.get(acte.code_nature_acte, ("AU", ""))[0]
        id_acte = f"{to.departement}-{to.siren}-{acte.date:%Y%m%d}-{acte.numero_interne}-{abbr}"
        if anomaly is None:
            previous = self.state.act(id_acte)
            if previous is not None and previous["status"] in {"acquitté", "annulation demandée"}:
                anomaly = (
                    "006",
                    f"L'acte {acte.numero_interne} a déjà été transmis (identifiant {id_acte}).",
                )
        self.state.insert(
            "acts", id_acte=id_acte, siren=to.siren, numero_interne=acte.numero_interne, nature=abbr,
            decision_date=acte.date.isoformat(), objet=acte.objet, classification=acte.classification,
            status="anomalie" if anomaly else "acquitté", detail=anomaly and anomaly[1],
            archive_name=name, return_address=to.recipient, received_at=now(),
        )  # fmt: skip
        if anomaly:
            prefecture.reject_act(self.outbox, to, acte, *anomaly, copies=copies)
            return f"anomalie d'acte {anomaly[0]}"
        prefecture.acknowledge_act(self.outbox, to, acte, id_acte, copies)
        return f"acte {id_acte}"
