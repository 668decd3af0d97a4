"""Untrusted XML: hostile or broken input gives a clear error and nothing else happens."""

import pytest

from bouquet.actes.protocol import MalformedXmlError, MessageError, UnsafeXmlError, parse_message
from bouquet.actes.protocol.xmlsafe import parse_xml

NS = 'xmlns:actes="http://www.interieur.gouv.fr/ACTES#v1.1-20040216"'

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<actes:Annulation %s actes:IDActe="&lol9;"/>""".replace(b"%s", NS.encode())

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<actes:DefereTA %s actes:IDActe="034-000000000-20170701-X-AI">
<actes:NatureIllegalite>&xxe;</actes:NatureIllegalite></actes:DefereTA>
""".replace(b"%s", NS.encode())


def test_it_refuses_a_billion_laughs():
    with pytest.raises(UnsafeXmlError, match="DOCTYPE"):
        parse_message(BILLION_LAUGHS)


def test_it_refuses_an_external_entity_without_reading_the_file():
    with pytest.raises(UnsafeXmlError, match="DOCTYPE") as excinfo:
        parse_message(XXE)
    assert "root:" not in str(excinfo.value)


def test_it_refuses_a_doctype_hidden_by_utf16():
    # The byte pre-check cannot see it; the post-parse check must.
    data = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'.encode("utf-16")
    with pytest.raises(UnsafeXmlError):
        parse_xml(data)


def test_it_refuses_an_oversize_document():
    data = f'<actes:Annulation {NS} actes:IDActe="x"/>'.encode() + b" " * 2048
    with pytest.raises(UnsafeXmlError, match="maximum"):
        parse_xml(data, max_size=1024)


def test_it_refuses_a_default_oversize_message():
    data = b"<a>" + b"x" * (20 * 1024 * 1024) + b"</a>"
    with pytest.raises(UnsafeXmlError, match="20971520"):
        parse_message(data)


def test_it_refuses_an_over_deep_document():
    data = b"<a>" * 65 + b"</a>" * 65
    with pytest.raises(UnsafeXmlError, match="64 niveaux"):
        parse_xml(data)
    assert parse_xml(b"<a>" * 64 + b"</a>" * 64).tag == "a"


def test_it_reports_malformed_xml():
    with pytest.raises(MalformedXmlError, match="mal formé"):
        parse_message(b"<actes:Annulation><unclosed></actes:Annulation>")


def test_it_reports_invalid_utf8_bytes():
    data = b'<?xml version="1.0" encoding="UTF-8"?><r>d\xe9lib\xe9ration</r>'
    with pytest.raises(MalformedXmlError, match="encod"):
        parse_xml(data)


def test_latin1_bytes_are_fine_when_declared():
    root = parse_xml('<?xml version="1.0" encoding="ISO-8859-1"?><r>délibération</r>'.encode("latin-1"))
    assert root.text == "délibération"


def test_it_refuses_a_foreign_root():
    with pytest.raises(MessageError, match="espace de noms"):
        parse_message(b"<Acte/>")


def test_it_refuses_an_unknown_actes_root():
    with pytest.raises(MessageError, match="inconnu : Bidule"):
        parse_message(f"<actes:Bidule {NS}/>".encode())


def test_it_names_a_missing_required_field():
    with pytest.raises(MessageError, match="IDActe manquant"):
        parse_message(f"<actes:Annulation {NS}/>".encode())


def test_it_names_an_unreadable_date():
    data = f'<actes:ARAnnulation {NS} actes:IDActe="034-000000000-20170701-X-AI" actes:DateReception="hier"/>'
    with pytest.raises(MessageError, match="DateReception"):
        parse_message(data.encode())


def test_it_reads_an_envelope_anomaly_with_an_unknown_nature_leniently():
    data = f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<actes:AnomalieEnveloppe {NS} xmlns:insee="http://xml.insee.fr/schema">
  <actes:Date>2024-03-01</actes:Date><actes:Nature>999</actes:Nature>
  <actes:Detail>Erreur technique</actes:Detail>
  <actes:EnveloppeRecue><actes:Emetteur>
    <actes:IDCL insee:SIREN="210703385" actes:Departement="007" actes:Arrondissement="2" actes:Nature="31"/>
  </actes:Emetteur><actes:AdressesRetour><actes:Email>a@b.fr</actes:Email></actes:AdressesRetour>
  <actes:FormulairesEnvoyes><actes:Formulaire><actes:NomFichier>f.xml</actes:NomFichier></actes:Formulaire>
  </actes:FormulairesEnvoyes></actes:EnveloppeRecue>
</actes:AnomalieEnveloppe>""".encode("latin-1")
    parsed = parse_message(data)
    assert parsed.message.nature == "999"
    assert parsed.message.detail == "Erreur technique"
    assert parsed.message.enveloppe_recue.idcl.siren == "210703385"
    assert len(parsed.schema_errors) == 1 and "999" in parsed.schema_errors[0]
