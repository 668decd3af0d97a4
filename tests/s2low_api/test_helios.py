"""H1–H6: the HELIOS paths of S²LOW (import, status, acquittement, PES_Retour), their XML and quirks."""

import re

import pytest
from lxml import etree

from bouquet.helios.choices import Status
from bouquet.helios.models import Retour, Transaction
from tests.helios.helpers import pes
from tests.s2low_api.conftest import PES_ACQUIT, PES_RETOUR
from tests.s2low_api.helpers import multipart

IMPORT = "/modules/helios/api/helios_importer_fichier.php"
STATUS = "/modules/helios/api/helios_transac_get_status.php"
ACQUIT = "/modules/helios/helios_download_acquit.php"
LIST = "/modules/helios/api/helios_get_list.php"
RETOUR = "/modules/helios/api/helios_get_retour.php"
CHANGE = "/modules/helios/api/helios_change_status.php"


def upload(client, data: bytes, name="PES aller.xml", fields=()):
    body, content_type = multipart(list(fields), [("enveloppe", name, data)])
    return client.generic("POST", IMPORT, data=body, content_type=content_type)


def children(response) -> list[tuple[str, str]]:
    root = etree.fromstring(response.content)
    return [(child.tag, child.text or "") for child in root]


def imported(response) -> Transaction:
    found = dict(children(response))
    assert found["resultat"] == "OK", response.content
    return Transaction.objects.get(pk=int(found["id"]))


def test_import_answers_s2lows_xml_and_posts_the_file(world):
    response = upload(world.client(), pes("PES-API-1"))
    assert response["Content-Type"] == "text/xml; charset=UTF-8"
    assert response["Content-Disposition"] == 'attachment; filename="import.xml"'
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<import><id>')
    assert [tag for tag, _ in children(response)] == ["id", "resultat", "message"]
    transaction = imported(response)
    assert dict(children(response))["message"] == "Téléchargement du fichier réussi."
    assert (transaction.status, transaction.filename, transaction.authority) == (
        Status.POSTE,
        "PES aller.xml",
        world.authority,
    )
    assert transaction.file.read() == pes("PES-API-1")


def test_must_signed_and_a_cs_only_account_make_it_wait(world):
    signed = imported(upload(world.client(), pes("PES-API-2"), fields=[("must_signed", "1")]))
    assert signed.status == Status.EN_ATTENTE_SIGNATURE
    waiting = imported(upload(world.client("valid_non_rgs", "cecile@pastell.example.test"), pes("PES-API-3")))
    assert waiting.status == Status.EN_ATTENTE_TELETRANSMISSION


def test_a_duplicate_is_refused_with_doublon_in_the_message(world):
    upload(world.client(), pes("PES-API-4"))
    found = dict(children(upload(world.client(), pes("PES-API-4"))))
    assert (found["id"], found["resultat"]) == ("", "KO")
    assert "doublon" in found["message"].lower()  # Pastell files it in tdt-error on this word
    assert Transaction.objects.filter(nom_fic="PES-API-4").count() == 1


def test_a_refused_file_says_why_with_the_line(world):
    found = dict(children(upload(world.client(), pes("PES-API-5").replace(b"ISO-8859-1", b"UTF-8"))))
    assert found["resultat"] == "KO"
    assert found["message"].startswith("Ligne 1 : Le fichier doit déclarer l'encodage ISO-8859-1")


def test_without_file_or_rights_the_answer_is_ko(world):
    body, content_type = multipart([("must_signed", "0")], [])
    found = dict(children(world.client().generic("POST", IMPORT, data=body, content_type=content_type)))
    assert found["resultat"] == "KO" and "enveloppe" in found["message"]
    # A transmitting account whose certificate is below RGS**: plain KO before anything is read.
    response = upload(world.client("valid_non_rgs", "charlie@voisine.example.test"), pes("PES-API-6"))
    assert response.content.decode("iso-8859-1").startswith(
        "KO\nLa télétransmission nécessite un certificat RGS"
    )
    # No certificate at all.
    response = world.client("expired").generic("POST", IMPORT, data=b"", content_type="text/plain")
    assert response.content.startswith(b"KO\n")


