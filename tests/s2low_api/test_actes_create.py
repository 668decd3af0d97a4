"""A5, A6, A12, A16, A17: creations through the S²LOW paths, rights, quirks and redirects."""

import hashlib
import re
from urllib.parse import quote

import pytest

from bouquet.actes.choices import Status, TransactionType
from bouquet.actes.models import Transaction
from tests.s2low_api.helpers import PDF, act_fields, multipart

CREATE = "/modules/actes/actes_transac_create.php"


def post(client, path, fields, files=(), quoted=True, **extra):
    body, content_type = multipart(list(fields), list(files), quoted=quoted)
    return client.generic("POST", path, data=body, content_type=content_type, **extra)


def text(response) -> str:
    return response.content.decode("iso-8859-1")


def created(response) -> Transaction:
    match = re.fullmatch(rb"OK\n(\d+)\n\n?", response.content)
    assert match, response.content
    return Transaction.objects.get(pk=int(match[1]))


@pytest.mark.parametrize(("quoted", "brackets"), [(True, True), (False, True), (True, False), (False, False)])
def test_every_dialect_and_bracket_style_gives_the_same_act(world, quoted, brackets):
    fields, files = act_fields(brackets=brackets)
    act = created(post(world.client(), CREATE, fields, files, quoted=quoted))
    assert (act.subject, act.nature, act.classification, act.status) == ("Arrêté accentué", 3, "2.1", 1)
    assert [(f.original_name, f.typology) for f in act.files.order_by("position")] == [
        ("acte.pdf", "99_AI"),
        ("annexe.pdf", "41_NC"),
    ]


def test_double_slash_path_is_accepted(world):
    fields, files = act_fields()
    body, content_type = multipart(fields, files)
    response = world.client().generic(
        "POST",
        CREATE,
        data=body,
        content_type=content_type,
        PATH_INFO="//modules/actes/actes_transac_create.php",
    )
    assert created(response).number == "2025_A001"


def test_a_cs_only_account_parks_the_act_in_17(world):
    fields, files = act_fields()
    act = created(post(world.client("valid_non_rgs", "cecile@pastell.example.test"), CREATE, fields, files))
    assert act.status == Status.EN_ATTENTE_POSTE


def test_posting_directly_needs_an_rgs_certificate(world, settings):
    settings.PKI_TRANSMISSION_REQUIRED_RGS = "RGS**"
    fields, files = act_fields()
    response = post(world.client("valid_non_rgs", "charlie@voisine.example.test"), CREATE, fields, files)
    assert text(response) == "KO\nLa télétransmission nécessite un certificat RGS\n"
    fields, files = act_fields(en_attente="1")
    response = post(world.client("valid_non_rgs", "charlie@voisine.example.test"), CREATE, fields, files)
    assert created(response).status == Status.EN_ATTENTE_POSTE


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("type_acte", None), "typologie de l'acte (type_acte) est absente"),
        (("type_pj[]", None), "Il manque la typologie (type_pj)"),
        (("decision_date", "2999-01-01"), "dans le futur"),
        (("number", "mauvais numéro"), "numéro"),
        (("classif1", "99"), "lassification"),
    ],
)
def test_invalid_acts_are_refused_with_a_french_message(world, change, message):
    fields, files = act_fields()
    name, value = change
    fields = [(n, v) for n, v in fields if n != name] + ([(name, value)] if value else [])
    response = post(world.client(), CREATE, fields, files)
    assert response.status_code == 200
    assert text(response).startswith("KO\n") and message in text(response)
    assert not Transaction.objects.filter(number="2025_A001").exists()


def test_a_number_already_used_is_refused(world):
    fields, files = act_fields()
    created(post(world.client(), CREATE, fields, files))
    assert "déjà utilisé" in text(post(world.client(), CREATE, fields, files))


def _nonce_params(world, client) -> str:
    nounce = client.get("/api/get-nounce.php").json()["nounce"]
    digest = hashlib.sha256(f"pw:{nounce}".encode()).hexdigest()
    return f"nounce={nounce}&login=login1&hash={digest}"


