"""The ministry's checks on the content of an archive, as pure functions."""

import datetime as dt

from bouquet.actes.protocol import (
    ActesError,
    OpenedTransmission,
    ParsedMessage,
    parse_message,
    parse_message_name,
    read_archive,
)
from bouquet.actes.protocol.constants import ANY_ENVELOPE_FILE_RE, NATURES
from bouquet.actes.protocol.messages import Acte, EnveloppeCLMISILL
from bouquet.actes.protocol.transmission import referenced_files

from .outbox import Sender

__all__ = ["act_anomaly", "envelope_only"]


def act_anomaly(
    to: Sender, opened: OpenedTransmission, message_name: str, parsed: ParsedMessage, acte: Acte
) -> tuple[str, str] | None:
    """The first problem of an act as (nature, detail), or ``None``."""
    if parsed.schema_errors:
        return "001", f"Le message {message_name} n'est pas conforme au schéma : {parsed.schema_errors[0]}"
    try:
        parsed_name = parse_message_name(message_name)
    except ActesError as exc:
        return "002", str(exc)
    abbr = NATURES.get(acte.code_nature_acte, ("??", ""))[0]
    expected = (to.departement, to.siren, acte.date, acte.numero_interne, abbr, "1-1")
    found = (parsed_name.departement, parsed_name.siren, parsed_name.date, parsed_name.numero_interne,
             parsed_name.nature, parsed_name.code)  # fmt: skip
    if found != expected:
        return "002", f"Le nom du fichier {message_name} ne correspond pas au contenu de l'acte."
    missing = [f for f in referenced_files(acte) if f not in opened.files]
    if missing:
        return "003", f"Document absent de l'archive : {missing[0]}."
    if acte.date > dt.date.today():
        return "004", f"La date de décision {acte.date:%d/%m/%Y} est postérieure à la date de réception."
    return None


def envelope_only(data: bytes) -> tuple[str, EnveloppeCLMISILL] | None:
    """The envelope of an archive that could not be opened as a whole, if it can be read at all."""
    try:
        members = read_archive(data)
        found = next((m for m in members if ANY_ENVELOPE_FILE_RE.fullmatch(m.name)), None)
        if found is None:
            return None
        envelope = parse_message(found.data).message
    except ActesError:
        return None
    return (found.name, envelope) if isinstance(envelope, EnveloppeCLMISILL) else None
