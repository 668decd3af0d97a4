"""A4, A7–A15 and the stats: reads through the S²LOW paths, isolation and client quirks."""

import io
import json
import tarfile

import pytest

from bouquet.actes.models import Transaction
from tests.s2low_api.helpers import multipart

ACTES = "/modules/actes/"


def text(response) -> str:
    return response.content.decode("iso-8859-1")


# Every endpoint taking an id, pointed at an object of the other authority (7777 / 7778) and at
# an id that does not exist: both must give the same answer, without anything of the other side.
BY_ID = [
    "actes_transac_get_status.php?transaction={}",
    "actes_transac_get_files_list.php?transaction={}",
    "actes_download_file.php?file={}",
    "actes_download_file.php?env={}",
    "actes_transac_get_tampon.php?transaction={}",
    "actes_create_pdf.php?trans_id={}",
    "actes_transac_get_document.php?id={}",
    "api/document_prefecture_mark_as_read.php?transaction_id={}",
]


@pytest.mark.parametrize("route", BY_ID)
def test_another_authoritys_id_reads_like_a_missing_one(world, route):
    client = world.client()
    foreign_id = 7778 if "file=" in route else 7777
    foreign = client.get(ACTES + route.format(foreign_id))
    missing = client.get(ACTES + route.format(987654))
    assert foreign.status_code == missing.status_code == 200
    assert foreign.content == missing.content
    assert text(foreign).startswith("KO\n")
    assert b"B_0001" not in foreign.content and b"secret" not in foreign.content


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("actes_transac_cancel.php", [("api", "1"), ("id", "7777")]),
        ("actes_transac_reponse_create.php", [("api", "1"), ("id", "7777"), ("type_envoie", "4")]),
    ],
)
def test_another_authoritys_id_cannot_be_written(world, path, fields):
    body, content_type = multipart(fields, [])
    response = world.client().generic("POST", ACTES + path, data=body, content_type=content_type)
    assert text(response) == "KO\nNuméro de transaction invalide.\n"
    assert not Transaction.objects.filter(related_id=7777).exists()


def test_status_reads_the_query_string_despite_a_leftover_body(world):
    body, content_type = multipart([("api", "1"), ("id", "666"), ("transaction", "666")], [])
    response = world.client().generic(
        "POST", ACTES + "actes_transac_get_status.php?transaction=5", data=body, content_type=content_type
    )
    assert response.content == b"OK\n3\n"


def test_status_by_unique_id(world):
    response = world.client().get(ACTES + "actes_transac_get_status.php?unique_id=" + world.act.id_acte)
    assert response.content.startswith(b"OK\n4\n<?xml") and b'actes:DateReception="' in response.content


def test_files_list_needs_an_acknowledgement(world):
    assert world.client().get(ACTES + "actes_transac_get_files_list.php?transaction=5").content == (
        b"KO\nPas d'acquittement recu\n"
    )


def test_download_without_stamp_gives_the_stored_bytes(world):
    response = world.client().get(ACTES + "actes_download_file.php?file=3968")
    assert response.content == world.act.files.get(pk=3968).read()
    assert response["Content-Type"] == "application/pdf"


def test_get_tampon_redirects_to_the_stamped_main_document(world):
    response = world.client().get(ACTES + "actes_transac_get_tampon.php?transaction=666")
    assert response.status_code == 302
    assert response["Location"] == "actes_download_file.php?file=3968&tampon=true"


def test_bordereau_is_a_pdf(world):
    response = world.client().get(ACTES + "actes_create_pdf.php?trans_id=666")
    assert response.content.startswith(b"%PDF-")
    assert text(world.client().get(ACTES + "actes_create_pdf.php?trans_id=5")).startswith("KO\n")


def test_classification_is_served_byte_identical_every_time(world):
    first = world.client().get(ACTES + "actes_classification_fetch.php?api=1")
    second = world.client().get(ACTES + "actes_classification_fetch.php?api=1")
    assert first.content == second.content
    assert first["Content-Type"] == "text/xml;charset=iso-8859-1"
    stored = world.authority.actes_classifications.get().raw
    assert first.content == bytes(stored) + b"\r\n"


def test_prefecture_documents_list_then_mark_as_read(world):
    client = world.client()
    listed = client.get(ACTES + "api/list_document_prefecture.php")
    assert listed.content == (
        b'[{"id":"3268","type":"3","related_transaction_id":"666","number":"CL20171227_06",'
        b'"unique_id":"034-491011698-20171207-CL20171227_06-DE","last_status_id":"7"}]'
    )
    read = client.get(ACTES + "api/document_prefecture_mark_as_read.php?transaction_id=3268")
    assert read.content == b'{"result":"ok"}'
    assert client.get(ACTES + "api/list_document_prefecture.php").content == b"[]"


def test_the_other_authority_sees_none_of_our_documents(world):
    client = world.client("valid_non_rgs", "charlie@voisine.example.test")
    assert client.get(ACTES + "api/list_document_prefecture.php").content == b"[]"


def test_a_letter_is_downloaded_as_a_tar_gz_through_the_redirect(world):
    response = world.client().get(ACTES + "actes_transac_get_document.php?id=3268", follow=True)
    with tarfile.open(fileobj=io.BytesIO(response.content), mode="r:gz") as tar:
        names = tar.getnames()
    assert names == [f.business_name for f in world.letter.files.order_by("position")]


def test_stats_count_only_the_callers_acts(world):
    client = world.client()
    listed = json.loads(client.get(ACTES + "api/list_actes.php?status_id=4&limit=30").content)
    assert (listed["status_id"], listed["limit"], listed["authority_id"]) == (4, 30, world.authority.pk)
    assert [row["id"] for row in listed["transactions"]] == ["666"]
    number = json.loads(client.get(ACTES + "api/number_actes.php?status_id=3").content)
    assert number["nb_transactions"] == 1
    statuses = json.loads(client.get(ACTES + "api/actes_status.php").content)
    assert statuses["17"] == "En attente d'être postée"
    by_month = client.get(ACTES + "api/nb_actes_by_authorities_and_date.php?month=1&year=2020").content
    assert b"Voisine" not in by_month
    assert text(client.get(ACTES + "api/list_actes.php?status_id=abc")).startswith("KO\n")


def test_an_account_without_actes_access_is_refused(world):
    world.alice.memberships.update(is_active=False)
    body = text(world.client().get(ACTES + "actes_classification_fetch.php?api=1"))
    assert body == "KO\nCe compte n'a accès au module Actes d'aucune collectivité.\n"
    assert text(world.client().get(ACTES + "actes_transac_get_status.php?transaction=666")).startswith("KO\n")
