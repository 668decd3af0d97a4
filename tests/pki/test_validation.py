from datetime import timedelta

from django.utils import timezone

from bouquet.pki.models import RgsPolicy
from bouquet.pki.validation import validate_certificate


def der(demo, name: str) -> bytes:
    return demo.users[name].cert.read_bytes()


def test_it_accepts_a_valid_rgs_certificate(trusted_pki):
    result = validate_certificate(der(trusted_pki, "valid_rgs"), required_rgs="RGS**")
    assert (result.ok, result.code, result.rgs_level, result.reason) == (True, "ok", "RGS**", "")
    assert len(result.fingerprint_sha256) == 64


def test_it_rejects_an_expired_certificate_with_its_date(trusted_pki):
    result = validate_certificate(der(trusted_pki, "expired"))
    assert (result.ok, result.code) == (False, "expired")
    assert result.reason.startswith("Votre certificat a expiré le ")
    assert result.reason[-11:-1].count("/") == 2


def test_it_rejects_a_certificate_not_yet_valid(trusted_pki):
    result = validate_certificate(der(trusted_pki, "valid_rgs"), moment=timezone.now() - timedelta(days=30))
    assert result.code == "not_yet_valid"
    assert "à partir du" in result.reason


def test_it_rejects_a_revoked_certificate(trusted_pki):
    result = validate_certificate(der(trusted_pki, "revoked"))
    assert (result.ok, result.code) == (False, "revoked")
    assert "révoqué" in result.reason


def test_it_rejects_a_certificate_from_an_unknown_ca(trusted_pki):
    result = validate_certificate(der(trusted_pki, "unknown_ca"))
    assert (result.ok, result.code) == (False, "untrusted")


def test_it_requires_the_rgs_level(trusted_pki):
    result = validate_certificate(der(trusted_pki, "valid_non_rgs"), required_rgs="RGS**")
    assert (result.ok, result.code, result.rgs_level) == (False, "rgs_required", "")
    assert "RGS**" in result.reason
    assert validate_certificate(der(trusted_pki, "valid_non_rgs")).ok


def test_it_takes_a_higher_level_requirement_into_account(trusted_pki):
    result = validate_certificate(der(trusted_pki, "valid_rgs"), required_rgs="RGS***")
    assert result.code == "rgs_required"
    assert "le vôtre est de niveau RGS**" in result.reason


def test_it_sees_an_edit_of_the_rgs_table(trusted_pki):
    RgsPolicy.objects.filter(oid="1.2.250.1.999.1.2").update(level="RGS***", updated_at=timezone.now())
    assert validate_certificate(der(trusted_pki, "valid_rgs")).rgs_level == "RGS***"


def test_it_reports_garbage_as_malformed(db):
    result = validate_certificate(b"not a certificate")
    assert (result.ok, result.code, result.fingerprint_sha256) == (False, "malformed", "")
    assert result.reason.startswith("Fichier de certificat illisible")


def test_it_needs_revocation_information(db, demo_pki):
    from bouquet.pki.services import add_trusted_ca

    add_trusted_ca(data=demo_pki.root_cert.read_bytes())
    add_trusted_ca(data=demo_pki.intermediate_cert.read_bytes())
    result = validate_certificate(der(demo_pki, "valid_rgs"))
    assert result.code == "no_revocation_info"


def test_it_trusts_nothing_without_a_trust_store(db, demo_pki):
    assert validate_certificate(der(demo_pki, "valid_rgs")).code == "untrusted"


def test_it_ignores_an_inactive_ca(trusted_pki):
    from bouquet.pki.models import TrustedCA

    for ca in TrustedCA.objects.all():
        ca.is_active = False
        ca.save()
    assert validate_certificate(der(trusted_pki, "valid_rgs")).code == "untrusted"


def test_it_accepts_the_chain_sent_by_the_client(trusted_pki):
    from bouquet.pki.models import TrustedCA

    intermediate = TrustedCA.objects.get(name__contains="AC Agents")
    intermediate.is_active = False
    intermediate.save()
    assert validate_certificate(der(trusted_pki, "valid_rgs")).code == "untrusted"
    chain = [trusted_pki.intermediate_cert.read_bytes()]
    assert validate_certificate(der(trusted_pki, "valid_rgs"), intermediates=chain).ok
