"""A demonstration and test PKI, built with ``cryptography`` only (no Django).

Root CA → "AC Agents RGS** (démo)" → user certificates, a server certificate for the TLS edge,
a CRL revoking the ``revoked`` user, and a separate untrusted CA. Policy OIDs live under the
``1.2.250.1.999`` arc, which is NOT allocated to anyone: it marks demonstration policies only.
"""

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = [
    "DEMO_RGS_ONE_STAR_OID",
    "DEMO_RGS_TWO_STARS_OID",
    "DEMO_USERS",
    "DemoPki",
    "UserFiles",
    "generate_demo_pki",
]

DEMO_ARC = "1.2.250.1.999"  # demonstration only: never a real certification policy
DEMO_RGS_ONE_STAR_OID = f"{DEMO_ARC}.1.1"
DEMO_RGS_TWO_STARS_OID = f"{DEMO_ARC}.1.2"
_QC_COMPLIANCE_DER = bytes.fromhex("300a3008060604008e460101")  # QCStatements { QcCompliance }
_ANY_POLICY = x509.ObjectIdentifier("2.5.29.32.0")

# name → (common name, e-mail, policy OID or "", signed by the untrusted CA)
DEMO_USERS: dict[str, tuple[str, str, str, bool]] = {
    "valid_rgs": ("Marie Durand", "secretaire.vitteaux@demo.bouquet.test", DEMO_RGS_TWO_STARS_OID, False),
    "valid_non_rgs": ("Lucas Bernard", "agent.beaune@demo.bouquet.test", "", False),
    "expired": ("Nadia Richard", "mairie.nuits@demo.bouquet.test", DEMO_RGS_TWO_STARS_OID, False),
    "revoked": ("Thomas Moreau", "dgs.ccvti@demo.bouquet.test", DEMO_RGS_TWO_STARS_OID, False),
    "unknown_ca": ("Inconnu Intrus", "intrus@exemple.test", DEMO_RGS_TWO_STARS_OID, True),
}


@dataclass(frozen=True)
class UserFiles:
    """One user's certificate (PEM), unencrypted private key (PEM) and PKCS#12 bundle."""

    cert: Path
    key: Path
    p12: Path
    email: str
    common_name: str


@dataclass(frozen=True)
class DemoPki:
    """Paths of the generated files; ``password`` protects every ``.p12``."""

    directory: Path
    root_cert: Path
    root_key: Path
    intermediate_cert: Path
    intermediate_key: Path
    ca_chain: Path
    server_cert: Path
    server_key: Path
    platform_cert: Path  # the platform's own client certificate, presented to the ministry
    platform_key: Path
    crl_der: Path
    crl_pem: Path
    unknown_ca_cert: Path
    password: bytes
    users: dict[str, UserFiles] = field(default_factory=dict)


def generate_demo_pki(
    directory: Path,
    *,
    hostnames: Sequence[str] = ("localhost", "127.0.0.1"),
    password: bytes = b"bouquet-demo",
) -> DemoPki:
    """Write the demo PKI into ``directory``, or reuse it when every file exists and is still valid."""
    directory = Path(directory)
    demo = _layout(directory, password)
    if not _reusable(demo, hostnames):
        _generate(demo, hostnames)
    return demo


def _layout(d: Path, password: bytes) -> DemoPki:
    users = {
        name: UserFiles(d / f"{name}.pem", d / f"{name}.key", d / f"{name}.p12", email, cn)
        for name, (cn, email, _oid, _bad) in DEMO_USERS.items()
    }
    return DemoPki(
        directory=d, root_cert=d / "root.pem", root_key=d / "root.key",
        intermediate_cert=d / "intermediate.pem", intermediate_key=d / "intermediate.key",
        ca_chain=d / "ca-chain.pem", server_cert=d / "server.pem", server_key=d / "server.key",
        platform_cert=d / "platform.pem", platform_key=d / "platform.key",
        crl_der=d / "crl.der", crl_pem=d / "crl.pem", unknown_ca_cert=d / "unknown-ca.pem",
        password=password, users=users,
    )  # fmt: skip


def _reusable(demo: DemoPki, hostnames: Sequence[str]) -> bool:
    """All files present, CAs and valid certificates good for 30 more days, CRL for 7, same hosts."""
    paths = [
        demo.root_cert, demo.intermediate_cert, demo.ca_chain, demo.server_cert, demo.server_key,
        demo.platform_cert, demo.platform_key, demo.crl_der, demo.crl_pem, demo.unknown_ca_cert,
        demo.directory / "hostnames.txt",
    ]  # fmt: skip
    paths += [p for u in demo.users.values() for p in (u.cert, u.key, u.p12)]
    if not all(p.exists() for p in paths):
        return False
    if (demo.directory / "hostnames.txt").read_text().split() != list(hostnames):
        return False
    soon = datetime.now(UTC) + timedelta(days=30)
    for path in (demo.root_cert, demo.intermediate_cert, demo.server_cert, demo.users["valid_rgs"].cert):
        if x509.load_pem_x509_certificate(path.read_bytes()).not_valid_after_utc < soon:
            return False
    crl = x509.load_der_x509_crl(demo.crl_der.read_bytes())
    return crl.next_update_utc is not None and crl.next_update_utc > datetime.now(UTC) + timedelta(days=7)


