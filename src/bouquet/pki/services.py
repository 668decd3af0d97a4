"""Use cases of the certificates part: import a certificate, bind it, trust a CA."""

from collections.abc import Iterable

from cryptography import x509
from django.db import transaction

from bouquet.core.audit import Actor, record
from bouquet.pki.errors import CertificateError
from bouquet.pki.models import Certificate, CertificateBinding, RgsPolicy, TrustedCA
from bouquet.pki.x509 import parse_certificate

__all__ = ["add_trusted_ca", "as_actor", "bind_certificate", "import_certificate"]


def as_actor(actor) -> Actor:
    """Accept an ``Actor``, a user, or None (the system)."""
    if isinstance(actor, Actor):
        return actor
    return Actor.of_user(actor) if actor is not None else Actor.system()


def import_certificate(
    *,
    data: bytes,
    password: bytes | None = None,
    actor,
    holder_name: str = "",
    bind_to: Iterable | None = None,
) -> Certificate:
    """Register a certificate (PEM, DER or PKCS#12); idempotent on its SHA-256 fingerprint.

    :param bind_to: users (or one user) allowed to log in with it; added to existing bindings.
    :raises CertificateError: unreadable data.
    """
    parsed = parse_certificate(data, password)
    table = dict(RgsPolicy.objects.values_list("oid", "level"))
    with transaction.atomic():
        cert, created = Certificate.objects.get_or_create(
            fingerprint_sha256=parsed.fingerprint_sha256,
            defaults={
                "fingerprint_sha1": parsed.fingerprint_sha1, "subject": parsed.subject,
                "common_name": parsed.common_name, "email": parsed.email, "issuer": parsed.issuer,
                "serial_hex": parsed.serial_hex,
                "not_before": parsed.not_before, "not_after": parsed.not_after,
                "key_usage": list(parsed.key_usage), "policy_oids": list(parsed.policy_oids),
                "rgs_level": parsed.rgs_level(table), "qualified": parsed.qualified, "der": parsed.der,
                "holder_name": holder_name or parsed.common_name,
            },
        )  # fmt: skip
        if created:
            record(
                actor=as_actor(actor), action="certificate.import", obj=cert,
                details={
                    "fingerprint": cert.fingerprint_sha256, "subject": cert.subject, "rgs": cert.rgs_level,
                },
            )  # fmt: skip
        for user in _users(bind_to):
            bind_certificate(certificate=cert, user=user, actor=actor)
    return cert


def _users(bind_to) -> list:
    if bind_to is None:
        return []
    return list(bind_to) if isinstance(bind_to, Iterable) else [bind_to]


def bind_certificate(*, certificate: Certificate, user, actor) -> CertificateBinding:
    """Allow ``user`` to log in with ``certificate`` (idempotent; journaled once).

    :raises CertificateError: the certificate is restricted to one account and serves another.
    """
    with transaction.atomic():
        if certificate.restricted and certificate.users.exclude(pk=user.pk).exists():
            raise CertificateError(
                "Ce certificat est limité à un seul compte et il est déjà rattaché à un autre compte."
            )
        binding, created = CertificateBinding.objects.get_or_create(certificate=certificate, user=user)
        if created:
            record(
                actor=as_actor(actor), action="certificate.bind", obj=certificate,
                details={"fingerprint": certificate.fingerprint_sha256, "user": user.email},
            )  # fmt: skip
    return binding


def add_trusted_ca(*, data: bytes, name: str = "", crl_url: str = "", actor=None) -> TrustedCA:
    """Add (or reactivate) a CA certificate in the operator's trust store.

    :raises CertificateError: unreadable, or not a CA certificate.
    """
    parsed = parse_certificate(data)
    cert = x509.load_der_x509_certificate(parsed.der)
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        raise CertificateError("Ce certificat n'est pas celui d'une autorité de certification.")
    with transaction.atomic():
        ca, created = TrustedCA.objects.update_or_create(
            fingerprint_sha256=parsed.fingerprint_sha256,
            defaults={
                "name": name or parsed.common_name or parsed.subject, "der": parsed.der,
                "subject": parsed.subject, "not_after": parsed.not_after, "is_active": True,
                **({"crl_url": crl_url} if crl_url else {}),
            },
        )  # fmt: skip
        if created:
            record(actor=as_actor(actor), action="trusted_ca.add", obj=ca, details={"subject": ca.subject})
    return ca
