"""Attachments of the ministry's mails, safe names, size bound, multi-channel notice, keys."""

import base64
import hashlib
from email.message import EmailMessage

import pytest

from bouquet.actes.transport import (
    MULTICHANNEL_NOTICE,
    MailError,
    extract_attachments,
    is_multichannel_notice,
    mail_key,
    safe_filename,
)

from .conftest import ENVELOPE_XML, ministry_mail

PDF = b"%PDF-1.4\n" + bytes(range(256)) + b"\n%%EOF\n"


def test_it_extracts_loose_files_as_exact_bytes():
    raw = ministry_mail(
        attachments=[
            ("TACT--SPREF0011-000000000-20170721-4.xml", ENVELOPE_XML, "application/xml"),
            ("034-000000000-20170701-20170721D-AI-1-2_1.pdf", PDF, "application/pdf"),
        ]
    )
    xml, pdf = extract_attachments(raw)
    assert (xml.filename, xml.content_type) == ("TACT--SPREF0011-000000000-20170721-4.xml", "application/xml")
    assert xml.content == ENVELOPE_XML  # UTF-8 kept as is, not re-encoded
    assert pdf.content == PDF and pdf.content_type == "application/pdf"


def test_it_keeps_a_text_xml_attachment_in_its_own_encoding():
    latin = '<?xml version="1.0" encoding="ISO-8859-1"?><a>Côte-d\'Or</a>'.encode("latin-1")
    mail = EmailMessage()
    mail.set_content("corps")
    mail.add_attachment(latin, maintype="text", subtype="xml", filename="m.xml")
    [attachment] = extract_attachments(mail.as_bytes())
    assert attachment.content == latin


def test_it_ignores_the_bodies():
    assert extract_attachments(ministry_mail()) == []


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/cron.d/x.xml",
        "a/../b.xml",
        "/etc/passwd",
        "\\\\serveur\\partage\\a.xml",
        "C:\\a.xml",
        "",
        "a/",
    ],
)
def test_it_refuses_names_leaving_the_folder(name):
    raw = ministry_mail(attachments=[(name, b"x", "application/xml")])
    with pytest.raises(MailError) as raised:
        extract_attachments(raw)
    assert raised.value.permanent is True
    assert "pièce jointe" in raised.value.message.lower()


def test_it_keeps_only_the_base_name_of_a_harmless_path():
    assert safe_filename("dossier/sous-dossier/ACK.xml") == "ACK.xml"
    assert safe_filename("dossier\\ACK.xml") == "ACK.xml"


def test_it_refuses_an_attachment_without_a_name():
    mail = EmailMessage()
    mail.set_content("corps")
    mail.add_attachment(b"data", maintype="application", subtype="octet-stream")
    del mail.get_payload()[1]["Content-Disposition"]
    mail.get_payload()[1]["Content-Disposition"] = "attachment"
    with pytest.raises(MailError, match="sans nom"):
        extract_attachments(mail.as_bytes())


def test_it_refuses_two_attachments_with_the_same_name():
    raw = ministry_mail(attachments=[("a.xml", b"1", "application/xml"), ("a.xml", b"2", "application/xml")])
    with pytest.raises(MailError, match="même nom"):
        extract_attachments(raw)


def test_it_bounds_the_total_size():
    raw = ministry_mail(
        attachments=[("a.pdf", b"x" * 600, "application/pdf"), ("b.pdf", b"y" * 600, "application/pdf")]
    )
    assert len(extract_attachments(raw, max_total_bytes=1200)) == 2
    with pytest.raises(MailError, match="trop volumineuses"):
        extract_attachments(raw, max_total_bytes=1000)


def test_it_decodes_rfc2231_names():
    raw = ministry_mail(attachments=[("récépissé.pdf", PDF, "application/pdf")])
    assert extract_attachments(raw)[0].filename == "récépissé.pdf"


def test_it_detects_the_multichannel_notice_in_html_or_text():
    html = (
        "<html><body><p>Bonjour,</p><p>Notre service de contr&ocirc;le de l&eacute;galit&eacute; a "
        "identifi&eacute; qu&#39;il s&#39;agit d&#39;un acte dont la\n transmission est effectu&eacute;e "
        "en <b>multi canal</b>.</p></body></html>"
    )
    mail = EmailMessage()
    mail.set_content(html, subtype="html")
    assert is_multichannel_notice(mail.as_bytes())
    text = EmailMessage()
    text.set_content("Bonjour,\n" + MULTICHANNEL_NOTICE.replace("'", "\u2019"), charset="windows-1252")
    assert is_multichannel_notice(text.as_bytes())


def test_it_does_not_flag_an_ordinary_mail():
    assert not is_multichannel_notice(ministry_mail())
    mail = EmailMessage()
    mail.set_content("autre chose")
    mail.add_attachment(MULTICHANNEL_NOTICE.encode(), maintype="text", subtype="plain", filename="note.txt")
    assert not is_multichannel_notice(mail.as_bytes())  # a file, not the body


def test_the_key_is_the_message_id_or_the_hash():
    assert mail_key(ministry_mail(message_id="<x@y>")) == "<x@y>"
    raw = ministry_mail(message_id=None)
    assert mail_key(raw) == "sha256:" + hashlib.sha256(raw).hexdigest()


def test_it_decodes_rfc2047_names_and_reads_base64_and_quoted_printable_parts():
    raw = (
        b"From: actes@interieur.gouv.fr\r\nTo: actes@bouquet.localhost\r\nMessage-ID: <q@m>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
        b"--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>corps</p>\r\n"
        b"--XX\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="=?utf-8?q?r=C3=A9c=C3=A9piss=C3=A9=2Epdf?="\r\n\r\n'
        + base64.encodebytes(PDF)
        + b"\r\n--XX\r\nContent-Type: application/xml\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        b'Content-Disposition: attachment; filename="ar.xml"\r\n\r\n<a>C=C3=B4te</a>\r\n--XX--\r\n'
    )
    pdf, xml = extract_attachments(raw)
    assert (pdf.filename, pdf.content, pdf.content_type) == ("récépissé.pdf", PDF, "application/pdf")
    assert (xml.filename, xml.content) == ("ar.xml", "<a>Côte</a>".encode())
