"""S²LOW's answer shapes: ``OK`` lines, raw files, PHP-style JSON, client redirects."""

import json
from typing import Any

from django.http import HttpResponse, HttpResponseRedirect

from bouquet.s2low_api.auth import text_response

__all__ = ["file_response", "ok", "php_json", "redirect"]


def ok(*lines: object) -> HttpResponse:
    """``OK\\n<line>\\n…`` in ISO-8859-1 (S²LOW ``returnAndExit(0, …)`` in API mode)."""
    return text_response("".join(f"{line}\n" for line in ("OK", *lines)))


def file_response(data: bytes, content_type: str, filename: str | None = None) -> HttpResponse:
    """Bytes passed through untouched (the client stores them as they come)."""
    response = HttpResponse(data, content_type=content_type)
    if filename:
        safe = filename.replace('"', "").replace("\r", "").replace("\n", "")
        response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


def php_json(value: Any) -> HttpResponse:
    """JSON as PHP ``json_encode`` writes it: ASCII with ``\\uXXXX`` and escaped slashes."""
    body = json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")
    return HttpResponse(body.encode("ascii"), content_type="application/json")


class _AnyRedirect(HttpResponseRedirect):
    # S²LOW sends relative Location headers ("actes_download_file.php?…"); keep them as they are.
    allowed_schemes = ["http", "https", ""]


def redirect(location: str) -> HttpResponse:
    return _AnyRedirect(location)
