"""File names of the @ctes flow: envelope, archive, message XML and documents; build and parse.

* envelope ``EACT--<SIREN>--<YYYYMMDD>-<serial>.xml`` (serial per authority per day, from 1);
* archive ``<trigramme>-<envelope stem>.tar.gz``;
* message ``<dept>-<SIREN>-<YYYYMMDD>-<NumeroInterne>-<nature>-<T>-<S>_<n>.xml``
  (``<dept>-<SIREN>----7-1_0.xml`` for a classification request);
* document ``<typology>-<same base>_<n>.<ext>``, n = 1 for the main document, 2.. for annexes
  (older archives have no typology prefix).
"""

import datetime as dt
import re
from dataclasses import dataclass

from .constants import (
    APPLI_NAME,
    APPLI_NAME_RE,
    ARCHIVE_NAME_RE,
    DEPARTEMENT_RE,
    DOCUMENT_NAME_RE,
    ENVELOPE_NAME_RE,
    ID_ACTE_RE,
    MAX_ENVELOPE_SERIAL,
    MESSAGE_CODE_RE,
    MESSAGE_NAME_RE,
    NUMERO_INTERNE_XSD_RE,
    SIREN_RE,
    TRIGRAMME_RE,
    TYPOLOGY_RE,
)
from .errors import FileNameError

__all__ = [
    "EnvelopeName",
    "ArchiveName",
    "MessageName",
    "DocumentName",
    "parse_envelope_name",
    "parse_archive_name",
    "parse_message_name",
    "parse_document_name",
]


def _yyyymmdd(value: str, name: str) -> dt.date:
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise FileNameError(f"Date invalide dans le nom de fichier {name!r}.") from None


@dataclass(frozen=True)
class EnvelopeName:
    """``<appli>--<SIREN>--<YYYYMMDD>-<serial>.xml``."""

    siren: str
    date: dt.date
    #: Serial of the envelope for this authority and day, from 1 (the caller keeps the counter).
    serial: int
    #: Application name (quadrigramme): ``EACT`` in production.
    appli: str = APPLI_NAME

    def __post_init__(self) -> None:
        if not SIREN_RE.fullmatch(self.siren):
            raise FileNameError(f"SIREN invalide : {self.siren!r} (9 chiffres attendus).")
        if not 1 <= self.serial <= MAX_ENVELOPE_SERIAL:
            raise FileNameError(
                f"Numéro d'enveloppe hors limites : {self.serial} (1 à {MAX_ENVELOPE_SERIAL})."
            )
        if not APPLI_NAME_RE.fullmatch(self.appli):
            raise FileNameError(f"Nom d'application invalide : {self.appli!r} (4 majuscules).")

    @property
    def stem(self) -> str:
        """The name without ``.xml``."""
        return f"{self.appli}--{self.siren}--{self.date:%Y%m%d}-{self.serial}"

    def __str__(self) -> str:
        return f"{self.stem}.xml"


@dataclass(frozen=True)
class ArchiveName:
    """``<trigramme>-<envelope stem>.tar.gz``."""

    #: The TdT's trigramme, assigned at homologation (``SLO`` for S2LOW).
    trigramme: str
    envelope: EnvelopeName

    def __post_init__(self) -> None:
        if not TRIGRAMME_RE.fullmatch(self.trigramme):
            raise FileNameError(f"Trigramme invalide : {self.trigramme!r} (3 lettres ou chiffres).")

    def __str__(self) -> str:
        return f"{self.trigramme}-{self.envelope.stem}.tar.gz"


@dataclass(frozen=True)
class MessageName:
    """``<dept>-<SIREN>-<YYYYMMDD>-<NumeroInterne>-<nature>-<T>-<S>_<n>.xml``.

    ``date``, ``numero_interne`` and ``nature`` are ``None`` together, for classification messages.
    """

    departement: str
    siren: str
    date: dt.date | None
    numero_interne: str | None
    #: Two-letter nature (``DE``…).
    nature: str | None
    #: Message code ``"<T>-<S>"``.
    code: str
    #: File number: 0 for the message, 1.. for documents.
    index: int = 0

    def __post_init__(self) -> None:
        if not DEPARTEMENT_RE.fullmatch(self.departement):
            raise FileNameError(f"Département invalide : {self.departement!r}.")
        if not SIREN_RE.fullmatch(self.siren):
            raise FileNameError(f"SIREN invalide : {self.siren!r} (9 chiffres attendus).")
        if not MESSAGE_CODE_RE.fullmatch(self.code):
            raise FileNameError(f"Code de message invalide : {self.code!r}.")
        parts = (self.date, self.numero_interne, self.nature)
        if any(p is None for p in parts) and any(p is not None for p in parts):
            raise FileNameError("Date, numéro interne et nature vont ensemble dans un nom de fichier.")
        if self.numero_interne is not None and not NUMERO_INTERNE_XSD_RE.fullmatch(self.numero_interne):
            raise FileNameError(f"Numéro interne invalide dans un nom de fichier : {self.numero_interne!r}.")
        if self.nature is not None and not re.fullmatch(r"[A-Z]{2}", self.nature):
            raise FileNameError(f"Nature invalide : {self.nature!r} (2 majuscules).")

    @property
    def base(self) -> str:
        """The part shared by the message and its documents, without ``_<n>``."""
        if self.date is None:
            return f"{self.departement}-{self.siren}----{self.code}"
        act = f"{self.date:%Y%m%d}-{self.numero_interne}-{self.nature}"
        return f"{self.departement}-{self.siren}-{act}-{self.code}"

    @classmethod
    def from_id_acte(cls, id_acte: str, code: str, index: int = 0) -> "MessageName":
        """The name of a message about an acknowledged act (2-2, 3-x, 4-x, 6-1…), from its ``IDActe``."""
        match = ID_ACTE_RE.fullmatch(id_acte)
        if not match:
            raise FileNameError(f"IDActe invalide : {id_acte!r}.")
        return cls(
            departement=match["departement"],
            siren=match["siren"],
            date=_yyyymmdd(match["date"], id_acte),
            numero_interne=match["numero_interne"],
            nature=match["nature"],
            code=code,
            index=index,
        )

    def document(self, index: int, extension: str, typology: str | None) -> "DocumentName":
        """The name of document ``index`` (1 = main document) of this message."""
        return DocumentName(typology=typology, message=self, index=index, extension=extension)

    def __str__(self) -> str:
        return f"{self.base}_{self.index}.xml"


