"""The routing SITE commands of the DGFiP gateway: 200 when accepted, 5xx otherwise."""

import ftplib
import io

import pytest

from .conftest import Harness


def test_routing_site_commands_answer_200(dgfip: Harness) -> None:
    ftp = dgfip.connect()
    assert ftp.sendcmd("SITE P_DEST VHPCE11").startswith("200")
    assert ftp.sendcmd("SITE P_APPLI GHELPES2").startswith("200")
    assert ftp.sendcmd("site P_MSG PES#123#034000#12").startswith("200")  # S²LOW writes it lower-case
    assert ftp.sendcmd("SITE META P_DEST=VHPCE11;P_APPLI=GHELPES2;P_MSG=PES#123#034000#12").startswith("200")
    ftp.quit()


@pytest.mark.parametrize(
    ("command", "code"),
    [
        ("SITE P_UNKNOWN x", "500"),
        ("SITE P_APPLI THELPES2", "501"),
        ("SITE P_MSG PES#123#034000", "501"),
        ("SITE P_MSG ACT#123#034000#12#", "501"),
        ("SITE META P_DEST=VHPCE11;P_APPLI=GHELPES2", "501"),
        ("SITE META P_DEST=VHPCE11;P_APPLI=GHELPES2;P_MSG=PES#1#2#3;X=1", "501"),
    ],
)
def test_bad_site_commands_are_refused(dgfip: Harness, command: str, code: str) -> None:
    ftp = dgfip.connect()
    with pytest.raises(ftplib.error_perm, match=f"^{code}"):
        ftp.sendcmd(command)
    ftp.quit()


def test_site_needs_login(dgfip: Harness) -> None:
    ftp = ftplib.FTP()
    ftp.connect(dgfip.host, dgfip.port, timeout=10)
    with pytest.raises(ftplib.error_perm, match="^530"):
        ftp.sendcmd("SITE P_DEST VHPCE11")
    ftp.close()


def test_uploads_only_in_entree(dgfip: Harness) -> None:
    ftp = dgfip.connect()
    with pytest.raises(ftplib.error_perm, match="^550"):
        ftp.storbinary("STOR /sortie/x.xml", io.BytesIO(b"x"))
    with pytest.raises(ftplib.error_perm, match="^550"):
        ftp.storbinary("STOR /x.xml", io.BytesIO(b"x"))
    ftp.quit()
