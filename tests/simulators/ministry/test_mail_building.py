"""The ministry's mails, written as bytes: what the ``email.mime`` classes gave, read back by the platform."""

import email
import random
import re
import string
from email import policy
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from html import escape

import pytest

from bouquet.actes.transport.base import mail_key
from bouquet.actes.transport.mail import read_mail
from bouquet.simulators.ministry.delivery import DEFAULT_SENDER, Attachment, Mail, _header, build_mail

AR_NAME = "034-214502494-20250314-D2025_001-DE-1-2_0.xml"


def _with_email_mime(mail: Mail, *, recipient, subject, body, attachments) -> bytes:
    """The same mail through ``email.mime`` and the compat32 generator (the simulator's former way),
    with the boundary, Date and Message-ID of ``mail``."""
    text = mail.data.decode("ascii")
    reference = MIMEMultipart("mixed")
    reference["From"] = DEFAULT_SENDER
    reference["To"] = recipient
    reference["Subject"] = subject if subject.isascii() else Header(subject, "utf-8")
    reference["Date"] = re.search(r"^Date: (.*)$", text, re.MULTILINE).group(1)
    reference["Message-ID"] = mail.message_id
    reference.attach(MIMEText(f"<html><body><p>{escape(body)}</p></body></html>\n", "html", "utf-8"))
    for attachment in attachments:
        part = MIMEApplication(attachment.data, attachment.content_type[1])
        name = attachment.name if attachment.name.isascii() else ("utf-8", "", attachment.name)
        part.add_header("Content-Disposition", "attachment", filename=name)
        reference.attach(part)
    reference.set_boundary(re.search(r'boundary="([^"]+)"', text).group(1))
    return bytes(reference)


@pytest.mark.parametrize(
    ("recipient", "subject", "names"),
    [
        (
            "actes@tdt.bouquet.test",
            "[ACTES] Classification du 01/01/2025",
            ["TACT--SPREF0011-1.xml", AR_NAME],
        ),
        ("a@b.test", "[ACTES] Lettre d'observations - acte 034-214502494-20250314-D2025_001-DE", [AR_NAME]),
        ("x" * 90 + "@tdt.test", "s", ['quote"and\\backslash.xml', "a; b, c.pdf", "x" * 80 + ".xml"]),
        ("a@b.test", "two  spaces\tand a tab ", ["Délibération n°1.pdf", "", "€" * 40 + ".pdf"]),
    ],
    ids=["short", "folded-subject", "odd-names", "non-ascii-names"],
)
def test_the_bytes_are_those_email_mime_gave(recipient, subject, names):
    attachments = [Attachment(name, bytes(range(256)) * n) for n, name in enumerate(names)]
    fields = dict(recipient=recipient, subject=subject, body="Reçu <b> & « traité »", attachments=attachments)
    mail = build_mail(**fields)
    assert mail.data == _with_email_mime(mail, **fields)
    assert bytes(mail) == mail.data


def test_headers_fold_as_the_generator_folds():
    rnd = random.Random(78)
    words = string.ascii_letters + string.digits + "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
    for _ in range(2000):
        name = rnd.choice(["Subject", "To", "Content-Disposition"])
        value = " ".join(
            "".join(rnd.choice(words) for _ in range(rnd.randrange(1, 30)))
            for _ in range(rnd.randrange(1, 5))
        )
        if rnd.random() < 0.5:
            value = "attachment; " + value.replace(" ", "")
        assert _header(name, value) == policy.compat32.fold_binary(name, value).decode("ascii"), value


def test_the_platform_reads_a_mail_with_non_ascii_subject_and_names():
    subject = "[ACTES] Accusé de réception de l'acte 034-214502494-20250314-D2025_001-DE — très « long » 𝄞"
    files = [
        Attachment("TACT--SPREF0011-214502494-20251127-1.xml", b"<?xml version='1.0'?><e/>"),
        Attachment(AR_NAME, "<ar>é</ar>".encode()),
        Attachment("Délibération n°1 — annexe.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40),
    ]
    mail = build_mail(
        recipient="actes@tdt.bouquet.test", subject=subject, body="L'acte <1> a été reçu.", attachments=files
    )

    attachments, multichannel = read_mail(mail.data)
    assert not multichannel
    assert [(a.filename, a.content) for a in attachments] == [(f.name, f.data) for f in files]
    assert [a.content_type for a in attachments] == ["application/xml", "application/xml", "application/pdf"]
    assert mail_key(mail.data) == mail.message_id

    parsed = email.message_from_bytes(mail.data, policy=policy.default)
    assert parsed.get_content_type() == "multipart/mixed"
    assert parsed["Subject"] == subject
    assert parsed["From"] == DEFAULT_SENDER and parsed["To"] == "actes@tdt.bouquet.test"
    html = next(parsed.iter_parts())
    assert html.get_content_type() == "text/html"
    assert html.get_content() == "<html><body><p>L&#x27;acte &lt;1&gt; a été reçu.</p></body></html>\n"
    assert all(len(line) <= 78 for line in mail.data.split(b"\n"))
    assert re.search(rb"^Subject: =\?utf-8\?q\?", mail.data, re.MULTILINE)
