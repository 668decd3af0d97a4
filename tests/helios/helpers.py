"""Shared pieces of the HELIOS tests (models, services, tasks, APIs): PES builders, a fake DGFiP."""

import hashlib
from pathlib import Path

from django.test import override_settings

from bouquet.core.audit import Actor
from bouquet.core.choices import Access, ModuleCode, Role
from bouquet.helios.models import HeliosParameters
from bouquet.helios.services.upload_pes import upload_pes
from bouquet.helios.transport import TransportError
from bouquet.test import BaseTestCase, make_user

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pes"
S2LOW = FIXTURES / "s2low/test/PHPUnit/helios/fixtures"
#: SIRET of ``pes()`` by default (Luhn-valid, starts with authority A's SIREN 210100012).
SIRET_A = "21010001200011"
SIRET_B = "21020001000014"

_TEMPLATE = (S2LOW / "pes_aller.xml").read_bytes()


def pes(
    nom_fic: str = "PES-A-0001",
    *,
    cod_col: str = "400",
    id_coll: str = SIRET_A,
    id_post: str = "034000",
    cod_bud: str = "01",
    extra_header: bytes = b"",
    encoding: bytes = b"ISO-8859-1",
) -> bytes:
    """A small valid PES_Aller (S²LOW's ``pes_aller.xml``) with the given identity."""
    data = _TEMPLATE
    for old, new in (
        (b'<NomFic V="03f432a4f6d35110bf309fb525eb61f7"/>', f'<NomFic V="{nom_fic}"/>'.encode()),
        (b'<IdColl V="12345678912345"/>', f'<IdColl V="{id_coll}"/>'.encode()),
        (b'<CodCol V="400"/>', f'<CodCol V="{cod_col}"/>'.encode()),
        (b'<IdPost V="034000"/>', f'<IdPost V="{id_post}"/>'.encode()),
        (b'<CodBud V="01"/>', f'<CodBud V="{cod_bud}"/>'.encode()),
        (b'<LibelleColBud V="COMMUNE"/>', b'<LibelleColBud V="COMMUNE"/>' + extra_header),
        (b'encoding="ISO-8859-1"', b'encoding="' + encoding + b'"'),
    ):
        assert old in data
        data = data.replace(old, new, 1)
    return data


def acquit(
    nom_fic: str, *, cod_col: str = "400", ok: bool = True, id_post: str = "034000", errors=()
) -> bytes:
    """A PES_ACQUIT answering ``nom_fic`` (schema-valid), one bordereau element plus one PJ."""
    erreurs = "".join(
        f'<Erreur><NumAnoAck V="{code}"/><LibelleAnoAck V="{label}"/></Erreur>' for code, label in errors
    )
    return (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
        '<n:PES_ACQUIT xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour/v2">'
        '<Enveloppe><Parametres><Version V="2"/><TypFic V="PESALR2"/>'
        f'<NomFic V="{nom_fic}"/></Parametres><Emetteur><Sigle V="DGFIP"/><Adresse V="HELIOS"/></Emetteur>'
        '</Enveloppe><EnTetePES><DteStr V="2026-01-15"/>'
        f'<IdPost V="{id_post}"/><IdColl V="{SIRET_A}"/><CodCol V="{cod_col}"/><CodBud V="01"/></EnTetePES>'
        '<ACQUIT><EnTeteAcquit><IdVer V="2"/></EnTeteAcquit>'
        f'<ElementACQUIT><DomaineAck V="5"/><EtatAck V="{1 if ok else 0}"/>'
        f'<NumBord V="1093357"/><ExerciceBord V="2009"/>{erreurs}</ElementACQUIT>'
        '<ElementACQUIT><DomaineAck V="4"/><EtatAck V="1"/><IdUnique V="PJ1"/></ElementACQUIT>'
        "</ACQUIT></n:PES_ACQUIT>\n"
    ).encode("iso-8859-1")


def retour(id_coll: str, *, nom_fic: str = "RETOUR-0001", cod_coll: str = "221") -> bytes:
    """A PES_Retour (S²LOW's ``pes_retour.xml``) for the SIRET ``id_coll``."""
    data = (S2LOW / "pes_retour.xml").read_bytes()
    data = data.replace(b'<IdColl V="12345678900035"/>', f'<IdColl V="{id_coll}"/>'.encode())
    data = data.replace(b"HELIOS_SIMU_RETOUR_1441716142_2099520055.xml", nom_fic.encode())
    return data.replace(b'<CodColl V="221"/>', f'<CodColl V="{cod_coll}"/>'.encode())


class FakeDgfip:
    """A ``DgfipClient`` that plays a script of send outcomes and serves a scripted ``sortie``."""

    def __init__(self, *outcomes, incoming: dict[str, bytes] | None = None) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[tuple[str, str, str]] = []  # (remote name, sha256, P_MSG)
        self.metas = []
        self.incoming = dict(incoming or {})
        self.processed: list[str] = []
        self.errors: list[tuple[str, str]] = []

    def send(self, data: bytes, *, remote_name: str, meta) -> None:
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if isinstance(outcome, Exception):
            raise outcome
        self.sent.append((remote_name, hashlib.sha256(data).hexdigest(), meta.p_msg))
        self.metas.append(meta)

    def list_incoming(self) -> list[str]:
        return sorted(self.incoming)

    def fetch(self, name: str) -> bytes:
        if name not in self.incoming:
            raise TransportError(f"{name} absent", permanent=False)
        return self.incoming[name]

    def mark_processed(self, name: str) -> None:
        self.processed.append(name)
        self.incoming.pop(name, None)

    def mark_error(self, name: str, reason: str) -> None:
        self.errors.append((name, reason))
        self.incoming.pop(name, None)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class HeliosTestCase(BaseTestCase):
    """BaseTestCase + a P_DEST for both authorities and cecile, CS only (no TT) in authority A.

    Passwords are hashed with MD5 here: argon2 costs seconds per class on a busy machine.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        HeliosParameters.objects.create(authority=cls.authority_a, p_dest="VHPCE11")
        HeliosParameters.objects.create(authority=cls.authority_b, p_dest="VHPCE21")
        cls.cecile = make_user(
            "cecile@a.example.test",
            cls.authority_a,
            Role.AGENT,
            {ModuleCode.HELIOS: (Access.WRITE, True, False)},
        )

    def upload(self, data: bytes | None = None, *, user=None, authority=None, name="pes.xml", **options):
        return upload_pes(
            authority=authority or self.authority_a,
            actor=Actor.of_user(user or self.alice),
            filename=name,
            data=data if data is not None else pes(),
            **options,
        )


def demo_signer(name: str = "valid_rgs"):
    """A ``TestSigner`` holding the key and certificate of a demo PKI user (``valid_rgs``, ``expired``…)."""
    from cryptography import x509

    from bouquet.pki.testing import demo_pki_for_tests

    from .pes.signing import TestSigner

    files = demo_pki_for_tests().users[name]
    cert_pem = files.cert.read_bytes()
    return TestSigner(files.key.read_bytes(), cert_pem, x509.load_pem_x509_certificate(cert_pem))


def signed_pes(nom_fic: str = "PES-SIGNED", signer=None, **options) -> bytes:
    """``pes()`` with its bordereau signed Hélios-style (XAdES 1.1.1, policy of the DGFiP)."""
    from .pes.signing import sign_bordereaux

    return sign_bordereaux(pes(nom_fic, **options), signer or demo_signer(), method="ecdsa-sha256")
