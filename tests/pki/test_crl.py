import shutil

import pytest
from django.test import override_settings

from bouquet.pki.errors import CrlError
from bouquet.pki.models import CrlCache, CrlSource
from bouquet.pki.services import add_trusted_ca
from bouquet.pki.trust import clear_cache, load_crl, sync_crl_dir
from bouquet.pki.validation import validate_certificate


@pytest.fixture
def trusted_without_crl(db, demo_pki):
    add_trusted_ca(data=demo_pki.root_cert.read_bytes())
    add_trusted_ca(data=demo_pki.intermediate_cert.read_bytes())
    clear_cache()
    return demo_pki


def test_it_loads_a_crl_dropped_in_the_offline_folder(trusted_without_crl, tmp_path):
    demo = trusted_without_crl
    revoked = demo.users["revoked"].cert.read_bytes()
    with override_settings(PKI_CRL_DIR=tmp_path):
        assert validate_certificate(revoked).code == "no_revocation_info"
        shutil.copyfile(demo.crl_pem, tmp_path / "ac-agents.pem")
        assert validate_certificate(revoked).code == "revoked"
    entry = CrlCache.objects.get()
    assert (entry.source, entry.revoked_count) == (CrlSource.FILE, 1)
    assert "AC Agents" in entry.issuer_name


def test_it_does_not_reread_an_unchanged_folder(trusted_without_crl, tmp_path):
    shutil.copyfile(trusted_without_crl.crl_der, tmp_path / "ac-agents.crl")
    assert sync_crl_dir(tmp_path) == 1
    assert sync_crl_dir(tmp_path) == 0


def test_it_ignores_a_crl_from_an_unknown_issuer(db, demo_pki, tmp_path):
    shutil.copyfile(demo_pki.crl_der, tmp_path / "ac-agents.crl")
    assert sync_crl_dir(tmp_path) == 0
    with pytest.raises(CrlError, match="absente du magasin de confiance"):
        load_crl(demo_pki.crl_der.read_bytes())


def test_it_rejects_an_unreadable_crl(db):
    with pytest.raises(CrlError, match="illisible"):
        load_crl(b"junk")


def test_it_keeps_one_crl_per_issuer(trusted_without_crl):
    load_crl(trusted_without_crl.crl_der.read_bytes())
    load_crl(trusted_without_crl.crl_pem.read_bytes())
    assert CrlCache.objects.count() == 1
