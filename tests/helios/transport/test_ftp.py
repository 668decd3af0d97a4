"""FtpDgfipClient against a real pyftpdlib server on loopback (plain FTP gateway and FTPS Passtrans)."""

import hashlib

import pytest

from bouquet.helios.transport import FtpDgfipClient, TransportError, client_from_url

from .servers import PASSWORD, USER, ftp_server

NAME = "PESALR2_123456789_260504_007.xml"


def _client(server, **options):
    return FtpDgfipClient(server.host, server.port, USER, PASSWORD, timeout=5, **options)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def ftp(tmp_path):
    with ftp_server(tmp_path / "dgfip") as server:
        yield server


def test_it_sends_the_three_site_commands_then_the_identical_bytes(ftp, pes_bytes, meta):
    _client(ftp).send(pes_bytes, remote_name=NAME, meta=meta)
    sites = [entry for entry in ftp.log if entry[0].startswith("SITE")]
    assert sites == [
        ("SITE P_DEST", "VHPCE11"),
        ("SITE P_APPLI", "GHELPES2"),
        ("SITE P_MSG", "PES#400#034000#01"),
    ]
    assert sorted(p.name for p in ftp.dir("entree").iterdir()) == [NAME]
    assert _sha256((ftp.dir("entree") / NAME).read_bytes()) == _sha256(pes_bytes)
    # The metadata preceded the upload, stored directly under its final name as S²LOW does.
    assert ftp.log[3:] == [("STOR", str(ftp.dir("entree").resolve() / NAME))]


def test_atomic_mode_uploads_under_a_hidden_name_then_renames(ftp, pes_bytes, meta):
    _client(ftp, atomic=True).send(pes_bytes, remote_name=NAME, meta=meta)
    assert ftp.log[-1][0] == "STOR" and ftp.log[-1][1].endswith(f"/.{NAME}.part")
    assert [p.name for p in ftp.dir("entree").iterdir()] == [NAME]
    assert (ftp.dir("entree") / NAME).read_bytes() == pes_bytes


def test_a_refused_site_parameter_is_permanent_and_nothing_is_stored(tmp_path, pes_bytes, meta):
    with ftp_server(tmp_path, refuse={"P_DEST": "500 P_DEST inconnu"}) as server:
        with pytest.raises(TransportError) as info:
            _client(server).send(pes_bytes, remote_name=NAME, meta=meta)
        assert info.value.permanent and "P_DEST" in info.value.message
        assert server.log == [("SITE P_DEST", "VHPCE11")]
        assert list(server.dir("entree").iterdir()) == []


def test_a_temporary_refusal_is_transient(tmp_path, pes_bytes, meta):
    with ftp_server(tmp_path, refuse={"P_MSG": "421 Service indisponible"}) as server:
        with pytest.raises(TransportError) as info:
            _client(server).send(pes_bytes, remote_name=NAME, meta=meta)
        assert not info.value.permanent
        assert list(server.dir("entree").iterdir()) == []


def test_a_reply_other_than_200_is_refused(tmp_path, pes_bytes, meta):
    with ftp_server(tmp_path, refuse={"P_APPLI": "250 Ok quand même"}) as server:
        with pytest.raises(TransportError) as info:
            _client(server).send(pes_bytes, remote_name=NAME, meta=meta)
        assert info.value.permanent
        assert list(server.dir("entree").iterdir()) == []


@pytest.mark.parametrize("atomic", [False, True])
def test_a_connection_dropped_during_stor_is_transient_and_leaves_no_partial_file(tmp_path, meta, atomic):
    data = b"<?xml version='1.0' encoding='ISO-8859-1'?>" + b"x" * (4 * 1024 * 1024)
    with ftp_server(tmp_path, drop_during_stor=True) as server:
        with pytest.raises(TransportError) as info:
            _client(server, atomic=atomic).send(data, remote_name=NAME, meta=meta)
        assert not info.value.permanent
        assert list(server.dir("entree").iterdir()) == []


def test_a_resend_after_success_is_not_stored_twice(ftp, pes_bytes, meta):
    client = _client(ftp)
    client.send(pes_bytes, remote_name=NAME, meta=meta)
    client.send(pes_bytes, remote_name=NAME, meta=meta)
    assert len([entry for entry in ftp.log if entry[0] == "STOR"]) == 1
    assert sorted(p.name for p in ftp.dir("entree").iterdir()) == [NAME]


def test_a_different_leftover_under_the_final_name_is_replaced(ftp, pes_bytes, meta):
    (ftp.dir("entree") / NAME).write_bytes(b"partial")
    _client(ftp).send(pes_bytes, remote_name=NAME, meta=meta)
    assert (ftp.dir("entree") / NAME).read_bytes() == pes_bytes


def test_login_failure_is_transient(ftp, pes_bytes, meta):
    client = FtpDgfipClient(ftp.host, ftp.port, USER, "wrong", timeout=5)
    with pytest.raises(TransportError) as info:
        client.send(pes_bytes, remote_name=NAME, meta=meta)
    assert not info.value.permanent


