import pytest

from bouquet.core.audit import Actor, verify_chain
from bouquet.core.models import JournalEntry
from bouquet.pki.errors import CertificateError
from bouquet.pki.models import Certificate, CertificateBinding
from bouquet.pki.services import add_trusted_ca, bind_certificate, import_certificate
from bouquet.pki.testing import demo_pki_for_tests
from bouquet.test import BaseTestCase


class ImportCertificateTestCase(BaseTestCase):
    def setUp(self):
        self.demo = demo_pki_for_tests()

    def test_it_registers_a_pkcs12_and_writes_an_audit_entry(self):
        files = self.demo.users["valid_rgs"]
        cert = import_certificate(
            data=files.p12.read_bytes(),
            password=self.demo.password,
            actor=Actor.of_user(self.olga),
            holder_name="Marie Durand",
            bind_to=[self.alice],
        )
        assert (cert.rgs_level, cert.qualified, cert.email) == ("RGS**", True, files.email)
        assert list(cert.accounts()) == [self.alice]
        entry = JournalEntry.objects.get(action="certificate.import")
        assert (entry.actor_user, entry.object_id) == (self.olga, str(cert.pk))
        assert entry.details["fingerprint"] == cert.fingerprint_sha256
        assert JournalEntry.objects.filter(action="certificate.bind").count() == 1
        assert verify_chain().ok

    def test_it_is_idempotent_on_the_fingerprint(self):
        data = self.demo.users["valid_non_rgs"].cert.read_bytes()
        first = import_certificate(data=data, actor=self.olga, bind_to=self.alice)
        second = import_certificate(data=data, actor=self.olga, bind_to=[self.alice, self.bob])
        assert first.pk == second.pk
        assert Certificate.objects.count() == 1
        assert CertificateBinding.objects.count() == 2
        assert JournalEntry.objects.filter(action="certificate.import").count() == 1
        assert first.rgs_level == ""

    def test_it_lists_only_active_accounts(self):
        cert = import_certificate(data=self.demo.users["valid_rgs"].cert.read_bytes(), actor=None,
                                  bind_to=[self.alice, self.bob])  # fmt: skip
        self.bob.is_active = False
        self.bob.save()
        assert list(cert.accounts()) == [self.alice]
        assert cert.restricted is False

    def test_a_restricted_certificate_serves_one_account_only(self):
        cert = import_certificate(
            data=self.demo.users["valid_rgs"].cert.read_bytes(), actor=None, bind_to=self.alice
        )
        cert.restricted = True
        cert.save()
        bind_certificate(certificate=cert, user=self.alice, actor=None)  # same account: fine
        with pytest.raises(CertificateError, match="limité à un seul compte"):
            bind_certificate(certificate=cert, user=self.bob, actor=None)
        assert list(cert.accounts()) == [self.alice]

    def test_it_refuses_garbage(self):
        with pytest.raises(CertificateError):
            import_certificate(data=b"nope", actor=self.olga)
        assert not JournalEntry.objects.filter(action="certificate.import").exists()

    def test_it_refuses_a_user_certificate_as_a_trusted_ca(self):
        with pytest.raises(CertificateError, match="autorité de certification"):
            add_trusted_ca(data=self.demo.users["valid_rgs"].cert.read_bytes())
