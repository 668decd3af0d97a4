"""The archive POST body read as the ministry does: one file part named after the archive."""

import base64
import os
import random
import string
from email import policy
from email.parser import BytesHeaderParser

import pytest
import requests

from bouquet.actes.transport.https import _multipart
from bouquet.simulators.ministry import upload
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


def _one_part(head: bytes, data: bytes = b"x") -> bytes:
    return b"--BB\r\n" + head + b"\r\n\r\n" + data + b"\r\n--BB--\r\n"


_ARCHIVE = NAME.encode()
_BASE64_PART = (
    b'Content-Disposition: form-data; name="' + _ARCHIVE + b'"\r\nContent-Transfer-Encoding: base64'
)


@pytest.mark.parametrize(
    "head",
    [
        b"Content-Disposition: form-data; name=\"archive\"; filename*=UTF-8''" + _ARCHIVE,  # RFC 5987
        b"Content-Disposition: form-data; name=\"archive\"; filename*=utf-8''"
        + _ARCHIVE.replace(b".", b"%2E"),
        b'Content-Disposition: form-data; name="a\\"b"; filename="' + _ARCHIVE + b'"',  # quoted-pair
        'Content-Disposition: form-data; name="été"; filename="'.encode() + _ARCHIVE + b'"',  # raw UTF-8
        b'Content-Disposition: form-data;\r\n name="' + _ARCHIVE + b'"',  # folded
        b"content-disposition: form-data; NAME=" + _ARCHIVE,  # case, token value
        b'Content-Type: application/gzip; name="' + _ARCHIVE + b'"',  # no Content-Disposition
        b'Content-Disposition: form-data; name="x"; filename="=?utf-8?q?' + _ARCHIVE + b'?="',
        b'Content-Disposition: form-data; name="x"; filename=" ' + _ARCHIVE + b' "',  # file name stripped
    ],
    ids=[
        "rfc5987",
        "percent",
        "escaped-quote",
        "utf8",
        "folded",
        "token",
        "content-type",
        "rfc2047",
        "spaces",
    ],
)
def test_it_reads_the_archive_name_in_every_header_form_it_accepted(head):
    assert parse_upload("multipart/form-data; boundary=BB", _one_part(head)) == (NAME, b"x")


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        (
            "multipart/form-data; boundary=BB",
            _one_part(b'Content-Disposition: form-data; name="a\\"b"; filename="x\\"y.tar.gz"'),
            "nom d'archive invalide \\('a\"b'\\)",
        ),
        (
            "multipart/form-data; boundary=BB",
            _one_part('Content-Disposition: form-data; name="été"; filename="été.tar.gz"'.encode()),
            "nom d'archive invalide \\('été'\\)",
        ),
        (
            "multipart/form-data; boundary=BB",
            _one_part(_BASE64_PART, b"====\r\n"),
            "fichier vide",
        ),
        (
            "multipart/form-data; boundary=BB",
            _one_part(
                b'Content-Disposition: form-data; name="'
                + _ARCHIVE
                + b'"\r\nContent-Transfer-Encoding: base64',
                b"abc",
            ),
            "contenu de la partie illisible",
        ),
        ('multipart/form-data; boundary=""', _one_part(b"Content-Disposition: form-data"), "illisible"),
        (
            "multipart/form-data; boundary=BB",
            b"--BB\r\n" + b"X: y\r\n" * 3000 + b"\r\n--BB--\r\n",
            "en-têtes",
        ),
        ("multipart/form-data; boundary=BB", b"--BB\r\n\r\nno headers\r\n--BB--\r\n", "nom d'archive"),
        ("multipart/form-data; boundary=BB", b"--BB\r\n" + b"--BB\r\n" * 2, "illisible"),
    ],
    ids=[
        "escaped-quote",
        "utf8",
        "base64-empty",
        "bad-base64",
        "empty-boundary",
        "long-head",
        "bare",
        "garbage",
    ],
)
def test_it_refuses_bad_part_headers_with_a_french_reason(content_type, body, message):
    with pytest.raises(UploadError, match=message):
        parse_upload(content_type, body)


def _head_of_first_part(content_type: str, body: bytes) -> bytes:
    start, end = upload._split(body, upload._boundary(content_type))[0]
    return body[start : body.find(b"\r\n\r\n", start, end)]


def test_our_client_and_requests_take_the_plain_header_path():
    ours, ours_type = _multipart(NAME, DATA)
    request = requests.Request("POST", "https://x/", files={NAME: (NAME, DATA, "application/gzip")}).prepare()
    for content_type, body in ((ours_type, ours), (request.headers["Content-Type"], request.body)):
        assert upload._plain_headers(_head_of_first_part(content_type, body)) is not None


def _random_head(rnd: random.Random) -> bytes:
    """Header blocks near the plain syntax: quoting, spacing, case, odd characters, several headers."""
    text = string.ascii_letters + string.digits + " !#$%&'*+,-./:;<=>?@[\\]^_`{|}~\t\"()é"
    token = string.ascii_letters + string.digits + "!#$%&+-.^_`|~'*"

    def value() -> str:
        if rnd.random() < 0.3:
            return rnd.choice([NAME, f" {NAME} ", NAME.upper(), "", f"utf-8''{NAME}", f"=?utf-8?q?{NAME}?="])
        chars = text if rnd.random() < 0.5 else token
        return "".join(rnd.choice(chars) for _ in range(rnd.randrange(0, 10)))

    def params(main: str) -> str:
        out = main
        for _ in range(rnd.randrange(0, 4)):
            key = rnd.choice(["name", "filename", "Name", "FILENAME", "filename*", "name*0", "x"])
            quoted = rnd.random() < 0.6
            val = f'"{value()}"' if quoted else value()
            out += rnd.choice([";", "; ", ";\t", " ; ", ";;"]) + key + rnd.choice(["=", "=", " = "]) + val
        return out + rnd.choice(["", " ", ";"])

    lines = []
    for _ in range(rnd.randrange(1, 4)):
        kind = rnd.random()
        if kind < 0.45:
            lines.append(rnd.choice(["Content-Disposition: ", "content-disposition:"]) + params("form-data"))
        elif kind < 0.7:
            lines.append("Content-Type: " + params(rnd.choice(["application/x-gzip", "text/plain", "x"])))
        elif kind < 0.85:
            lines.append("Content-Transfer-Encoding: " + rnd.choice(["base64", "BASE64 ", "binary", value()]))
        else:
            lines.append(rnd.choice([" folded", "X-Y : z", "X-Other: " + value(), "X-Empty:"]))
    return "\r\n".join(lines).encode("utf-8")


def test_plain_header_lines_read_as_the_email_parser_reads_them():
    """The shortcut must give what the HTTP-policy parser gives, on every block it accepts."""
    rnd = random.Random(20261127)
    plain = 0
    for _ in range(3000):
        head = _random_head(rnd)
        fast = upload._plain_headers(head)
        if fast is None:
            continue
        plain += 1
        parsed = BytesHeaderParser(policy=policy.HTTP).parsebytes(head + b"\r\n\r\n")
        for headers in (fast, parsed):
            headers.read = (  # type: ignore[attr-defined]
                headers.get_param("name", header="content-disposition"),
                headers.get_filename(),
                str(headers.get("Content-Transfer-Encoding", "")).strip().lower(),
            )
        assert fast.read == parsed.read, head  # type: ignore[attr-defined]
    assert plain > 500  # the generator does reach the shortcut
