"""The archive POST body read as the ministry does: one file part named after the archive."""

import base64
import os

import pytest
import requests

from bouquet.actes.transport.https import _multipart
from bouquet.simulators.ministry.upload import UploadError, parse_upload

NAME = "BQT-EACT--210100012--20261127-1.tar.gz"
# Bytes that look like delimiters and header ends must stay inside the file.
DATA = os.urandom(300_000) + b"\r\n--bouquet-\r\n\r\n--" + os.urandom(1000)


def _form(parts: list[bytes], boundary: bytes = b"BB", preamble: bytes = b"", epilogue: bytes = b"") -> bytes:
    body = preamble
    for part in parts:
        body += b"--" + boundary + b"\r\n" + part + b"\r\n"
    return body + b"--" + boundary + b"--\r\n" + epilogue


def _file_part(name: str, data: bytes, field: str | None = None, extra: bytes = b"") -> bytes:
    field = field or name
    return (
        f'Content-Disposition: form-data; name="{field}"; filename="{name}"\r\n'.encode()
        + extra
        + b"Content-Type: application/x-gzip\r\n\r\n"
        + data
    )


def test_it_reads_our_clients_upload_byte_for_byte():
    body, content_type = _multipart(NAME, DATA)
    assert parse_upload(content_type, body) == (NAME, DATA)


def test_it_reads_what_requests_sends_with_an_extra_text_field():
    request = requests.Request(
        "POST", "https://x/", files={NAME: (NAME, DATA, "application/gzip")}, data={"note": "x"}
    ).prepare()
    assert parse_upload(request.headers["Content-Type"], request.body) == (NAME, DATA)


def test_it_ignores_preamble_and_epilogue_and_decodes_base64():
    part = _file_part(NAME, base64.encodebytes(DATA[:5000]), extra=b"Content-Transfer-Encoding: base64\r\n")
    body = _form([part], preamble=b"ignored\r\n", epilogue=b"ignored too")
    assert parse_upload("multipart/form-data; boundary=BB", body) == (NAME, DATA[:5000])


def test_it_takes_the_file_name_when_the_field_name_is_not_an_archive_name():
    body = _form([_file_part(NAME, b"x", field="archive")])
    assert parse_upload('multipart/form-data; boundary="BB"', body) == (NAME, b"x")


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("application/octet-stream", b"x", "multipart/form-data attendu"),
        ("multipart/form-data; boundary=BB", b"no delimiter at all", "illisible"),
        (
            "multipart/form-data; boundary=BB",
            b"--BB\r\n" + _file_part(NAME, DATA[:1000]),
            "fin absente",
        ),  # truncated upload: no closing delimiter
        (
            "multipart/form-data; boundary=BB",
            _form([_file_part("a.tar.gz", b"1"), _file_part(NAME, b"2")]),
            "un seul fichier attendu, 2",
        ),
        ("multipart/form-data; boundary=BB", _form([_file_part("../../x.tar.gz", b"1")]), "nom d'archive"),
        ("multipart/form-data; boundary=BB", _form([_file_part(NAME, b"")]), "fichier vide"),
        ("multipart/form-data; boundary=BB", _form([b"Content-Disposition: form-data"]), "en-têtes"),
    ],
    ids=["not-multipart", "no-delimiter", "truncated", "two-files", "bad-name", "empty", "no-header-end"],
)
def test_it_refuses_a_bad_upload_with_a_french_reason(content_type, body, message):
    with pytest.raises(UploadError, match=message):
        parse_upload(content_type, body)