def _name(cn: str, email: str = "", org: str = "Bouquet (démonstration)") -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ]
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


def _builder(subject: x509.Name, issuer: x509.Name, key, issuer_key, start: datetime, days: int):
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    )


def _key_usage(*, sign: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _ca(cn: str, issuer: tuple | None, start: datetime, path_length: int | None):
    """A CA certificate and key; ``issuer`` is (certificate, key) or None for a self-signed root."""
    key = ec.generate_private_key(ec.SECP256R1())
    issuer_name, issuer_key = (issuer[0].subject, issuer[1]) if issuer else (_name(cn), key)
    builder = _builder(_name(cn), issuer_name, key, issuer_key, start, 3650 if issuer is None else 1825)
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
    builder = builder.add_extension(_key_usage(ca=True), critical=True)
    if issuer is not None:
        any_policy = x509.CertificatePolicies([x509.PolicyInformation(_ANY_POLICY, None)])
        builder = builder.add_extension(any_policy, critical=False)
    return builder.sign(issuer_key, hashes.SHA256()), key


def _leaf(subject: x509.Name, issuer: tuple, start: datetime, days: int, *, eku, sans, policy: str = ""):
    key = ec.generate_private_key(ec.SECP256R1())
    builder = _builder(subject, issuer[0].subject, key, issuer[1], start, days)
    builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    builder = builder.add_extension(_key_usage(sign=True), critical=True)
    builder = builder.add_extension(x509.ExtendedKeyUsage([eku]), critical=False)
    builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if policy:
        builder = builder.add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(policy), None)]), False
        )
        qc = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.5.5.7.1.3"), _QC_COMPLIANCE_DER)
        builder = builder.add_extension(qc, critical=False)
    return builder.sign(issuer[1], hashes.SHA256()), key


def _san(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(key) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write(path: Path, data: bytes, private: bool = False) -> None:
    path.write_bytes(data)
    if private:
        path.chmod(0o600)


def _generate(demo: DemoPki, hostnames: Sequence[str]) -> None:
    demo.directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).replace(microsecond=0)
    start = now - timedelta(days=1)
    root = _ca("Racine Bouquet (démo)", None, start, 1)
    inter = _ca("AC Agents RGS** (démo)", root, start, 0)
    stranger = _ca("AC Inconnue (démo, hors magasin de confiance)", None, start, 0)
    server = _leaf(_name(hostnames[0]), root, start, 825, eku=ExtendedKeyUsageOID.SERVER_AUTH,
                   sans=[_san(h) for h in hostnames])  # fmt: skip
    platform = _leaf(_name("Bouquet, tiers de télétransmission (démo)"), root, start, 825,
                     eku=ExtendedKeyUsageOID.CLIENT_AUTH, sans=[_san(hostnames[0])])  # fmt: skip
    for cert, key, cert_path, key_path in (
        (*root, demo.root_cert, demo.root_key),
        (*inter, demo.intermediate_cert, demo.intermediate_key),
        (*server, demo.server_cert, demo.server_key),
        (*platform, demo.platform_cert, demo.platform_key),
    ):
        _write(cert_path, _pem(cert))
        _write(key_path, _key_pem(key), private=True)
    _write(demo.unknown_ca_cert, _pem(stranger[0]))
    _write(demo.ca_chain, _pem(root[0]) + _pem(inter[0]))
    revoked_serial = 0
    for name, (cn, email, policy, untrusted) in DEMO_USERS.items():
        issuer = stranger if untrusted else inter
        begin, days = (now - timedelta(days=400), 370) if name == "expired" else (start, 730)
        cert, key = _leaf(
            _name(cn, email), issuer, begin, days,
            eku=ExtendedKeyUsageOID.CLIENT_AUTH, sans=[x509.RFC822Name(email)], policy=policy,
        )  # fmt: skip
        files = demo.users[name]
        _write(files.cert, _pem(cert))
        _write(files.key, _key_pem(key), private=True)
        chain = [inter[0], root[0]] if not untrusted else [stranger[0]]
        p12 = pkcs12.serialize_key_and_certificates(
            name.encode(), key, cert, chain, serialization.BestAvailableEncryption(demo.password)
        )
        _write(files.p12, p12, private=True)
        if name == "revoked":
            revoked_serial = cert.serial_number
    _write_crl(demo, inter, revoked_serial, start)
    (demo.directory / "hostnames.txt").write_text("\n".join(hostnames) + "\n")


def _write_crl(demo: DemoPki, issuer: tuple, revoked_serial: int, start: datetime) -> None:
    revoked = (
        x509.RevokedCertificateBuilder()
        .serial_number(revoked_serial)
        .revocation_date(start)
        .add_extension(x509.CRLReason(x509.ReasonFlags.key_compromise), critical=False)
        .build()
    )
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer[0].subject)
        .last_update(start)
        .next_update(start + timedelta(days=366))
        .add_revoked_certificate(revoked)
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer[1].public_key()), False)
        .sign(issuer[1], hashes.SHA256())
    )
    _write(demo.crl_der, crl.public_bytes(serialization.Encoding.DER))
    _write(demo.crl_pem, crl.public_bytes(serialization.Encoding.PEM))
