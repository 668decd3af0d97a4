"""Uploads as S²LOW sends them: TLS with client certificate, checks, and the answers by mail."""

import datetime as dt
import re
import socket
import ssl

import pytest
import requests

from bouquet.actes.protocol import parse_message
from bouquet.actes.protocol.messages import ARActe, EnveloppeMISILLCL
from tests.simulators.ministry.support import (
    DECISION,
    PDF,
    SIREN,
    TDT_ADDRESS,
    UNREGISTERED,
    act,
    act_archive,
    attachments,
    mails,
    post,
    raw_archive,
    unvalidated,
    wait_for,
    wait_mails,
)


def test_valid_act_is_acknowledged_by_mail(simulator, client_cert, pki):
    archive = act_archive()
    response = post(simulator, archive.name, archive.data, cert=client_cert, pki=pki)
    assert response.status_code == 200

    [mail] = wait_mails(simulator.maildir, 1)
    assert mail["To"] == TDT_ADDRESS
    assert re.fullmatch(r"<[^@>]+@[^>]+>", mail["Message-ID"])
    files = attachments(mail)
    today = f"{dt.date.today():%Y%m%d}"
    envelope_name = f"TACT--SPREF0011-{SIREN}-{today}-1.xml"
    ar_name = f"034-{SIREN}-{DECISION:%Y%m%d}-D2025_001-DE-1-2_0.xml"
    assert set(files) == {envelope_name, ar_name}
    envelope = parse_message(files[envelope_name])
    assert envelope.schema_valid and isinstance(envelope.message, EnveloppeMISILLCL)
    assert envelope.message.destinataire_siren == SIREN
    assert [f.nom_fichier for f in envelope.message.formulaires] == [ar_name]
    ar = parse_message(files[ar_name])
    assert ar.schema_valid and ar.code == "1-2"
    assert isinstance(ar.message, ARActe)
    assert ar.message.id_acte == f"034-{SIREN}-20250314-D2025_001-DE"
    assert ar.message.date_reception == dt.date.today()
    assert ar.message.acte_recu == act()[1]
    wait_for(lambda: simulator.sim.state.act(ar.message.id_acte)["status"] == "acquitté")


def test_unregistered_siren_gives_an_envelope_anomaly(simulator, client_cert, pki):
    archive = act_archive(siren=UNREGISTERED)
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    [mail] = wait_mails(simulator.maildir, 1)
    envelope_name = archive.members[0]
    files = attachments(mail)
    assert list(files) == [f"ANO_{envelope_name}"]
    anomaly = parse_message(files[f"ANO_{envelope_name}"])
    assert anomaly.schema_valid and anomaly.root == "AnomalieEnveloppe"
    assert anomaly.message.nature == "005"
    assert "PREF-VERIF-02" in anomaly.message.detail and archive.name in anomaly.message.detail
    assert anomaly.message.enveloppe_recue.idcl.siren == UNREGISTERED


def test_schema_invalid_act_gives_an_act_anomaly(simulator, client_cert, pki):
    name, acte, document = act(objet="x" * 600)
    archive = raw_archive([(str(name), unvalidated(acte))], [(document, PDF.read_bytes())])
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    [mail] = wait_mails(simulator.maildir, 1)
    files = attachments(mail)
    anomaly = parse_message(files[str(name).replace("-1-1_0", "-1-3_0")])
    assert anomaly.code == "1-3"
    assert anomaly.message.nature == "001"
    assert "schéma" in anomaly.message.detail


def test_missing_document_gives_an_act_anomaly(simulator, client_cert, pki):
    name, acte, _document = act()
    archive = raw_archive([(str(name), unvalidated(acte))], [])
    assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    anomaly = parse_message(
        next(v for k, v in attachments(wait_mails(simulator.maildir, 1)[0]).items() if "-1-3_" in k)
    )
    assert anomaly.schema_valid and anomaly.message.nature == "003"


def test_no_client_certificate_is_refused(simulator, pki):
    archive = act_archive()
    with pytest.raises(requests.exceptions.ConnectionError):
        post(simulator, archive.name, archive.data, cert=None, pki=pki)
    assert mails(simulator.maildir) == []


