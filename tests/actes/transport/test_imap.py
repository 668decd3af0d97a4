"""The IMAP inbox against a real Dovecot: nothing moves before it is marked, nothing is lost on a crash."""

import hashlib

import pytest

from bouquet.actes.transport import ImapInbox, TransportError, extract_attachments

from .conftest import ENVELOPE_XML, ministry_mail

WITH_FILES = ministry_mail(
    message_id="<ar-1@ministere.test>",
    attachments=[
        ("034-000000000-20170701-20170721D-AI-1-2_0.xml", ENVELOPE_XML, "application/xml"),
        ("034-000000000-20170701-20170721D-AI-1-2_1.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    ],
)
WITHOUT_ID = ministry_mail(message_id=None)
TRAVERSAL = ministry_mail(
    message_id="<evil@ministere.test>", attachments=[("../../x.xml", b"<x/>", "text/xml")]
)


def inbox_for(server) -> ImapInbox:
    return ImapInbox("127.0.0.1", server.port, server.user, server.password, timeout=5)


@pytest.fixture
def loaded(dovecot):
    for raw in (WITH_FILES, WITHOUT_ID, TRAVERSAL):
        dovecot.append(raw)
    return dovecot


def test_it_fetches_every_mail_without_moving_or_flagging_them(loaded):
    mails = list(inbox_for(loaded).fetch())
    assert [m.raw.replace(b"\r\n", b"\n") for m in mails] == [
        r.replace(b"\r\n", b"\n") for r in (WITH_FILES, WITHOUT_ID, TRAVERSAL)
    ]
    assert mails[0].key == "<ar-1@ministere.test>"
    assert mails[1].key == f"sha256:{mails[1].sha256}" == f"sha256:{hashlib.sha256(mails[1].raw).hexdigest()}"
    assert len(extract_attachments(mails[0].raw)) == 2
    assert len(loaded.messages("INBOX")) == 3
    with loaded.connect() as conn:
        conn.select("INBOX", readonly=True)
        assert conn.uid("SEARCH", "UNSEEN")[1][0].split() == conn.uid("SEARCH", "ALL")[1][0].split()


def test_it_moves_exactly_the_marked_mails(loaded):
    inbox = inbox_for(loaded)
    first, second, third = inbox.fetch()  # marking while the fetch connection is open
    inbox.mark_processed(first)
    assert len(loaded.messages("INBOX")) == 2
    assert loaded.messages("Traites") == [first.raw]
    inbox.mark_error(third, "Nom de pièce jointe remontant l'arborescence refusé")
    assert loaded.messages("Erreurs") == [third.raw]
    assert [m.key for m in inbox.fetch()] == [second.key]


def test_it_marks_after_the_fetch_is_over_on_a_new_connection(loaded):
    inbox = inbox_for(loaded)
    mails = list(inbox.fetch())
    inbox.mark_processed(mails[1])
    inbox.close()
    inbox.mark_processed(mails[2])
    assert [m.key for m in inbox_for(loaded).fetch()] == [mails[0].key]
    assert len(loaded.messages("Traites")) == 2


def test_it_falls_back_to_copy_and_expunge_without_move(loaded, monkeypatch):
    inbox = inbox_for(loaded)
    monkeypatch.setattr(ImapInbox, "_capabilities", staticmethod(lambda conn: {"IMAP4REV1"}))
    mails = list(inbox.fetch())
    inbox.mark_processed(mails[0])
    assert [m.key for m in inbox_for(loaded).fetch()] == [m.key for m in mails[1:]]
    assert loaded.messages("Traites") == [mails[0].raw]


def test_a_crash_mid_fetch_loses_nothing(loaded):
    inbox = inbox_for(loaded)
    fetching = inbox.fetch()
    first = next(fetching)
    inbox.mark_processed(first)
    next(fetching)  # read, but its effect was never committed
    loaded.kill()
    with pytest.raises(TransportError) as raised:
        next(fetching)
    assert raised.value.permanent is False
    with pytest.raises(TransportError):
        list(inbox.fetch())  # server still down
    loaded.start()
    assert [m.raw for m in inbox.fetch()] == loaded.messages("INBOX")
    assert [m.key for m in inbox.fetch()][0] == f"sha256:{hashlib.sha256(loaded.messages()[0]).hexdigest()}"
    assert len(loaded.messages("INBOX")) == 2 and len(loaded.messages("Traites")) == 1


def test_a_crash_between_fetch_and_mark_leaves_the_mail_in_place(loaded):
    inbox = inbox_for(loaded)
    mails = list(inbox.fetch())
    loaded.kill()
    with pytest.raises(TransportError):
        inbox.mark_processed(mails[0])
    loaded.start()
    assert len(list(inbox_for(loaded).fetch())) == 3


def test_a_wrong_password_is_a_transport_error(dovecot):
    inbox = ImapInbox("127.0.0.1", dovecot.port, dovecot.user, "mauvais", timeout=5)
    with pytest.raises(TransportError):
        list(inbox.fetch())


def test_an_empty_inbox_yields_nothing(dovecot):
    assert list(inbox_for(dovecot).fetch()) == []


def test_folder_names_are_checked():
    with pytest.raises(ValueError):
        ImapInbox("127.0.0.1", 143, "u", "p", processed='Trait"es')