def test_an_unreachable_server_is_transient(pes_bytes, meta):
    with pytest.raises(TransportError) as info:
        FtpDgfipClient("127.0.0.1", 1, timeout=2).send(pes_bytes, remote_name=NAME, meta=meta)
    assert not info.value.permanent


def test_reception_lists_fetches_and_moves_only_when_told(ftp):
    acquit = b"<?xml version='1.0'?><acquit>\r\n\x00\xe9</acquit>"
    sortie = ftp.dir("sortie")
    (sortie / "ACQUIT_1.xml").write_bytes(acquit)
    (sortie / "RETOUR_2.xml").write_bytes(b"retour")
    (sortie / NAME).write_bytes(b"our own echo")
    (sortie / ".partial").write_bytes(b"being written")
    (sortie / "traites").mkdir()
    client = _client(ftp)

    assert client.list_incoming() == ["ACQUIT_1.xml", "RETOUR_2.xml"]
    assert _sha256(client.fetch("ACQUIT_1.xml")) == _sha256(acquit)
    assert client.list_incoming() == ["ACQUIT_1.xml", "RETOUR_2.xml"]  # fetching moves nothing

    client.mark_processed("ACQUIT_1.xml")
    client.mark_error("RETOUR_2.xml", "SIRET 12345678900035 inconnu")
    assert client.list_incoming() == []
    assert (sortie / "traites" / "ACQUIT_1.xml").read_bytes() == acquit
    assert (sortie / "erreurs" / "RETOUR_2.xml").read_bytes() == b"retour"
    assert (sortie / "erreurs" / "RETOUR_2.xml.erreur.txt").read_text() == "SIRET 12345678900035 inconnu"


def test_a_second_file_of_the_same_name_does_not_overwrite_the_first(ftp):
    client = _client(ftp)
    for content in (b"first", b"second"):
        (ftp.dir("sortie") / "ACQUIT.xml").write_bytes(content)
        client.mark_processed("ACQUIT.xml")
    traites = ftp.dir("sortie") / "traites"
    assert (traites / "ACQUIT.xml").read_bytes() == b"first"
    assert (traites / "ACQUIT.xml.1").read_bytes() == b"second"


def test_delete_mode_removes_handled_files(ftp):
    for name in ("ACQUIT.xml", "RETOUR.xml"):
        (ftp.dir("sortie") / name).write_bytes(b"a")
    client = client_from_url(ftp.url + "?delete=1", timeout=5)
    client.mark_processed("ACQUIT.xml")
    client.mark_error("RETOUR.xml", "inconnu")
    assert list(ftp.dir("sortie").iterdir()) == []


def test_processed_can_be_left_in_place(ftp):
    (ftp.dir("sortie") / "ACQUIT.xml").write_bytes(b"a")
    client = client_from_url(ftp.url + "?processed=", timeout=5)
    client.mark_processed("ACQUIT.xml")
    assert client.list_incoming() == ["ACQUIT.xml"]


def test_fetch_is_bounded_and_refuses_empty_files(ftp):
    (ftp.dir("sortie") / "big.xml").write_bytes(b"x" * 2048)
    (ftp.dir("sortie") / "empty.xml").write_bytes(b"")
    client = _client(ftp, max_fetch_size=1024)
    with pytest.raises(TransportError) as info:
        client.fetch("big.xml")
    assert info.value.permanent
    with pytest.raises(TransportError) as info:
        client.fetch("empty.xml")
    assert not info.value.permanent
    with pytest.raises(TransportError):
        client.fetch("../entree/x")
    with pytest.raises(TransportError) as info:
        client.fetch("absent.xml")
    assert not info.value.permanent


def test_passtrans_ftps_sends_site_meta_over_tls(tmp_path, pes_bytes, meta):
    from bouquet.pki.testing import demo_pki_for_tests

    pki = demo_pki_for_tests()
    with ftp_server(tmp_path, certfile=str(pki.server_cert), keyfile=str(pki.server_key)) as server:
        client = client_from_url(server.url, timeout=5, cafile=str(pki.root_cert))
        assert client.tls and client.site_meta
        client.send(pes_bytes, remote_name=NAME, meta=meta)
        assert server.log[0] == ("SITE META", "P_DEST=VHPCE11;P_APPLI=GHELPES2;P_MSG=PES#400#034000#01")
        assert (server.dir("entree") / NAME).read_bytes() == pes_bytes
        (server.dir("sortie") / "ACQUIT.xml").write_bytes(b"acquit")
        assert client.fetch("ACQUIT.xml") == b"acquit"
        # A server the CA does not vouch for is not trusted.
        untrusted = client_from_url(server.url, timeout=5, cafile=str(pki.unknown_ca_cert))
        with pytest.raises(TransportError) as info:
            untrusted.list_incoming()
        assert not info.value.permanent
