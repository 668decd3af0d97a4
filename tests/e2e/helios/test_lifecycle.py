"""End to end over the real FTP simulator process: a PES from upload to acquittement, a PES the DGFiP
refuses, PES_Retour routed by SIRET or left for operator staff, a duplicate NomFic refused.

The platform is driven only through its services and its worker tasks (``process_posted``,
``send_pending``, ``poll_incoming``); the DGFiP is played by ``python -m bouquet.simulators.dgfip``.
"""

import hashlib

import pytest

from bouquet.helios.choices import IncomingState, Status
from bouquet.helios.errors import HeliosRefusal
from bouquet.helios.models import IncomingFile, Retour, TransactionHistory
from tests.helios.helpers import SIRET_A, pes

pytestmark = pytest.mark.django_db


def statuses(transaction) -> list[int]:
    return list(
        TransactionHistory.objects.filter(transaction=transaction)
        .order_by("id")
        .values_list("status", flat=True)
    )


def test_a_pes_goes_from_upload_to_information_disponible(platform):
    data = pes("E2E-0001")
    transaction = platform.upload(data)
    platform.reach(transaction, Status.INFORMATION_DISPONIBLE)

    assert statuses(transaction) == [Status.POSTE, Status.EN_ATTENTE_TRANSMISSION, Status.TRANSMIS,
                                     Status.INFORMATION_DISPONIBLE]  # fmt: skip
    [received] = platform.dgfip.received()
    assert received["name"] == transaction.transmitted_name
    assert received["name"].startswith(f"PESALR2_{platform.authority.siren}_")
    assert (received["p_dest"], received["p_appli"], received["p_msg"]) == (
        "VHPCE11",
        "GHELPES2",
        "PES#400#034000#01",
    )
    assert received["sha256"] == hashlib.sha256(data).hexdigest() == transaction.sha256  # the bytes received
    assert received["verdict"] == "accepted"
    acquit = transaction.current_acquit
    assert acquit.schema_valid and acquit.all_accepted
    assert [(e.domain, e.accepted) for e in acquit.elements.all()] == [("5", True)]
    assert acquit.filename == f"ACQUIT_{transaction.transmitted_name}"
    assert list(platform.dgfip.root.joinpath("sortie").iterdir()) == []  # taken, then deleted (delete=1)


def test_a_pes_failing_the_dgfip_schema_gets_an_acquit_with_etatack_0(platform):
    # Our intake only warns: the header's schema is one we rebuilt. The DGFiP's check refuses it.
    transaction = platform.upload(pes("E2E-0002", extra_header=b'<Inconnu V="1"/>'))
    assert [i["severity"] for i in transaction.intake_report["items"]] == ["warning"]
    platform.reach(transaction, Status.INFORMATION_DISPONIBLE)
    acquit = transaction.current_acquit
    assert not acquit.all_accepted
    [element] = acquit.elements.all()
    assert (element.domain, element.accepted) == ("0", False)
    assert element.errors[0]["code"] == "ERREUR_AUTRE"
    assert "Inconnu" in element.errors[0]["label"]
    assert "1 élément(s) refusé(s) sur 1" in transaction.history.last().message


def test_a_retour_reaches_the_authority_of_its_siret(platform):
    transaction = platform.upload(pes("E2E-0003", id_coll=SIRET_A))  # records SIRET_A for the authority
    platform.reach(transaction, Status.INFORMATION_DISPONIBLE)
    platform.dgfip.retour(SIRET_A)
    platform.dgfip.retour("99999999900011")
    platform.run_until(lambda: IncomingFile.objects.filter(kind="retour").count() == 2)

    retour = Retour.objects.get()
    assert (retour.authority, retour.siret, retour.is_read) == (platform.authority, SIRET_A, False)
    assert retour.filename.startswith("PES2R_DEP_P_400_")
    assert retour.schema_valid
    unassigned = IncomingFile.objects.get(state=IncomingState.UNASSIGNED)
    assert unassigned.siret == "99999999900011"
    assert "n'est pas abonnée" in unassigned.reason


def test_a_duplicate_nomfic_is_refused_and_never_reaches_the_dgfip(platform):
    first = platform.upload(pes("E2E-0004"))
    platform.reach(first, Status.INFORMATION_DISPONIBLE)
    with pytest.raises(HeliosRefusal) as caught:
        platform.upload(pes("E2E-0004", cod_bud="02"))
    assert caught.value.codes == {"nomfic_codcol_known"}
    platform.step()
    assert len(platform.dgfip.received()) == 1


def test_a_refused_connection_is_retried_until_the_gateway_answers(platform):
    platform.dgfip.faults(refuse_connections=True)
    transaction = platform.upload(pes("E2E-0005"))
    platform.step()
    transaction.refresh_from_db()
    assert (transaction.status, transaction.send_state) == (Status.EN_ATTENTE_TRANSMISSION, "retry")
    assert "Connexion à la DGFiP" in transaction.last_error
    platform.dgfip.faults()
    type(transaction).objects.filter(pk=transaction.pk).update(next_attempt_at=None)  # the back-off elapses
    platform.reach(transaction, Status.INFORMATION_DISPONIBLE)
    assert len(platform.dgfip.received()) == 1
