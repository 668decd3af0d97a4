"""Replay, byte for byte, the 50 requests Pastell 4.0.x's S²LOW connector sent (both multipart
dialects, leftover bodies, Basic auth) and compare each answer with what S²LOW would send.
"""

import base64
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.models import Classification, Transaction, TransactionFile
from bouquet.actes.pdf import stamped_file
from bouquet.s2low_api.files import message_xml
from tests.s2low_api.conftest import (
    ANNEX,
    AR_ACTES,
    ERROR_TEXT,
    PDF,
    PES_ACQUIT,
    PES_RETOUR,
    cert_header,
)

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "s2low-client" / "pastell-4.0-wire.jsonl"
RECORDS = [json.loads(line) for line in WIRE.read_text().splitlines() if line.strip()]


def replay(record: dict):
    """The recorded request through Django's test client: same method, path, headers and body."""
    from django.test import Client

    headers = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_SSL_CLIENT_CERT": cert_header("valid_rgs")}
    content_type = "application/octet-stream"
    for name, value in record["headers"].items():
        if name == "Content-Type":
            content_type = value
        elif name != "Content-Length":  # recomputed from the body, as a server sees it
            headers["HTTP_" + name.upper().replace("-", "_")] = value
    path = record["path"] + (f"?{record['query']}" if record["query"] else "")
    body = base64.b64decode(record["body_b64"])
    return Client().generic(record["method"], path, data=body, content_type=content_type, **headers)


def php_json(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/").encode()


def latest(**lookup) -> Transaction:
    return Transaction.objects.filter(**lookup).order_by("-id").first()


def expected(world, record: dict, response) -> bytes:
    """What S²LOW answers to ``record`` (spec s2low-api.md §3), given the world's fixtures."""
    path, query = record["path"], record["query"]
    name = path.rsplit("/", 1)[-1]
    if name == "api-list-login.php":
        return b"login1\n"
    if name == "test-connexion.php":
        return b"OK"
    if name == "actes_classification_fetch.php":
        return bytes(Classification.current_for(world.authority).raw) + b"\r\n"
    if name == "actes_classification_request.php":
        return f"OK\n{latest(type=TransactionType.CLASSIFICATION).pk}\n".encode()
    if name == "actes_transac_create.php":
        act = latest(type=TransactionType.ACTE, number="201903251130")
        return f"OK\n{act.pk}\n\n".encode()
    if name == "actes_transac_get_status.php":
        return {
            "transaction=666": b"OK\n4\n" + AR_ACTES,
            "transaction=999": b"OK\n-1\n" + ERROR_TEXT.encode("iso-8859-1"),
            "transaction=5": b"OK\n3\n",
        }[query]
    if name == "actes_create_pdf.php":
        # The bordereau carries its generation time: check it is the PDF slip, not its exact bytes.
        assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
        return response.content
    if name == "actes_download_file.php":
        file = TransactionFile.objects.get(pk=int(re.search(r"file=(\d+)", query)[1]))
        display = re.search(r"date_affichage=([\d-]+)", query)
        published = dt.date.fromisoformat(display[1]) if display else None
        return stamped_file(file, published_at=published).pdf
    if name == "actes_transac_get_files_list.php":
        xml_name, xml = message_xml(world.act)
        base = "034-491011698-20171207-CL20171227_06-DE-1-1"
        return php_json(
            [
                {
                    "id": "",
                    "name": xml_name,
                    "posted_filename": "",
                    "mimetype": "text/xml",
                    "size": str(len(xml)),
                    "sign": "",
                    "code_pj": "",
                },
                {
                    "id": "3968",
                    "name": f"99_DE-{base}_1.pdf",
                    "posted_filename": "mon acte __.pdf",
                    "mimetype": "application/pdf",
                    "size": str(len(PDF)),
                    "sign": "",
                    "code_pj": "99_DE",
                },
                {
                    "id": "3969",
                    "name": f"99_AU-{base}_2.pdf",
                    "posted_filename": "annexe_2.pdf",
                    "mimetype": "application/pdf",
                    "size": str(len(ANNEX)),
                    "sign": "",
                    "code_pj": "99_AU",
                },
            ]
        )
    if name == "actes_transac_cancel.php":
        return f"OK\n{latest(type=TransactionType.ANNULATION, related=world.act).pk}\n".encode()
    if name == "actes_transac_get_document.php":
        return {"id=666": b"3-7-3268\n", "id=3268": b""}[query]
    if name == "actes_transac_reponse_create.php":
        return f"OK\n{latest(related=world.letter, response_kind=4).pk}\n".encode()
    if name == "helios_importer_fichier.php":
        # The recorded client posted Pastell's PES_ACQUIT fixture as its "PES aller": S²LOW would take it
        # and fail later; Bouquet checks everything at intake and says why at once, in S²LOW's shape.
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<import><id></id><resultat>KO</resultat>'
            "<message>Un PES_ACQUIT ne peut pas être transmis à Hélios.</message></import>\n"
        ).encode()
    if name == "helios_transac_get_status.php":
        message = world.helios.history.order_by("-at", "-id").first().message
        return (
            '<?xml version="1.0" encoding="ISO-8859-1"?>\n<transaction><id>1234</id><resultat>OK</resultat>'
            f"<message>{message}</message><status>8</status></transaction>\n"
        ).encode("iso-8859-1")
    if name == "helios_download_acquit.php":
        return PES_ACQUIT
    if name == "helios_get_retour.php":
        return PES_RETOUR
    raise AssertionError(f"no expectation for {path}")


def params():
    for index, record in enumerate(RECORDS):
        yield pytest.param(record, id=f"{index:02d}-{record['method']}-{record['path'].rsplit('/', 1)[-1]}")


@pytest.mark.parametrize("record", list(params()))
def test_pastell_request_gets_s2low_answer(world, record):
    response = replay(record)
    if record["path"].startswith("/nope/"):
        assert response.status_code == 404  # the client's "404 Not Found" error path
        return
    if record["path"].endswith("get-nounce.php"):
        assert re.fullmatch(rb'\{"nounce":"[0-9a-f]{40}"\}', response.content), response.content
        return
    if record["query"] == "id=3268":
        assert response.status_code == 302
        assert response["Location"] == "actes_download_file.php?env=3268"
        return
    assert response.status_code == 200
    assert response.content == expected(world, record, response)


@pytest.mark.parametrize("index", [7, 10])
def test_both_multipart_dialects_create_the_same_act(world, index):
    """Record 7 is the hand-built dialect (unquoted ``name=type_pj[]``, two annexes), 10 libcurl's."""
    assert replay(RECORDS[index]).content.startswith(b"OK\n")
    act = latest(type=TransactionType.ACTE, number="201903251130")
    assert (act.nature, act.classification, act.subject) == (3, "2.1", "Objet accentué é")
    assert act.status == Status.POSTE and act.created_by == world.alice
    files = list(act.files.order_by("position"))
    assert [f.original_name for f in files][:2] == ["mon acte __.pdf", "annexe 1.pdf"]
    assert [f.typology for f in files][:2] == ["99_AI", "41_NC"]
    assert len(files) == (3 if index == 7 else 2)
    if index == 7:
        assert (files[2].original_name, files[2].typology) == ("annexe_2.pdf", "99_AU")
