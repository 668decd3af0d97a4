"""Content type by magic bytes (never by extension): PDF, XML, JPEG, PNG."""

from .constants import MIME_JPEG, MIME_PDF, MIME_PNG, MIME_XML

__all__ = ["sniff_mime", "EXTENSIONS"]

#: File extension written in document names for each sniffed type.
EXTENSIONS = {MIME_PDF: "pdf", MIME_XML: "xml", MIME_JPEG: "jpg", MIME_PNG: "png"}

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _looks_like_xml(head: bytes) -> bool:
    for bom in _BOMS:
        head = head.removeprefix(bom)
    head = head.lstrip(b" \t\r\n")
    if head.startswith(b"<?xml"):
        return True
    # Without a declaration, a root start tag: "<" then a name start character.
    return len(head) > 1 and head[:1] == b"<" and (head[1:2].isalpha() or head[1:2] in (b"_", b":"))


def sniff_mime(data: bytes) -> str | None:
    """The MIME type of ``data`` among PDF, XML, JPEG and PNG, or ``None``."""
    if data.startswith(b"%PDF-"):
        return MIME_PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return MIME_PNG
    if data.startswith(b"\xff\xd8\xff"):
        return MIME_JPEG
    if _looks_like_xml(data[:512]):
        return MIME_XML
    return None
