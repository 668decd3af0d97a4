from datetime import date

import pytest

from bouquet.helios.pes import read_pes
from bouquet.helios.transport import (
    DgfipClient,
    FtpDgfipClient,
    OutgoingName,
    PesMetadata,
    TransportError,
    backoff_delay,
    check_remote_name,
    outgoing_name,
    parse_outgoing_name,
)

from .conftest import S2LOW


def test_p_msg_is_pes_codcol_idpost_codbud(meta):
    assert meta.p_msg == "PES#400#034000#01"
    assert meta.p_appli == "GHELPES2"
    assert meta.site_commands() == [
        "SITE P_DEST VHPCE11",
        "SITE P_APPLI GHELPES2",
        "SITE P_MSG PES#400#034000#01",
    ]
    assert meta.meta_command() == "SITE META P_DEST=VHPCE11;P_APPLI=GHELPES2;P_MSG=PES#400#034000#01"


def test_sftp_name_carries_the_metadata(meta):
    sha1 = "a" * 40
    assert meta.sftp_name(sha1) == f"VHPCE11%%GHELPES2%%PES#400#034000#01%%{sha1}"
    with pytest.raises(ValueError):
        meta.sftp_name("not-a-sha1")


def test_metadata_from_the_pes_header():
    doc = read_pes(S2LOW / "pes_aller.xml")
    assert PesMetadata.from_header(doc.header, p_dest="VHPCE11").p_msg == "PES#400#034000#01"


def test_acquit_retour_uses_codcoll():
    doc = read_pes(S2LOW / "PES_ACQUIT_RETOUR.xml")
    meta = PesMetadata.from_header(doc.header, p_dest="VHPCE11", p_appli="THELPES2")
    assert meta.p_msg.startswith("PES#007#123456#")


@pytest.mark.parametrize("bad", ["", "VHPCE11\r\nDELE x", "a b", "x/y", "a#b", "a;b", "a%%b"])
def test_metadata_refuses_values_that_could_inject(bad):
    with pytest.raises(ValueError):
        PesMetadata(p_dest=bad, cod_col="400", id_post="034000", cod_bud="01")


def test_missing_header_value_is_refused():
    doc = read_pes(S2LOW / "pes_aller.xml")
    with pytest.raises(ValueError, match="cod_bud"):
        PesMetadata.from_header(doc.header.__class__(cod_col="400", id_post="034000"), p_dest="VHPCE11")
    assert doc.header.cod_bud == "01"


@pytest.mark.parametrize(
    ("counter", "name"),
    [(7, "PESALR2_123456789_260504_007.xml"), (999, "PESALR2_123456789_260504_999.xml"),
     (1000, "PESALR2_123456789_260504_1000.xml")],
)  # fmt: skip
def test_outgoing_name_counter_has_at_least_three_digits(counter, name):
    assert outgoing_name("123456789", date(2026, 5, 4), counter) == name
    assert parse_outgoing_name(name) == OutgoingName("123456789", date(2026, 5, 4), counter)


@pytest.mark.parametrize(
    "name",
    ["PESALR2_12345678_260504_007.xml", "PESALR2_123456789_260230_007.xml", "PESALR2_123456789_260504_07.xml",
     "ACQUIT_PESALR2_123456789_260504_007.xml", "PESALR2_123456789_260504_007"],
)  # fmt: skip
def test_parse_outgoing_name_rejects_others(name):
    assert parse_outgoing_name(name) is None


def test_outgoing_name_checks_siren():
    with pytest.raises(ValueError):
        outgoing_name("12345678", date(2026, 5, 4), 1)


@pytest.mark.parametrize(("attempt", "delay"), [(0, 0), (1, 60), (2, 120), (3, 240), (7, 3600), (500, 3600)])
def test_backoff_doubles_and_is_capped(attempt, delay):
    assert backoff_delay(attempt) == delay


@pytest.mark.parametrize("name", ["", ".", "..", "../x", "a/b", "a\\b", "a\nb"])
def test_remote_names_cannot_escape_their_directory(name):
    with pytest.raises(TransportError) as info:
        check_remote_name(name)
    assert info.value.permanent


def test_ftp_client_satisfies_the_protocol():
    assert isinstance(FtpDgfipClient("127.0.0.1"), DgfipClient)