def test_status_reports_the_latest_message_in_s2lows_order(world):
    response = world.client().get(STATUS, {"transaction": "1234"})
    assert response.content.startswith(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<transaction>')
    found = children(response)
    assert [tag for tag, _ in found] == ["id", "resultat", "message", "status"]
    assert dict(found)["status"] == "8"
    assert dict(found)["message"] == world.helios.history.order_by("-id").first().message


def test_status_is_3_while_the_acquittement_file_is_missing(world):
    world.helios.acquits.all().delete()
    assert dict(children(world.client().get(STATUS, {"transaction": "1234"})))["status"] == "3"


@pytest.mark.parametrize("value", ["", "abc", "999999"])
def test_status_of_an_unknown_transaction_is_ko(world, value):
    found = dict(children(world.client().get(STATUS, {"transaction": value})))
    assert found["resultat"] == "KO"
    assert "status" not in found


def test_status_of_another_authoritys_transaction_looks_unknown(world):
    response = world.client("valid_non_rgs", "charlie@voisine.example.test").get(
        STATUS, {"transaction": "1234"}
    )
    found = dict(children(response))
    assert (found["resultat"], found["message"]) == ("KO", "Numéro de transaction invalide")


def test_status_authentication_failure_is_xml_too(world):
    found = dict(children(world.client("unknown_ca").get(STATUS, {"transaction": "1234"})))
    assert found["resultat"] == "KO" and found["id"] == "1234"


def test_download_acquit_gives_the_bytes_received(world):
    response = world.client().get(ACQUIT, {"id": "1234"})
    assert response.content == PES_ACQUIT
    assert response["Content-Type"] == "text/xml"
    assert "ACQUIT_PESALR2_491011698_171227_1234.xml" in response["Content-Disposition"]
    other = world.client("valid_non_rgs", "charlie@voisine.example.test").get(ACQUIT, {"id": "1234"})
    assert other.content.startswith(b"KO\n")


def test_download_acquit_without_acquittement_is_ko(world):
    world.helios.acquits.all().delete()
    assert world.client().get(ACQUIT, {"id": "1234"}).content.decode("iso-8859-1").startswith("KO\nAucun")


def test_list_gives_the_unread_retours_of_the_caller_only(world):
    response = world.client().get(LIST)
    found = children(response)
    assert [tag for tag, _ in found[:4]] == ["idColl", "resultat", "message", "dateDemande"]
    assert dict(found[:4])["idColl"] == str(world.authority.pk)
    assert dict(found[:4])["resultat"] == ""
    assert re.fullmatch(r"\d{4}-\d\d-\d\d (0\d|1[0-2]):\d\d:\d\d", dict(found[:4])["dateDemande"])
    root = etree.fromstring(response.content)
    entries = [{c.tag: c.text for c in e} for e in root.iter("pes_retour")]
    assert [(e["id"], e["nom"]) for e in entries] == [("122", "HELIOS_SIMU_RETOUR_1565181244_184723364.xml")]


def test_get_retour_checks_ownership(world):
    assert world.client().get(RETOUR, {"id": "122"}).content == PES_RETOUR
    response = world.client().get(RETOUR, {"id": "123"})  # the other authority's: S²LOW would serve it
    found = dict(children(response))
    assert (found["id"], found["resultat"], found["message"]) == ("123", "KO", "retour id n'est pas correcte")


def test_change_status_marks_the_retour_read_and_the_list_forgets_it(world):
    found = dict(children(world.client().get(CHANGE, {"id": "122"})))
    assert found == {"idRetour": "122", "resultat": "OK", "message": "reussi de changer status"}
    assert Retour.objects.get(pk=122).is_read
    assert not list(etree.fromstring(world.client().get(LIST).content).iter("pes_retour"))
    refused = dict(children(world.client().get(CHANGE, {"id": "123"})))
    assert refused["resultat"] == "KO"
    assert not Retour.objects.get(pk=123).is_read
