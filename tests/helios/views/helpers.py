"""Shared pieces of the HELIOS page tests: PES files, a deposit, its acquittement, retours."""

from pathlib import Path

from bouquet.core.audit import Actor
from bouquet.helios import workflow
from bouquet.helios.choices import IncomingState, Status
from bouquet.helios.models import Acquit, HeliosParameters, IncomingFile, Retour, Transaction
from bouquet.helios.services import upload_pes
from bouquet.helios.services.apply_incoming_file import apply_incoming_file
from bouquet.test import BaseTestCase

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pes"
S2LOW = FIXTURES / "s2low/test/PHPUnit/helios/fixtures"
#: A real flow signed with LiberSign: one signed bordereau, two attachments.
GLANEUR = FIXTURES / "pastell/test/PHPUnit/connecteur/glaneur-local/fixtures"
SIGNED = GLANEUR / "pes_depot_vrac/PESALR2_49101169800000_171227_2045.xml"
SIRET_A = "21010001200017"
SIRET_B = "21020001000014"


def pes(
    nom_fic: str = "PES_A_0001",
    *,
    id_coll: str = SIRET_A,
    cod_col: str = "123",
    source: str = "pes_aller_ok.xml",
) -> bytes:
    """The S²LOW sample PES_Aller with another NomFic (and SIRET, CodCol): a new file for the platform."""
    data = (S2LOW / source).read_bytes()
    return (
        data.replace(b'<NomFic V="03f432a4f6d35110bf309fb525eb61f7"/>', f'<NomFic V="{nom_fic}"/>'.encode())
        .replace(b'<IdColl V="12345678912345"/>', f'<IdColl V="{id_coll}"/>'.encode())
        .replace(b'<CodCol V="123"/>', f'<CodCol V="{cod_col}"/>'.encode())
    )


def acquit_xml(nom_fic: str, *, cod_col: str = "123", ok: bool = True) -> bytes:
    """A PES_ACQUIT answering ``nom_fic``: the bordereau accepted, or refused with an anomaly."""
    error = (
        ""
        if ok
        else '<Erreur><NumAnoAck V="ERREUR_SIRET"/><LibelleAnoAck V="SIRET inconnu d\'Helios"/></Erreur>'
    )
    return f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<n:PES_ACQUIT xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour/v2">
<Enveloppe><Parametres><Version V="2"/><TypFic V="PESALR2"/><NomFic V="{nom_fic}"/></Parametres>
<Emetteur><Sigle V="HELIOS"/></Emetteur></Enveloppe>
<EnTetePES><DteStr V="2025-03-10"/><IdPost V="034000"/><IdColl V="{SIRET_A}"/>
<CodCol V="{cod_col}"/><CodBud V="12"/></EnTetePES>
<ACQUIT><EnTeteAcquit><IdVer V="2"/></EnTeteAcquit>
<ElementACQUIT><DomaineAck V="5"/><EtatAck V="{1 if ok else 0}"/>
<NumBord V="12345"/><ExerciceBord V="2009"/>{error}</ElementACQUIT>
</ACQUIT></n:PES_ACQUIT>""".encode("iso-8859-1")


class HeliosViewTestCase(BaseTestCase):
    """BaseTestCase, with a "site destinataire" for A and B and a CS-only agent in A (cecile)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from bouquet.core.choices import Access, ModuleCode, Role
        from bouquet.test import make_user

        for authority in (cls.authority_a, cls.authority_b):
            HeliosParameters.objects.create(authority=authority, p_dest="VHPCE11")
        cls.cecile = make_user(
            "cecile@a.example.test",
            cls.authority_a,
            Role.AGENT,
            {ModuleCode.HELIOS: (Access.WRITE, True, False)},
        )

    def deposit(self, nom_fic: str = "PES_A_0001", *, authority=None, user=None, **options) -> Transaction:
        """A PES deposited through the upload service (status 1 for a TT user, 14 for a CS-only one)."""
        authority = authority or self.authority_a
        user = user or (self.alice if authority == self.authority_a else self.charlie)
        siret = SIRET_A if authority == self.authority_a else SIRET_B
        return upload_pes(
            authority=authority,
            actor=Actor.of_user(user),
            filename=f"{nom_fic}.xml",
            data=pes(nom_fic, id_coll=siret, cod_col=options.pop("cod_col", "123")),
            **options,
        )

    def transmitted(self, nom_fic: str = "PES_A_0001", **options) -> Transaction:
        """Deposited, checked and sent (status 3), as the workers would."""
        transaction = self.deposit(nom_fic, **options)
        system = Actor.system("test")
        workflow.change_status(transaction, workflow.Event.CHECK_OK, message="Fichier valide", actor=system)
        workflow.change_status(
            transaction,
            workflow.Event.SEND_OK,
            message="Transmis",
            actor=system,
            transmitted_name=f"PESALR2_{transaction.authority.siren}_250310_{transaction.pk:03d}.xml",
        )
        return transaction

    def acknowledged(
        self, nom_fic: str = "PES_A_0001", *, ok: bool = True, **options
    ) -> tuple[Transaction, Acquit]:
        """Transmitted, then its PES_ACQUIT arrived through the reception service (status 8)."""
        transaction = self.transmitted(nom_fic, **options)
        result = apply_incoming_file(
            name=f"ACQUIT_{transaction.transmitted_name}", data=acquit_xml(nom_fic, ok=ok)
        )
        self.assertEqual(result.file.state, IncomingState.APPLIED, result.file.reason)
        transaction.refresh_from_db()
        return transaction, transaction.acquits.get()

    def retour(self, siret: str = SIRET_A, name: str = "PES_Retour_A.xml") -> Retour:
        """A PES_Retour for ``siret`` received from the DGFiP (routed by the SIRET table)."""
        data = retour_xml(siret, comment=name)
        result = apply_incoming_file(name=name, data=data)
        self.assertEqual(result.file.state, IncomingState.APPLIED, result.file.reason)
        return result.file.retour

    def unassigned(self, name: str = "PES_Retour_X.xml", siret: str = "99999999900019") -> IncomingFile:
        """A PES_Retour whose SIRET no member sent: left for operator staff."""
        result = apply_incoming_file(name=name, data=retour_xml(siret, comment=name))
        self.assertEqual(result.file.state, IncomingState.UNASSIGNED, result.file.reason)
        return result.file


def retour_xml(siret: str, *, comment: str = "") -> bytes:
    """The S²LOW sample PES_Retour, for ``siret`` (a comment after the root makes the bytes unique)."""
    data = (S2LOW / "pes_retour.xml").read_bytes()
    data = data.replace(b'<IdColl V="12345678900035"/>', f'<IdColl V="{siret}"/>'.encode())
    return data + f"<!-- {comment} -->\n".encode() if comment else data


__all__ = [
    "S2LOW",
    "SIGNED",
    "SIRET_A",
    "SIRET_B",
    "HeliosViewTestCase",
    "Status",
    "acquit_xml",
    "pes",
    "retour_xml",
]
