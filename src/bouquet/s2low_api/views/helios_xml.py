"""S²LOW's HELIOS answer shapes: small XML documents with a fixed element order, and raw PES files."""

from xml.sax.saxutils import escape

from django.http import HttpResponse

from bouquet.s2low_api.auth import latin1

__all__ = ["xml_document", "xml_response"]


def xml_document(root: str, children: list[tuple[str, object]], *, encoding: str = "ISO-8859-1") -> bytes:
    """``<?xml …?>\\n<root><a>…</a>…</root>\\n``; a child value may be a nested list of pairs."""

    def body(pairs: list[tuple[str, object]]) -> str:
        parts = []
        for name, value in pairs:
            inner = body(value) if isinstance(value, list) else escape("" if value is None else str(value))
            parts.append(f"<{name}>{inner}</{name}>")
        return "".join(parts)

    text = f'<?xml version="1.0" encoding="{encoding}"?>\n<{root}>{body(children)}</{root}>\n'
    return latin1(text) if encoding.upper() == "ISO-8859-1" else text.encode(encoding)


def xml_response(data: bytes, *, charset: str = "ISO-8859-1", filename: str | None = None) -> HttpResponse:
    response = HttpResponse(data, content_type=f"text/xml; charset={charset}")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
