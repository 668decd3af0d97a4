"""Delivery over SMTP, against a minimal stdlib SMTP sink (``smtpd`` is gone since Python 3.12)."""

import email
import socketserver
import threading
from email.policy import default

import pytest

from bouquet.actes.protocol import parse_message
from bouquet.simulators.ministry.delivery import Attachment, Mailer, build_mail
from tests.simulators.ministry.support import act_archive, post, wait_for


class _SmtpHandler(socketserver.StreamRequestHandler):
    """EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT: enough for smtplib."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 puits SMTP de test")
        envelope: dict = {"rcpt": []}
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.reply("250 puits")
            elif verb == b"MAIL":
                envelope = {"from": line[10:].strip().decode(), "rcpt": []}
                self.reply("250 ok")
            elif verb == b"RCPT":
                envelope["rcpt"].append(line[8:].strip().decode())
                self.reply("250 ok")
            elif verb == b"DATA":
                self.reply("354 fin par <CRLF>.<CRLF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.received.append((envelope, b"".join(lines)))  # type: ignore[attr-defined]
                self.reply("250 reçu")
            elif verb == b"QUIT":
                self.reply("221 au revoir")
                return
            else:
                self.reply("250 ok")


@pytest.fixture
def smtp_sink():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpHandler)
    server.daemon_threads = True
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_smtp_delivery_of_the_ar(start_simulator, smtp_sink, client_cert, pki):
    running = start_simulator(deliver=f"smtp://127.0.0.1:{smtp_sink.server_address[1]}")
    archive = act_archive()
    assert post(running, archive.name, archive.data, cert=client_cert, pki=pki).status_code == 200
    wait_for(lambda: len(smtp_sink.received) == 1)
    envelope, data = smtp_sink.received[0]
    assert envelope["rcpt"] == ["<actes@tdt.bouquet.test>"]
    mail = email.message_from_bytes(data, policy=default)
    files = {p.get_filename(): p.get_payload(decode=True) for p in mail.iter_attachments()}
    [ar] = [parse_message(v) for k, v in files.items() if k.endswith("-1-2_0.xml")]
    assert ar.schema_valid


def test_mailer_rejects_unknown_destinations():
    for url in ("maildir://relatif", "ftp://x", "smtp://"):
        with pytest.raises(ValueError):
            Mailer(url)


def test_duplicate_copies_are_identical_in_maildir(tmp_path):
    mail = build_mail(recipient="a@b.test", subject="s", body="b", attachments=[Attachment("x.pdf", b"%PDF")])
    Mailer(f"maildir://{tmp_path}").deliver(mail, copies=2)
    files = [f.read_bytes() for f in (tmp_path / "new").iterdir()]
    assert len(files) == 2 and files[0] == files[1]
