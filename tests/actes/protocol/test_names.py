"""File names: envelope, archive, message and documents, built and parsed back."""

import datetime as dt

import pytest

from bouquet.actes.protocol import (
    ArchiveName,
    EnvelopeName,
    FileNameError,
    MessageName,
    parse_archive_name,
    parse_document_name,
    parse_envelope_name,
    parse_message_name,
)


def test_it_builds_and_parses_an_envelope_name():
    name = EnvelopeName(siren="214502494", date=dt.date(2017, 7, 17), serial=6)
    assert str(name) == "EACT--214502494--20170717-6.xml"
    assert parse_envelope_name(str(name)) == name


def test_it_parses_an_envelope_anomaly_name():
    name = parse_envelope_name("ANO_EACT--210703385--20170612-2.xml")
    assert (name.siren, name.date, name.serial) == ("210703385", dt.date(2017, 6, 12), 2)


@pytest.mark.parametrize("serial", [0, 10000])
def test_it_bounds_the_serial(serial):
    with pytest.raises(FileNameError, match="hors limites"):
        EnvelopeName(siren="214502494", date=dt.date(2017, 7, 17), serial=serial)


def test_it_builds_and_parses_an_archive_name():
    name = ArchiveName("SLO", EnvelopeName(siren="214502494", date=dt.date(2017, 7, 17), serial=6))
    assert str(name) == "SLO-EACT--214502494--20170717-6.tar.gz"
    assert parse_archive_name(str(name)) == name
    assert parse_archive_name("abc-TACT--000000000--20181024-4.tar.gz").envelope.appli == "TACT"


def test_it_builds_and_parses_a_message_name():
    name = MessageName("045", "214502494", dt.date(2017, 7, 17), "D201717", "DE", "1-1")
    assert str(name) == "045-214502494-20170717-D201717-DE-1-1_0.xml"
    assert parse_message_name(str(name)) == name


def test_it_names_a_classification_request():
    name = MessageName("034", "000000000", None, None, None, "7-1")
    assert str(name) == "034-000000000----7-1_0.xml"
    assert parse_message_name("034-000000000----7-1_0.xml") == name


def test_it_parses_a_renumbered_message():
    name = parse_message_name("034-000000000-20170701-20170725A-AI-2-1_17.xml")
    assert (name.numero_interne, name.nature, name.code, name.index) == ("20170725A", "AI", "2-1", 17)


def test_it_builds_and_parses_document_names_with_typology():
    message = MessageName("034", "000000000", dt.date(2024, 12, 9), "20241209_MR02", "DE", "1-1")
    names = [str(message.document(n, "pdf", t)) for n, t in ((1, "99_DE"), (2, "99_SE"), (3, "75_PL"))]
    assert names == [
        "99_DE-034-000000000-20241209-20241209_MR02-DE-1-1_1.pdf",
        "99_SE-034-000000000-20241209-20241209_MR02-DE-1-1_2.pdf",
        "75_PL-034-000000000-20241209-20241209_MR02-DE-1-1_3.pdf",
    ]
    parsed = parse_document_name(names[2])
    assert (parsed.typology, parsed.index, parsed.extension) == ("75_PL", 3, "pdf")
    assert parsed.message.numero_interne == "20241209_MR02"


def test_it_parses_an_old_document_name_without_typology():
    parsed = parse_document_name("045-214502494-20170717-D201717-DE-1-1_1.pdf")
    assert parsed.typology is None and parsed.message.siren == "214502494"


@pytest.mark.parametrize(
    ("parse", "name"),
    [
        (parse_envelope_name, "EACT-214502494-20170717-6.xml"),
        (parse_envelope_name, "EACT--21450249--20170717-6.xml"),
        (parse_envelope_name, "EACT--214502494--20171317-6.xml"),
        (parse_archive_name, "SLOW-EACT--214502494--20170717-6.tar.gz"),
        (parse_archive_name, "SLO-EACT--214502494--20170717-6.zip"),
        (parse_message_name, "045-214502494-20170717-D201717-DE-1-1.xml"),
        (parse_message_name, "045-214502494-20170717-D2017-17-DE-1-1_0.xml"),
        (parse_message_name, "45-214502494-20170717-D201717-DE-1-1_0.xml"),
        (parse_document_name, "99-DE-045-214502494-20170717-D201717-DE-1-1_1.pdf"),
        (parse_document_name, "../045-214502494-20170717-D201717-DE-1-1_1.pdf"),
    ],
)
def test_it_refuses_bad_names_clearly(parse, name):
    with pytest.raises(FileNameError, match="invalide"):
        parse(name)


def test_it_refuses_an_incomplete_message_name():
    with pytest.raises(FileNameError, match="vont ensemble"):
        MessageName("034", "000000000", dt.date(2024, 1, 1), None, "DE", "1-1")


def test_answers_and_cancellations_reuse_the_idacte():
    name = MessageName.from_id_acte("034-000000000-20170701-20170721D-AI", "6-1")
    assert str(name) == "034-000000000-20170701-20170721D-AI-6-1_0.xml"
    assert str(name.document(1, "pdf", "99_AU")).startswith("99_AU-034-000000000-20170701-20170721D-AI-6-1_1")
    with pytest.raises(FileNameError, match="IDActe invalide"):
        MessageName.from_id_acte("034-000000000-20170701-X", "6-1")
