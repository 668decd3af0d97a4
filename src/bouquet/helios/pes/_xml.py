"""Hardened XML input: size gate before parsing, DOCTYPE refusal, hashing while streaming."""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Iterator
from typing import IO, Any

from lxml import etree

from bouquet.xmlsafe import HARDENING, has_doctype

from .constants import MAX_FILE_SIZE
from .errors import PESForbiddenXMLError, PESSyntaxError, PESTooLargeError

__all__ = [
    "PESSource",
    "HashingReader",
    "check_size",
    "local_name",
    "open_source",
    "release",
    "secure_iterparse",
    "parse_whole",
]

#: A PES file given as a path, its bytes, or a seekable binary stream.
PESSource = str | os.PathLike[str] | bytes | IO[bytes]

_PROLOG_SCAN = 64 * 1024
_PROLOG_ITEM = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->)", re.S)
_CHUNK = 1024 * 1024


def source_size(source: PESSource) -> int:
    """Size in bytes of a source, without reading it."""
    if isinstance(source, bytes):
        return len(source)
    if isinstance(source, str | os.PathLike):
        return os.stat(source).st_size
    position = source.tell()
    size = source.seek(0, io.SEEK_END)
    source.seek(position)
    return size - position


def check_size(source: PESSource, max_size: int = MAX_FILE_SIZE) -> int:
    """Refuse an empty or oversized source before parsing; return its size.

    :raises PESTooLargeError: over ``max_size`` bytes.
    :raises PESSyntaxError: empty file.
    """
    size = source_size(source)
    if size > max_size:
        raise PESTooLargeError(
            f"Le fichier fait {size} octets, au-delà de la limite de {max_size} octets "
            f"({max_size // (1024 * 1024)} Mio) : il n'a pas été lu."
        )
    if size == 0:
        raise PESSyntaxError("Le fichier est vide.")
    return size


def open_source(source: PESSource) -> IO[bytes]:
    """A binary stream on the source (the caller closes it when it opened a path)."""
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, str | os.PathLike):
        return open(source, "rb")  # noqa: SIM115 - closed by HashingReader.close()
    return source


class HashingReader:
    """File-like wrapper computing SHA-256 and size of the bytes the parser reads, and keeping the head."""

    def __init__(self, stream: IO[bytes], *, max_size: int = MAX_FILE_SIZE, owned: bool = False) -> None:
        self._stream = stream
        self._owned = owned
        self._max_size = max_size
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.head = b""
        self._prolog_done = False

    def read(self, n: int = -1) -> bytes:
        wanted = _CHUNK if n is None or n < 0 else n
        data = self._stream.read(wanted)
        if not self._prolog_done:
            self.head += data[: _PROLOG_SCAN - len(self.head)]
            final = len(data) < wanted or len(self.head) >= _PROLOG_SCAN
            self._prolog_done = check_prolog(self.head, final=final)
        self.size += len(data)
        if self.size > self._max_size:
            raise PESTooLargeError(f"Le fichier dépasse la limite de {self._max_size} octets.")
        self.sha256.update(data)
        return data

    def close(self) -> None:
        if self._owned:
            self._stream.close()


def check_prolog(head: bytes, *, final: bool = True) -> bool:
    """Refuse a DOCTYPE (internal subset, entities) before the parser sees it.

    :param final: no more bytes will come (or the scan window is full).
    :return: whether the prolog was fully scanned.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PESSyntaxError("Encodage UTF-16 non pris en charge : un PES doit être en ISO-8859-1.")
    position = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while match := _PROLOG_ITEM.match(head, position):
        position = match.end()
    rest = head[position:].lstrip()
    if not final and (len(rest) < 4 or rest.startswith((b"<?", b"<!--"))):
        return False
    if rest.startswith(b"<!"):
        raise PESForbiddenXMLError(
            "Le fichier contient une déclaration DOCTYPE (DTD, entités) : "
            "refusée pour des raisons de sécurité, un PES n'en contient jamais."
        )
    return True


def secure_iterparse(stream: Any, events: tuple[str, ...] = ("start", "end")) -> Iterator[tuple[str, Any]]:
    """``lxml.etree.iterparse`` with a hardened configuration; errors become French :class:`PESError`."""
    parser = etree.iterparse(stream, events=events, huge_tree=True, remove_comments=True, **HARDENING)
    first = True
    try:
        for event, element in parser:
            if first:
                first = False
                if has_doctype(element):
                    raise PESForbiddenXMLError("Le fichier contient une déclaration DOCTYPE : refusée.")
            yield event, element
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc) from exc


def secure_parser() -> etree.XMLParser:
    """A parser for full-tree use (signatures, schemas) with the same hardening as the stream."""
    return etree.XMLParser(huge_tree=True, remove_comments=False, **HARDENING)


def syntax_error(exc: etree.XMLSyntaxError) -> PESSyntaxError:
    """Translate a libxml2 syntax error into a French message with its line."""
    text = str(exc)
    line = exc.lineno or None
    if "Premature end" in text or "EndTag" in text or "end of data" in text or "Extra content" in text:
        why = "le fichier est tronqué ou mal fermé"
    elif "Document is empty" in text or "Start tag expected" in text:
        why = "ce n'est pas un document XML"
    elif "encoding" in text.lower() or "Input is not proper" in text:
        why = "les caractères ne correspondent pas à l'encodage déclaré"
    elif "Entity" in text or "entity" in text:
        why = "il utilise une entité XML non déclarée ou interdite"
    else:
        why = "ce n'est pas du XML bien formé"
    where = f" (ligne {line})" if line else ""
    return PESSyntaxError(f"Fichier illisible{where} : {why}. Détail : {text}", line=line)


def release(element: Any) -> None:
    """Free an element already processed, and the processed siblings before it."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def local_name(tag: Any) -> str:
    """Local part of an lxml tag (``""`` for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def parse_whole(source: PESSource) -> Any:
    """The whole document as a tree, with the hardened parser (a caller's stream is rewound first).

    For the cases streaming cannot serve (schema validation, a signature over the root); the size
    has been checked by the caller.
    """
    if not isinstance(source, bytes | str | os.PathLike):
        source.seek(0)
    stream = open_source(source)
    try:
        return etree.parse(stream, secure_parser())
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc) from exc
    finally:
        if stream is not source:
            stream.close()