def test_client_certificate_from_an_unknown_ca_is_refused(simulator, pki):
    archive = act_archive()
    stranger = pki.users["unknown_ca"]
    with pytest.raises(requests.exceptions.ConnectionError):
        post(simulator, archive.name, archive.data, cert=(str(stranger.cert), str(stranger.key)), pki=pki)
    assert simulator.sim.state.rows("SELECT * FROM archives") == []


def test_same_archive_twice_is_answered_once(simulator, client_cert, pki):
    archive = act_archive()
    for _ in range(2):
        assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    state = simulator.sim.state
    wait_for(lambda: (state.row("SELECT times FROM archives") or {}).get("times") == 2)
    assert len(mails(simulator.maildir)) == 1


def test_same_name_with_another_content_is_a_duplicate_envelope(simulator, client_cert, pki):
    first, second = act_archive("D2025_001"), act_archive("D2025_002")
    assert first.name == second.name
    assert post(simulator, first.name, first.data, cert=client_cert, pki=pki).status_code == 200
    assert post(simulator, second.name, second.data, cert=client_cert, pki=pki).status_code == 200
    found = {k: v for m in wait_mails(simulator.maildir, 2) for k, v in attachments(m).items()}
    anomaly = parse_message(found[f"ANO_{second.members[0]}"])
    assert anomaly.message.nature == "004"


def test_same_act_in_a_new_envelope_is_an_anomaly(simulator, client_cert, pki):
    for serial in (1, 2):
        archive = act_archive(serial=serial)
        assert post(simulator, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
        wait_mails(simulator.maildir, serial)
    found = [
        parse_message(v) for m in mails(simulator.maildir) for k, v in attachments(m).items() if "-1-3_" in k
    ]
    assert [p.message.nature for p in found] == ["006"]


@pytest.mark.parametrize(
    ("files", "data"),
    [
        ({"pas-une-archive.tar.gz": b"x"}, None),
        ({"BQT-EACT--214502494--20250314-1.tar.gz": b""}, None),
        (None, b"archive=brute"),
    ],
)
def test_invalid_uploads_get_400(simulator, client_cert, pki, files, data):
    response = requests.post(
        f"https://127.0.0.1:{simulator.port}/actes/upload", files=files, data=data, cert=client_cert,
        verify=str(pki.ca_chain), timeout=10,
    )  # fmt: skip
    assert response.status_code == 400
    assert "refusé" in response.text


def raw_answer(simulator, pki, client_cert, request: bytes) -> bytes:
    """Everything the simulator writes back on one TLS connection until it closes it."""
    context = ssl.create_default_context(cafile=str(pki.ca_chain))
    context.load_cert_chain(*client_cert)
    raw = socket.create_connection(("127.0.0.1", simulator.port), timeout=5)
    with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(request)
        answer = b""
        while chunk := tls.recv(65536):  # a TimeoutError if the connection stays open
            answer += chunk
    return answer


@pytest.mark.parametrize(
    "headers",
    [b"Content-Length: abc", b"Content-Length: 3\r\nContent-Length: 4", b"Transfer-Encoding: chunked"],
)
def test_an_unreadable_length_gets_400_and_the_connection_closed(simulator, client_cert, pki, headers):
    # The body is not read: the server cannot tell the next request from it, so it closes.
    request = (
        b"POST /actes/upload HTTP/1.1\r\nHost: ministere\r\n" + headers + b"\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
    )
    answer = raw_answer(simulator, client_cert=client_cert, pki=pki, request=request)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"Connection: close" in head and f"Content-Length: {len(body)}".encode() in head
    assert "refusé" in body.decode()


def test_a_refused_upload_keeps_the_connection_for_the_next_one(simulator, client_cert, pki):
    archive = act_archive()
    with requests.Session() as session:
        options = {"cert": client_cert, "verify": str(pki.ca_chain), "timeout": 10}
        url = f"https://127.0.0.1:{simulator.port}/actes/upload"
        assert session.post(url, files={"pas-une-archive.tar.gz": b"x"}, **options).status_code == 400
        assert session.post(url, files={archive.name: archive.data}, **options).status_code == 200
    assert simulator.sim.server.connections == 1
    wait_mails(simulator.maildir, 1)
