"""Packs the ministry's answers: an ``EnveloppeMISILLCL`` plus message XMLs and PDFs, mailed as loose files.

Every mail is recorded in the state so that the UI and the tests can see what went out.
"""

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bouquet.actes.protocol import build_message
from bouquet.actes.protocol.errors import SchemaValidationError
from bouquet.actes.protocol.messages import EnveloppeMISILLCL, Message, SignedFile
from bouquet.actes.protocol.xmlbuild import to_bytes

from .delivery import Attachment, Mailer, build_mail
from .state import State, now

__all__ = ["Outbox", "Sender", "serialise"]

log = logging.getLogger("bouquet.simulators.ministry")

#: Emitter code in the ministry's envelope names (the sub-prefecture of S²LOW's fixtures).
EMITTER = "SPREF0011"


@dataclass(frozen=True)
class Sender:
    """Who the answer goes to: the authority, its TdT address, and the préfecture's department."""

    siren: str
    recipient: str
    departement: str
    arrondissement: str = "1"


def serialise(message: Message) -> bytes:
    """Schema-valid XML when possible; else as is (an anomaly must copy back even an invalid act)."""
    try:
        return build_message(message)
    except SchemaValidationError:
        return to_bytes(message.to_element())


class Outbox:
    """Builds, mails and records the ministry's answers."""

    def __init__(self, state: State, mailer: Mailer, *, appli: str = "TACT") -> None:
        self.state = state
        self.mailer = mailer
        self.appli = appli

    def envelope_name(self, siren: str, today: dt.date) -> str:
        """``TACT--SPREF0011-<SIREN>-<YYYYMMDD>-<n>.xml`` (n: per authority and day)."""
        serial = self.state.next_serial(siren, today)
        return f"{self.appli}--{EMITTER}-{siren}-{today:%Y%m%d}-{serial}.xml"

    def send(
        self,
        to: Sender,
        *,
        subject: str,
        body: str,
        messages: Sequence[tuple[str, Message]],
        documents: Sequence[Attachment] = (),
        copies: int = 1,
    ) -> str:
        """Mail ``messages`` (with their documents) under a ministry envelope; the Message-ID."""
        envelope = EnveloppeMISILLCL(
            emetteur="IDSousPref",
            departement=to.departement,
            arrondissement=to.arrondissement,
            formulaires=tuple(SignedFile(name) for name, _ in messages),
            destinataire_siren=to.siren,
        )
        files = [Attachment(self.envelope_name(to.siren, dt.date.today()), build_message(envelope))]
        files += [Attachment(name, serialise(message)) for name, message in messages]
        return self._mail(to.recipient, subject, body, [*files, *documents], copies)

    def send_loose(
        self, recipient: str, *, subject: str, body: str, name: str, message: Message, copies: int = 1
    ) -> str:
        """Mail one file without a ministry envelope (``ANO_<envelope>``: S²LOW matches it by name)."""
        return self._mail(recipient, subject, body, [Attachment(name, serialise(message))], copies)

    def _mail(self, recipient: str, subject: str, body: str, files: list[Attachment], copies: int) -> str:
        mail = build_mail(recipient=recipient, subject=subject, body=body, attachments=files)
        message_id = mail.message_id
        if copies > 0:
            self.mailer.deliver(mail, copies)
        log.info("courriel « %s » → %s %s (%d exemplaire(s))", subject, recipient, message_id, copies)
        self.state.insert(
            "mails",
            message_id=message_id,
            recipient=recipient,
            subject=subject,
            attachments=" ".join(f.name for f in files),
            copies=copies,
            sent_at=now(),
        )
        return message_id
