"""A3 and the browser side of S²LOW's nonce ("nounce") redirects, over real TLS."""

import pytest

from bouquet.s2low_api.services import nonce_hash

pytestmark = [pytest.mark.nginx, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def get_nounce(edge, accounts, user=None) -> str:
    user = user or accounts.alice
    response = edge.session("valid_rgs").get(
        edge.url + "/api/get-nounce.php", auth=(user.email, accounts.password), timeout=20
    )
    assert response.status_code == 200, response.text
    return response.json()["nounce"]


def browser_url(edge, nounce, login, hash_hex) -> str:
    return f"{edge.url}/api/test-connexion.php?nounce={nounce}&login={login}&hash={hash_hex}"


def test_it_requires_basic_authentication(edge, accounts):
    response = edge.session("valid_rgs").get(edge.url + "/api/get-nounce.php", timeout=20)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="API S2low"'


def test_it_refuses_a_wrong_basic_password(edge, accounts):
    response = edge.session("valid_rgs").get(
        edge.url + "/api/get-nounce.php", auth=(accounts.alice.email, "faux"), timeout=20
    )
    assert response.text.startswith("KO\n")


def test_it_logs_the_browser_in_once(edge, accounts):
    nounce = get_nounce(edge, accounts)
    browser = edge.session()  # a browser without certificate
    url = browser_url(edge, nounce, accounts.alice.email, nonce_hash(accounts.password, nounce))
    first = browser.get(url, timeout=20)
    assert first.text == "OK"
    home = browser.get(edge.url + "/", timeout=20)
    assert "Se déconnecter" in home.text
    again = edge.session().get(url, timeout=20)
    assert again.text.startswith("KO\n") and "déjà été utilisé" in again.content.decode("iso-8859-1")


def test_it_refuses_a_wrong_hash(edge, accounts):
    nounce = get_nounce(edge, accounts)
    url = browser_url(edge, nounce, accounts.alice.email, nonce_hash("autre-mot-de-passe", nounce))
    browser = edge.session()
    assert browser.get(url, timeout=20).text.startswith("KO\n")
    assert "Se déconnecter" not in browser.get(edge.url + "/", timeout=20).text


def test_it_refuses_the_login_of_another_account(edge, accounts):
    nounce = get_nounce(edge, accounts)
    url = browser_url(edge, nounce, accounts.bob.email, nonce_hash(accounts.password, nounce))
    assert edge.session().get(url, timeout=20).text.startswith("KO\n")


def test_it_refuses_an_expired_nonce(edge, accounts):
    from datetime import timedelta

    from django.utils import timezone

    from bouquet.s2low_api.models import Nonce

    nounce = get_nounce(edge, accounts)
    Nonce.objects.filter(value=nounce).update(created_at=timezone.now() - timedelta(minutes=6))
    url = browser_url(edge, nounce, accounts.alice.email, nonce_hash(accounts.password, nounce))
    assert "expiré" in edge.session().get(url, timeout=20).content.decode("iso-8859-1")
