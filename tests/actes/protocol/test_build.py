"""Every message we build validates against actesv1_1.xsd and reads back identical."""

import datetime as dt

import pytest
from lxml import etree

from bouquet.actes.protocol import SchemaValidationError, build_message, parse_message
from bouquet.actes.protocol.constants import ACTES_NS, INSEE_NS, MESSAGE_CODES
from bouquet.actes.protocol.messages import (
    IDCL,
    MESSAGE_CLASSES,
    Annulation,
    AnomalieActe,
    AnomalieEnveloppe,
    ARActe,
    ARAnnulation,
    ARDemandePieceComplementaire,
    ARLettreObservations,
    ARPieceComplementaire,
    ARReponseRejetLettreObservations,
    CourrierSimple,
    DefereTA,
    DemandeClassification,
    DemandePieceComplementaire,
    EnveloppeMISILLCL,
    LettreObservations,
    Matiere,
    NatureActe,
    PieceComplementaire,
    RefusPieceComplementaire,
    RejetLettreObservations,
    ReponseClassificationSansChangement,
    ReponseCourrierSimple,
    ReponseLettreObservations,
    RetourClassification,
    SignedFile,
    TypePJ,
)

from .helpers import ID_ACTE, make_acte, make_envelope, message_name

D = dt.date(2025, 1, 15)
LETTER = dict(id_acte=ID_ACTE, date_courrier_pref=D)


def _doc(code: str, n: int = 1) -> SignedFile:
    return SignedFile(str(message_name(code).document(n, "pdf", "99_AU")))


EXAMPLES = {
    "1-1": make_acte(),
    "1-2": ARActe(
        id_acte=ID_ACTE, date_reception=D, acte_recu=make_acte(), classification_date_version_en_cours=D
    ),
    "1-3": AnomalieActe(
        date=D,
        nature="042",
        detail="Classification inconnue",
        acte_recu=make_acte(annexes=0),
        classification_date_version_en_cours=D,
    ),
    "2-1": CourrierSimple(**LETTER, document=_doc("2-1")),
    "2-2": ReponseCourrierSimple(**LETTER, document=_doc("2-2")),
    "3-1": DemandePieceComplementaire(**LETTER, description_pieces="Plan de situation", document=_doc("3-1")),
    "3-2": ARDemandePieceComplementaire(**LETTER),
    "3-3": RefusPieceComplementaire(**LETTER, document=_doc("3-3")),
    "3-4": PieceComplementaire(**LETTER, documents=(_doc("3-4", 1), _doc("3-4", 2))),
    "3-5": ARPieceComplementaire(**LETTER, date_reception=D),
    "4-1": LettreObservations(**LETTER, motif="Incompétence de l'auteur", document=_doc("4-1")),
    "4-2": ARLettreObservations(**LETTER),
    "4-3": RejetLettreObservations(**LETTER, document=_doc("4-3")),
    "4-4": ReponseLettreObservations(**LETTER, document=_doc("4-4")),
    "4-5": ARReponseRejetLettreObservations(**LETTER, date_reception=D),
    "5-1": DefereTA(
        id_acte=ID_ACTE, date_depot=D, nature_illegalite="Vice de forme", pieces_jointes=(_doc("5-1"),)
    ),
    "6-1": Annulation(id_acte=ID_ACTE),
    "6-2": ARAnnulation(id_acte=ID_ACTE, date_reception=D),
    "7-1": DemandeClassification(date_classification=dt.date(2019, 3, 1)),
    "7-2": RetourClassification(
        date_classification=D,
        natures=(NatureActe(1, "Délibérations", "DE", (TypePJ("99_DE", "Délibération"),)),),
        matieres=(Matiere(1, "Commande publique", (Matiere(1, "Marchés publics", (Matiere(3, "MAPA"),)),)),),
    ),
    "7-3": ReponseClassificationSansChangement(date_classification=D),
    "EnveloppeCLMISILL": make_envelope(str(message_name())),
    "EnveloppeMISILLCL": EnveloppeMISILLCL(
        emetteur="IDPref",
        departement="034",
        formulaires=(SignedFile(str(message_name("1-2"))),),
        destinataire_siren="491011698",
    ),
    "AnomalieEnveloppe": AnomalieEnveloppe(
        date=D, nature="005", detail="PREF-VERIF-02", enveloppe_recue=make_envelope(str(message_name()))
    ),
}


