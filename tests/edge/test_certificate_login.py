"""Web login with the client certificate (GET /connexion/certificat/), over real TLS."""

import re

import pytest

pytestmark = [pytest.mark.nginx, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PATH = "/connexion/certificat/"


def test_it_logs_in_with_a_certificate_bound_to_one_account(edge, accounts):
    browser = edge.session("valid_rgs")
    response = browser.get(edge.url + PATH, allow_redirects=False, timeout=20)
    assert response.status_code == 302
    home = browser.get(edge.url + "/", timeout=20)
    assert "Se déconnecter" in home.text


def test_it_explains_why_an_expired_certificate_is_refused(edge, accounts):
    response = edge.session("expired").get(edge.url + PATH, timeout=20)
    assert response.status_code == 403
    assert "Votre certificat a expiré" in response.text


def test_it_requires_rgs_when_configured(edge, accounts, settings):
    settings.PKI_LOGIN_REQUIRED_RGS = "RGS**"
    response = edge.session("valid_non_rgs").get(edge.url + PATH, timeout=20)
    assert response.status_code == 403
    assert "RGS**" in response.text


def test_it_asks_which_account_when_the_certificate_is_shared(edge, accounts):
    browser = edge.session("valid_non_rgs")
    page = browser.get(edge.url + PATH, timeout=20)
    assert page.status_code == 200
    assert "plusieurs comptes" in page.text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    data = {"csrfmiddlewaretoken": token, "login": accounts.carol.email, "password": "faux", "next": "/"}
    headers = {"Referer": edge.url + PATH}
    refused = browser.post(edge.url + PATH, data=data, headers=headers, timeout=20)
    assert "incorrect" in refused.text
    data["password"] = accounts.password
    response = browser.post(edge.url + PATH, data=data, headers=headers, allow_redirects=False, timeout=20)
    assert response.status_code == 302
    assert "Se déconnecter" in browser.get(edge.url + "/", timeout=20).text
