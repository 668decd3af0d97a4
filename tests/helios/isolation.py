"""HELIOS pages in the tenant-isolation walk (tests/test_tenant_isolation.py): objects of authority B."""

from bouquet.helios.choices import DocumentKind, IncomingKind, IncomingState, Status
from bouquet.helios.models import Acquit, AcquitElement, IncomingFile, Retour, Transaction, TransactionHistory
from bouquet.helios.storage import store

OBJECT_URLS = {
    "helios:detail": lambda t: {"pk": t.pages_helios_tx_b.pk},
    "helios:pes": lambda t: {"pk": t.pages_helios_tx_b.pk},
    "helios:acquit": lambda t: {"pk": t.pages_helios_tx_b.pk, "acquit_id": t.pages_helios_acquit_b.pk},
    "helios:transmit": lambda t: {"pk": t.pages_helios_waiting_b.pk},
    "helios:cancel": lambda t: {"pk": t.pages_helios_waiting_b.pk},
    "helios:sign": lambda t: {"pk": t.pages_helios_waiting_b.pk},
    "helios:retour": lambda t: {"pk": t.pages_helios_retour_b.pk},
    "helios:operator_detail": lambda t: {"pk": t.pages_helios_tx_b.pk},
    "helios:operator_set_error": lambda t: {"pk": t.pages_helios_tx_b.pk},
    "helios:operator_rollback": lambda t: {"pk": t.pages_helios_tx_b.pk},
    "helios:operator_assign": lambda t: {"pk": t.pages_helios_incoming_b.pk},
}


def _transaction(cls, status: int, nom_fic: str, data: bytes) -> Transaction:
    stored = store(data)
    transaction = Transaction.objects.create(
        authority=cls.authority_b,
        status=status,
        kind=DocumentKind.PES_ALLER,
        filename=f"{nom_fic}.xml",
        file=stored,
        sha256=stored.sha256,
        size=stored.size,
        nom_fic=nom_fic,
        cod_col="456",
        id_coll=cls.siret_b.siret,
        created_by=cls.charlie,
    )
    TransactionHistory.objects.create(transaction=transaction, status=status, message="Isolation")
    return transaction


def objects_for_b(cls) -> None:
    """A flow of B with its acquittement, one waiting for a TT agent, a retour, an unassigned file."""
    cls.pages_helios_tx_b = _transaction(cls, Status.INFORMATION_DISPONIBLE, "ISOLATION_B_1", b"<pes b='1'/>")
    cls.pages_helios_waiting_b = _transaction(
        cls, Status.EN_ATTENTE_TELETRANSMISSION, "ISOLATION_B_2", b"<pes b='2'/>"
    )
    cls.pages_helios_acquit_b = Acquit.objects.create(
        authority=cls.authority_b,
        transaction=cls.pages_helios_tx_b,
        file=store(b"<acquit b='1'/>"),
        filename="ACQUIT_ISOLATION_B_1.xml",
        root="PES_ACQUIT",
        nom_fic="ISOLATION_B_1",
        all_accepted=True,
    )
    AcquitElement.objects.create(
        acquit=cls.pages_helios_acquit_b, position=1, domain="5", domain_label="dépense", accepted=True
    )
    stored = store(b"<retour b='1'/>")
    cls.pages_helios_retour_b = Retour.objects.create(
        authority=cls.authority_b,
        siret=cls.siret_b.siret,
        filename="PES_Retour_B.xml",
        file=stored,
        size=stored.size,
        sha256=stored.sha256,
    )
    stored = store(b"<retour b='2'/>")
    cls.pages_helios_incoming_b = IncomingFile.objects.create(
        name="PES_Retour_B_unassigned.xml",
        sha256=stored.sha256,
        size=stored.size,
        file=stored,
        kind=IncomingKind.RETOUR,
        state=IncomingState.UNASSIGNED,
        siret=cls.siret_b.siret,
        authority=cls.authority_b,
    )