def test_examples_cover_every_message_type():
    assert set(EXAMPLES) == {cls.CODE for cls in MESSAGE_CLASSES}
    assert set(MESSAGE_CODES.values()) <= set(EXAMPLES)


@pytest.mark.parametrize("code", list(EXAMPLES))
def test_it_builds_a_schema_valid_message(code):
    message = EXAMPLES[code]
    data = build_message(message)
    assert data.startswith(b"<?xml version='1.0' encoding='ISO-8859-1'?>")
    parsed = parse_message(data)
    assert parsed.code == code
    assert parsed.schema_errors == ()
    assert parsed.message == message
    root = etree.fromstring(data)
    assert root.prefix == "actes" and etree.QName(root).namespace == ACTES_NS
    for element in root.iter():
        assert element.prefix == "actes"
        for name in element.attrib:
            namespace = etree.QName(name).namespace
            assert namespace in (ACTES_NS, INSEE_NS, "http://www.w3.org/2001/XMLSchema-instance"), name


def test_it_writes_the_act_in_schema_order_with_qualified_attributes():
    acte = make_acte(codes_matiere=(3, 2, 1), precedent_identifiant_acte=ID_ACTE, document_papier=True)
    root = etree.fromstring(build_message(acte))
    assert [etree.QName(child).localname for child in root] == [
        "CodeMatiere1",
        "CodeMatiere2",
        "CodeMatiere3",
        "Objet",
        "PrecedentIdentifiantActe",
        "ClassificationDateVersion",
        "Document",
        "Annexes",
        "DocumentPapier",
    ]
    assert root.get(f"{{{ACTES_NS}}}NumeroInterne") == "20241209_MR02"
    assert root.find(f"{{{ACTES_NS}}}Annexes").get(f"{{{ACTES_NS}}}Nombre") == "2"
    assert root.findtext(f"{{{ACTES_NS}}}DocumentPapier") == "O"


def test_it_writes_insee_siren_in_the_envelope():
    root = etree.fromstring(build_message(EXAMPLES["EnveloppeCLMISILL"]))
    idcl = root.find(f"{{{ACTES_NS}}}Emetteur/{{{ACTES_NS}}}IDCL")
    assert idcl.get(f"{{{INSEE_NS}}}SIREN") == "491011698"
    assert idcl.get(f"{{{ACTES_NS}}}Nature") == "31"


def test_it_encodes_latin1_and_keeps_other_characters_as_references():
    data = build_message(make_acte(objet="Marché « éco » – œuvre €"))
    assert "Marché « éco »".encode("latin-1") in data
    assert b"&#339;uvre &#8364;" in data
    assert parse_message(data).message.objet == "Marché « éco » – œuvre €"


@pytest.mark.parametrize(
    "message",
    [
        make_acte(objet="x" * 501),
        make_acte(codes_matiere=(3,)),
        make_acte(document_papier=None),
        Annulation(id_acte="not-an-id"),
        EnveloppeMISILLCL(emetteur="IDPref", departement="34", formulaires=(), destinataire_siren="1"),
    ],
    ids=["objet-501", "one-level", "no-document-papier", "bad-idacte", "bad-envelope"],
)
def test_it_refuses_to_build_an_invalid_message(message):
    with pytest.raises(SchemaValidationError) as excinfo:
        build_message(message)
    assert excinfo.value.errors
    assert "n'est pas conforme au schéma" in str(excinfo.value)


def test_idcl_fields_round_trip():
    envelope = parse_message(build_message(EXAMPLES["EnveloppeCLMISILL"])).message
    assert envelope.idcl == IDCL(siren="491011698", departement="034", arrondissement="3", nature="31")
