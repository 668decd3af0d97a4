"""A whole transmission: envelope + messages + documents in one archive, built or opened."""

from collections.abc import Sequence
from dataclasses import dataclass

from .archive import ArchiveMember, build_archive, read_archive
from .build import build_message
from .constants import ANY_ENVELOPE_FILE_RE
from .errors import ArchiveError
from .messages import (
    Acte,
    DefereTA,
    EnveloppeCLMISILL,
    EnveloppeMISILLCL,
    Message,
    PieceComplementaire,
)
from .messages.common import CourrierDocumentMessage
from .messages.lettre_observations import LettreObservations
from .messages.pieces import DemandePieceComplementaire
from .names import ArchiveName, DocumentName, EnvelopeName, MessageName
from .parse import ParsedMessage, parse_message

__all__ = [
    "Transmission",
    "OpenedTransmission",
    "referenced_files",
    "build_transmission",
    "open_transmission",
]


@dataclass(frozen=True)
class Transmission:
    """An archive ready to send."""

    #: Archive file name (also the multipart field name when posting it).
    name: str
    #: The tar.gz bytes.
    data: bytes
    #: Member names, in archive order (envelope first).
    members: tuple[str, ...]


@dataclass(frozen=True)
class OpenedTransmission:
    """An archive read back: its envelope, its messages and every file."""

    envelope_name: str
    envelope: ParsedMessage
    #: (file name, parsed message) for each ``Formulaire`` of the envelope, in order.
    messages: tuple[tuple[str, ParsedMessage], ...]
    #: Every member by name.
    files: dict[str, bytes]


def referenced_files(message: Message) -> tuple[str, ...]:
    """Names of the documents a message refers to (main document first)."""
    if isinstance(message, Acte):
        return (message.document.nom_fichier, *(a.nom_fichier for a in message.annexes))
    if isinstance(message, CourrierDocumentMessage | DemandePieceComplementaire | LettreObservations):
        return (message.document.nom_fichier,)
    if isinstance(message, PieceComplementaire):
        return tuple(d.nom_fichier for d in message.documents)
    if isinstance(message, DefereTA):
        return tuple(p.nom_fichier for p in message.pieces_jointes)
    return ()


def build_transmission(
    *,
    trigramme: str,
    envelope_name: EnvelopeName,
    envelope: EnveloppeCLMISILL,
    messages: Sequence[tuple[MessageName | str, Message]],
    documents: Sequence[tuple[DocumentName | str, bytes]] = (),
    mtime: int = 0,
) -> Transmission:
    """Build, validate and pack a transmission: envelope, then each message, then the documents.

    :raises SchemaValidationError: a message or the envelope does not validate.
    :raises ArchiveError: the envelope does not list exactly the messages, a referenced document is
        missing or unexpected, or the archive is too large.
    """
    message_names = [str(name) for name, _ in messages]
    listed = [f.nom_fichier for f in envelope.formulaires]
    if listed != message_names:
        raise ArchiveError(
            f"L'enveloppe annonce {listed} mais l'archive contient les messages {message_names}."
        )
    document_names = [str(name) for name, _ in documents]
    expected = [name for _, message in messages for name in referenced_files(message)]
    if sorted(expected) != sorted(document_names):
        missing = sorted(set(expected) - set(document_names))
        extra = sorted(set(document_names) - set(expected))
        raise ArchiveError(f"Documents incohérents avec les messages : manquants {missing}, en trop {extra}.")
    members = [ArchiveMember(str(envelope_name), build_message(envelope))]
    members += [ArchiveMember(str(name), build_message(message)) for name, message in messages]
    members += [ArchiveMember(str(name), data) for name, data in documents]
    archive_name = str(ArchiveName(trigramme, envelope_name))
    data = build_archive(members, mtime=mtime)
    return Transmission(name=archive_name, data=data, members=tuple(m.name for m in members))


def open_transmission(data: bytes) -> OpenedTransmission:
    """Read an archive, find its envelope and parse the messages it lists (leniently).

    :raises ArchiveError: unsafe or unreadable archive, no envelope, or a listed message missing.
    :raises ActesError: an XML member is unsafe, malformed or not an @ctes message.
    """
    members = read_archive(data)
    files = {m.name: m.data for m in members}
    envelope_name = next((m.name for m in members if ANY_ENVELOPE_FILE_RE.fullmatch(m.name)), None)
    if envelope_name is None:
        raise ArchiveError("Archive sans enveloppe (fichier <APPLI>--….xml introuvable).")
    envelope = parse_message(files[envelope_name])
    if not isinstance(envelope.message, EnveloppeCLMISILL | EnveloppeMISILLCL):
        raise ArchiveError(f"{envelope_name} n'est pas une enveloppe @ctes ({envelope.root}).")
    messages = []
    for formulaire in envelope.message.formulaires:
        if formulaire.nom_fichier not in files:
            raise ArchiveError(f"Message annoncé dans l'enveloppe mais absent : {formulaire.nom_fichier!r}.")
        messages.append((formulaire.nom_fichier, parse_message(files[formulaire.nom_fichier])))
    return OpenedTransmission(envelope_name, envelope, tuple(messages), files)
