"""Shared fixtures: the demo PKI for TLS, a real Dovecot, and sample ministry mails."""

from email.message import EmailMessage

import pytest

from bouquet.pki.testing import demo_pki_for_tests
from tests.conftest import require_tool
from tests.servers.dovecot import Dovecot

ENVELOPE_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<actes:EnveloppeMISILLCL xmlns:actes="http://www.interieur.'
    "gouv.fr/ACTES#v1.1-20040216\">préfecture de la Côte-d'Or</actes:EnveloppeMISILLCL>\n"
).encode()


def ministry_mail(
    *,
    message_id: str | None = "<ar-1@ministere.test>",
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> bytes:
    """A mail as the ministry sends them: an HTML body and loose files attached."""
    mail = EmailMessage()
    mail["From"] = "actes@interieur.gouv.fr"
    mail["To"] = "actes@bouquet.localhost"
    mail["Subject"] = "Accusé de réception"
    if message_id:
        mail["Message-ID"] = message_id
    mail.set_content("<html><body>Message @ctes</body></html>", subtype="html")
    for name, content, mime in attachments or []:
        maintype, subtype = mime.split("/")
        mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return mail.as_bytes()


@pytest.fixture(scope="session")
def pki():
    return demo_pki_for_tests()


@pytest.fixture
def dovecot():
    require_tool("dovecot")
    with Dovecot() as server:
        yield server