@dataclass(frozen=True)
class DocumentName:
    """``<typology>-<message base>_<n>.<ext>``."""

    #: 5-character typology (``99_DE``); ``None`` in archives older than typologies.
    typology: str | None
    message: MessageName
    index: int
    #: Extension without the dot (``pdf``).
    extension: str

    def __post_init__(self) -> None:
        if self.typology is not None and not TYPOLOGY_RE.fullmatch(self.typology):
            raise FileNameError(f"Typologie invalide : {self.typology!r} (5 caractères A-Z, 0-9 ou _).")
        if not re.fullmatch(r"[A-Za-z0-9]{1,5}", self.extension):
            raise FileNameError(f"Extension invalide : {self.extension!r}.")

    def __str__(self) -> str:
        prefix = f"{self.typology}-" if self.typology else ""
        return f"{prefix}{self.message.base}_{self.index}.{self.extension}"


def parse_envelope_name(name: str) -> EnvelopeName:
    """Parse ``EACT--214502494--20170717-6.xml`` (an ``ANO_`` prefix is accepted and ignored)."""
    match = ENVELOPE_NAME_RE.fullmatch(name.removeprefix("ANO_").removesuffix(".xml"))
    if not match or not name.endswith(".xml"):
        raise FileNameError(
            f"Nom d'enveloppe invalide : {name!r} (attendu EACT--<SIREN>--<AAAAMMJJ>-<n>.xml)."
        )
    return EnvelopeName(
        siren=match["siren"],
        date=_yyyymmdd(match["date"], name),
        serial=int(match["serial"]),
        appli=match["appli"],
    )


def parse_archive_name(name: str) -> ArchiveName:
    """Parse ``SLO-EACT--214502494--20170717-6.tar.gz``."""
    match = ARCHIVE_NAME_RE.fullmatch(name)
    if not match:
        raise FileNameError(f"Nom d'archive invalide : {name!r} (attendu <trigramme>-<enveloppe>.tar.gz).")
    return ArchiveName(trigramme=match["trigramme"], envelope=parse_envelope_name(match["envelope"] + ".xml"))


def _message(match: re.Match[str], name: str) -> MessageName:
    return MessageName(
        departement=match["departement"],
        siren=match["siren"],
        date=_yyyymmdd(match["date"], name) if match["date"] else None,
        numero_interne=match["numero"],
        nature=match["nature"],
        code=match["code"],
        index=int(match["index"]),
    )


def parse_message_name(name: str) -> MessageName:
    """Parse ``034-000000000-20170701-20170721D-AI-1-2_0.xml`` or ``034-000000000----7-1_0.xml``."""
    match = MESSAGE_NAME_RE.fullmatch(name)
    if not match:
        raise FileNameError(
            f"Nom de message invalide : {name!r} "
            "(attendu <dép>-<SIREN>-<AAAAMMJJ>-<numéro>-<nature>-<T>-<S>_<n>.xml)."
        )
    return _message(match, name)


def parse_document_name(name: str) -> DocumentName:
    """Parse ``99_DE-034-000000000-20241209-20241209_MR02-DE-1-1_1.pdf`` (typology prefix optional)."""
    match = DOCUMENT_NAME_RE.fullmatch(name)
    if not match:
        raise FileNameError(
            f"Nom de document invalide : {name!r} "
            "(attendu <typologie>-<dép>-<SIREN>-<AAAAMMJJ>-<numéro>-<nature>-<T>-<S>_<n>.<ext>)."
        )
    message = _message(match, name)
    return DocumentName(
        typology=match["typology"], message=message, index=message.index, extension=match["ext"]
    )
