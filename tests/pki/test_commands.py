from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bouquet.core.models import User
from bouquet.pki.models import Certificate, CrlCache, TrustedCA


def run(*args) -> str:
    out = StringIO()
    call_command("pki", *args, stdout=out)
    return out.getvalue()


def test_it_installs_the_demo_pki(db, tmp_path):
    output = run("demo", "--dir", str(tmp_path))
    assert "bouquet-demo" in output
    assert TrustedCA.objects.count() == 2
    assert CrlCache.objects.count() == 1
    assert Certificate.objects.count() == 5
    assert (tmp_path / "valid_rgs.p12").exists()
    run("demo", "--dir", str(tmp_path))
    assert Certificate.objects.count() == 5


def test_it_checks_a_certificate(db, tmp_path):
    run("demo", "--dir", str(tmp_path))
    assert "Certificat accepté" in run("check", str(tmp_path / "valid_rgs.pem"), "--rgs", "RGS**")
    with pytest.raises(CommandError, match="révoqué"):
        run("check", str(tmp_path / "revoked.pem"))


def test_it_imports_a_pkcs12_and_loads_a_crl(db, demo_pki):
    from bouquet.pki.services import add_trusted_ca

    output = run("import", str(demo_pki.users["valid_rgs"].p12), "--password", demo_pki.password.decode())
    assert "RGS**" in output
    with pytest.raises(CommandError, match="magasin de confiance"):
        run("load-crl", str(demo_pki.crl_der))
    add_trusted_ca(data=demo_pki.intermediate_cert.read_bytes())
    assert "1 révocation" in run("load-crl", str(demo_pki.crl_der))


def test_it_runs_the_alerts(db):
    assert "0 alerte" in run("alerts")


def test_it_binds_the_demo_accounts(db):
    from bouquet.core.demo import load as load_core
    from bouquet.pki.demo import load

    load_core()
    lines = load()
    assert any("bouquet-demo" in line for line in lines)
    shared = Certificate.objects.get(email="secretaire.vitteaux@demo.bouquet.test")
    assert sorted(u.email for u in shared.accounts()) == [
        "secretaire.vitteaux@demo.bouquet.test",
        "secretariat.sivos@demo.bouquet.test",
    ]
    assert (
        User.objects.get(email="dgs.ccvti@demo.bouquet.test").certificates.get().common_name
        == "Thomas Moreau"
    )
    load()
    assert shared.bindings.count() == 2


def test_it_adds_a_trusted_ca(db, demo_pki):
    output = run(
        "add-ca", str(demo_pki.root_cert), "--name", "Racine", "--crl-url", "http://crl.example.test/r.crl"
    )
    assert "Racine" in output
    assert TrustedCA.objects.get().crl_url == "http://crl.example.test/r.crl"
