"""Building the transports from settings and URLs."""

import pytest

from bouquet.actes.transport import (
    HttpsMinistryClient,
    ImapInbox,
    MaildirInbox,
    from_settings,
    inbox_from_url,
)


def test_it_builds_the_defaults(settings, tmp_path):
    settings.MINISTRY_ACTES_URL = "https://127.0.0.1:8444/actes/upload"
    settings.ACTES_INBOX_URL = f"maildir://{tmp_path / 'inbox'}"
    settings.ACTES_WINDOW_BYTES_PER_HOUR = 0
    settings.MINISTRY_CLIENT_CERT = settings.MINISTRY_CLIENT_KEY = settings.MINISTRY_SERVER_CERT = ""
    transports = from_settings()
    assert isinstance(transports.client, HttpsMinistryClient)
    assert transports.client.connect_timeout == 60 and transports.client.total_timeout == 180
    assert isinstance(transports.inbox, MaildirInbox) and transports.inbox.path == tmp_path / "inbox"
    assert transports.window.unlimited
    assert transports.tdt_mail_address == settings.ACTES_TDT_MAIL_ADDRESS


def test_it_builds_a_pinned_client_with_a_certificate(settings, pki):
    user = pki.users["valid_rgs"]
    settings.MINISTRY_CLIENT_CERT, settings.MINISTRY_CLIENT_KEY = str(user.cert), str(user.key)
    settings.MINISTRY_SERVER_CERT = str(pki.server_cert)
    client = from_settings().client
    assert client.pin is not None and client.context.check_hostname is False


def test_the_default_inbox_is_a_maildir_under_var():
    from django.conf import settings

    assert settings.ACTES_INBOX_URL.startswith("maildir:///")
    assert settings.ACTES_INBOX_URL.endswith("/mail/actes-inbox")


def test_the_embedded_default_talks_to_the_simulator_with_the_demo_pki():
    from django.conf import settings

    assert settings.MINISTRY_CLIENT_CERT.endswith("/pki/demo/platform.pem")
    assert settings.MINISTRY_CLIENT_KEY.endswith("/pki/demo/platform.key")
    assert settings.MINISTRY_SERVER_CERT.endswith("/pki/demo/server.pem")


def test_imap_urls():
    inbox = inbox_from_url("imap://actes%40tdt:p%C3%A0ss@mail.test:1143/Ministere?starttls=1&errors=Rejets")
    assert isinstance(inbox, ImapInbox)
    assert (inbox.host, inbox.port, inbox.user, inbox.password) == ("mail.test", 1143, "actes@tdt", "pàss")
    assert (inbox.folder, inbox.processed, inbox.errors) == ("Ministere", "Traites", "Rejets")
    assert inbox.starttls and not inbox.use_ssl
    secure = inbox_from_url("imaps://u:p@mail.test")
    assert secure.use_ssl and secure.port == 993 and secure.folder == "INBOX"


@pytest.mark.parametrize("url", ["ftp://x/", "maildir://", "imap:///INBOX"])
def test_unsupported_urls(url):
    with pytest.raises(ValueError):
        inbox_from_url(url)
