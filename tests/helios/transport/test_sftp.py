"""SftpDgfipClient (Passtrans SFTP) against a paramiko SFTP server on loopback."""

import hashlib

import paramiko
import pytest

from bouquet.helios.transport import DgfipClient, TransportError, client_from_url
from bouquet.helios.transport.sftp import SftpDgfipClient, parse_host_key

from .sftp_server import sftp_server

NAME = "PESALR2_123456789_260504_007.xml"


@pytest.fixture
def sftp(tmp_path):
    with sftp_server(tmp_path / "passtrans") as server:
        yield server


@pytest.fixture
def client(sftp):
    return client_from_url(sftp.url, host_key=sftp.host_key, timeout=5)


def test_it_deposits_the_identical_bytes_under_the_metadata_name(sftp, client, pes_bytes, meta):
    assert isinstance(client, SftpDgfipClient) and isinstance(client, DgfipClient)
    client.send(pes_bytes, remote_name=NAME, meta=meta)
    sha1 = hashlib.sha1(pes_bytes).hexdigest()
    expected = f"VHPCE11%%GHELPES2%%PES#400#034000#01%%{sha1}"
    assert [p.name for p in sftp.dir("entree").iterdir()] == [expected]
    stored = (sftp.dir("entree") / expected).read_bytes()
    assert hashlib.sha256(stored).digest() == hashlib.sha256(pes_bytes).digest()


def test_a_resend_is_not_stored_twice(sftp, client, pes_bytes, meta):
    client.send(pes_bytes, remote_name=NAME, meta=meta)
    (stored,) = sftp.dir("entree").iterdir()
    before = stored.stat().st_mtime_ns
    client.send(pes_bytes, remote_name=NAME, meta=meta)
    assert [p.name for p in sftp.dir("entree").iterdir()] == [stored.name]
    assert stored.stat().st_mtime_ns == before


def test_reception_lists_fetches_and_moves_only_when_told(sftp, client):
    sortie = sftp.dir("sortie")
    (sortie / "ACQUIT_1.xml").write_bytes(b"\x00acquit\r\n")
    (sortie / "RETOUR_2.xml").write_bytes(b"retour")
    (sortie / NAME).write_bytes(b"echo")
    (sortie / "traites").mkdir()
    assert client.list_incoming() == ["ACQUIT_1.xml", "RETOUR_2.xml"]
    assert client.fetch("ACQUIT_1.xml") == b"\x00acquit\r\n"
    client.mark_processed("ACQUIT_1.xml")
    client.mark_error("RETOUR_2.xml", "SIRET inconnu")
    assert client.list_incoming() == []
    assert (sortie / "traites" / "ACQUIT_1.xml").read_bytes() == b"\x00acquit\r\n"
    assert (sortie / "erreurs" / "RETOUR_2.xml.erreur.txt").read_text() == "SIRET inconnu"


def test_fetch_is_bounded(sftp):
    (sftp.dir("sortie") / "big.xml").write_bytes(b"x" * 2048)
    client = SftpDgfipClient(
        sftp.host, sftp.port, "bouquet", "s3cr3t", host_key=sftp.host_key, timeout=5, max_fetch_size=1024
    )
    with pytest.raises(TransportError) as info:
        client.fetch("big.xml")
    assert info.value.permanent


def test_an_unexpected_host_key_is_refused(sftp, pes_bytes, meta):
    other = paramiko.ECDSAKey.generate()
    client = client_from_url(sftp.url, host_key=f"{other.get_name()} {other.get_base64()}", timeout=5)
    with pytest.raises(TransportError) as info:
        client.send(pes_bytes, remote_name=NAME, meta=meta)
    assert not info.value.permanent
    assert list(sftp.dir("entree").iterdir()) == []


def test_a_wrong_password_is_transient(sftp):
    client = SftpDgfipClient(sftp.host, sftp.port, "bouquet", "wrong", host_key=sftp.host_key, timeout=5)
    with pytest.raises(TransportError) as info:
        client.list_incoming()
    assert not info.value.permanent


def test_host_key_is_required_and_parsed():
    with pytest.raises(ValueError):
        parse_host_key("ssh-ed25519 not-base64!")
    with pytest.raises(ValueError):
        client_from_url("sftp://u:p@127.0.0.1/", host_key="")