RETURN = "https://pastell.example.test/Document/action?id_d=x&error=%%ERROR%%&message=%%MESSAGE%%"


def test_the_rgs_browser_step_posts_and_returns_to_pastell(world):
    client = world.client(login="login1")
    fields, files = act_fields(en_attente="1")
    act = created(post(client, CREATE, fields, files))
    assert act.status == Status.EN_ATTENTE_POSTE
    browser = world.client()  # the browser presents the same RGS** certificate, no Basic header
    url = f"/modules/actes/actes_transac_post_confirm_api.php?id={act.pk}&{_nonce_params(world, client)}"
    response = browser.get(f"{url}&url_return={quote(RETURN, safe='')}")
    assert response.status_code == 302
    assert response["Location"].startswith(
        "https://pastell.example.test/Document/action?id_d=x&error=0&message="
    )
    act.refresh_from_db()
    assert act.status == Status.POSTE


def test_the_batch_browser_step_posts_every_act(world):
    client = world.client(login="login1")
    acts = [created(post(client, CREATE, *act_fields(number=n, en_attente="1"))) for n in ("B1", "B2")]
    ids = "&".join(f"id[]={a.pk}" for a in acts)
    url = f"/modules/actes/actes_transac_post_confirm_api_multi.php?{ids}&{_nonce_params(world, client)}"
    response = world.client().get(f"{url}&url_return={quote(RETURN, safe='')}")
    assert "error=0" in response["Location"]
    assert {a.status for a in Transaction.objects.filter(pk__in=[a.pk for a in acts])} == {Status.POSTE}


def test_a_failed_post_returns_error_1_with_the_message(world):
    client = world.client(login="login1")
    url = f"/modules/actes/actes_transac_post_confirm_api.php?id=666&{_nonce_params(world, client)}"
    response = world.client().get(f"{url}&url_return={quote(RETURN, safe='')}")
    assert "error=1&message=Transaction%20666" in response["Location"]


def test_a_bad_nonce_never_redirects(world):
    url = "/modules/actes/actes_transac_post_confirm_api.php?id=666&nounce=x&login=login1&hash=y"
    response = world.client().get(f"{url}&url_return={quote(RETURN, safe='')}")
    assert response.status_code == 200 and text(response).startswith("KO\n")


def test_cancel_creates_a_type_6_once(world):
    client = world.client()
    body = post(client, "/modules/actes/actes_transac_cancel.php", [("api", "1"), ("id", "666")]).content
    cancellation = Transaction.objects.get(pk=int(body.split(b"\n")[1]))
    assert (cancellation.type, cancellation.related_id) == (TransactionType.ANNULATION, 666)
    again = post(client, "/modules/actes/actes_transac_cancel.php", [("api", "1"), ("id", "666")])
    assert text(again) == "KO\nUne annulation de cet acte est déjà en cours.\n"


def test_cancel_and_classification_need_the_tt_right(world):
    cs = world.client("valid_non_rgs", "cecile@pastell.example.test")
    response = post(cs, "/modules/actes/actes_transac_cancel.php", [("api", "1"), ("id", "666")])
    assert "droit de télétransmettre" in text(response)
    assert "droit de télétransmettre" in text(cs.get("/modules/actes/actes_classification_request.php?api=1"))


def test_answer_to_a_letter_with_two_documents(world):
    fields = [
        ("type_acte", "99_AI"),
        ("id", "3268"),
        ("api", "1"),
        ("type_envoie", "4"),
        ("type_pj[]", "99_AU"),
    ]
    files = [("acte_pdf_file", "reponse.pdf", PDF), ("acte_attachments[]", "pj1.pdf", PDF)]
    response = post(
        world.client(), "/modules/actes/actes_transac_reponse_create.php", fields, files, quoted=False
    )
    answer = Transaction.objects.get(pk=int(response.content.split(b"\n")[1]))
    assert response.content == f"OK\n{answer.pk}\n".encode()
    assert (answer.related_id, answer.response_kind, answer.files.count()) == (3268, 4, 2)
