"""A1/A2 over real TLS: nginx asks for the certificate, the application applies S²LOW's rule."""

import pytest

pytestmark = [pytest.mark.nginx, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def get(edge, path, cert=None, auth=None, **kwargs):
    response = edge.session(cert).get(edge.url + path, auth=auth, timeout=20, **kwargs)
    assert response.status_code == 200, response.text
    return response


def test_it_accepts_a_valid_rgs_certificate_bound_to_one_account(edge, accounts):
    response = get(edge, "/api/test-connexion.php", "valid_rgs")
    assert response.text.startswith("OK")
    assert response.headers["Content-Type"] == "text/plain; charset=ISO-8859-1"


def test_it_accepts_the_double_slash_pastell_sends(edge, accounts):
    assert get(edge, "//api/test-connexion.php", "valid_rgs").text.startswith("OK")


def test_it_journals_the_certificate_login(edge, accounts):
    from bouquet.core.models import JournalEntry

    get(edge, "/api/test-connexion.php", "valid_rgs")
    entry = JournalEntry.objects.filter(action="auth.certificate").last()
    assert entry.actor_user == accounts.alice
    assert entry.details["rgs_level"] == "RGS**"


def test_it_asks_for_a_login_when_the_certificate_is_shared(edge, accounts):
    body = get(edge, "/api/test-connexion.php", "valid_non_rgs").content.decode("iso-8859-1")
    assert body.startswith("KO\n")
    assert "Plusieurs comptes" in body and "mot de passe" in body


def test_it_accepts_a_shared_certificate_with_the_basic_login_of_a_bound_account(edge, accounts):
    response = get(
        edge, "/api/test-connexion.php", "valid_non_rgs", auth=(accounts.carol.email, accounts.password)
    )
    assert response.text.startswith("OK")


def test_it_refuses_the_basic_login_of_an_account_not_bound(edge, accounts):
    response = get(
        edge, "/api/test-connexion.php", "valid_non_rgs", auth=(accounts.outsider.email, accounts.password)
    )
    body = response.content.decode("iso-8859-1")
    assert body.startswith("KO\n") and "pas rattaché" in body


def test_it_refuses_a_wrong_password(edge, accounts):
    body = get(edge, "/api/test-connexion.php", "valid_non_rgs", auth=(accounts.bob.email, "faux")).text
    assert body.startswith("KO\n")


@pytest.mark.parametrize(
    ("cert", "words"),
    [("expired", ["expiré"]), ("revoked", ["révoqué"]), ("unknown_ca", ["autorité", "reconnue"])],
)
def test_it_refuses_an_invalid_certificate_with_its_reason(edge, accounts, cert, words):
    body = get(edge, "/api/test-connexion.php", cert).content.decode("iso-8859-1")
    assert body.startswith("KO\n")
    for word in words:
        assert word in body


def test_it_refuses_a_request_without_certificate(edge, accounts):
    body = get(edge, "/api/test-connexion.php").content.decode("iso-8859-1")
    assert body.startswith("KO\n") and "certificat" in body


def test_it_ignores_a_forged_certificate_header_sent_through_nginx(edge, accounts):
    pem = edge.demo.users["valid_rgs"].cert.read_text()
    forged = {"X-SSL-Client-Cert": pem.replace("\n", "%0A"), "X-SSL-Client-Verify": "SUCCESS"}
    body = get(edge, "/api/test-connexion.php", headers=forged).content.decode("iso-8859-1")
    assert body.startswith("KO\n") and "Aucun certificat" in body


def test_it_lists_the_logins_bound_to_the_certificate(edge, accounts):
    assert get(edge, "/admin/users/api-list-login.php", "valid_non_rgs").text == (
        "bob@edge.example.test\ncarol@edge.example.test\n"
    )


def test_it_lists_logins_for_a_leftover_multipart_post(edge, accounts):
    response = edge.session("valid_rgs").post(
        edge.url + "/admin/users/api-list-login.php", files={"x": ("a.txt", b"reste")}, timeout=20
    )
    assert response.text == "alice@edge.example.test\n"


def test_it_answers_ko_to_the_login_probe_for_an_unknown_certificate(edge, accounts):
    assert get(edge, "/admin/users/api-list-login.php", "unknown_ca").text.startswith("KO\n")
