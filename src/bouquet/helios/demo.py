"""Demo data for `bouquet demo`: Hélios parameters for every HELIOS member, and a few PES of Beaune.

Idempotent: parameters are keyed by authority, transactions by (NomFic, CodCol), received files by
(name, content). Beaune gets a PES acquitted, one partly refused by the DGFiP, one waiting for a TT
agent, one transmitted and still waiting for its acquittement, one in error, and an unread PES
Retour; operator staff get a PES Retour whose SIRET no member sent (to assign).
"""

import datetime as dt

from django.db import transaction as db
from django.utils import timezone

from bouquet.core.audit import Actor
from bouquet.core.demo import siren_from_stem
from bouquet.core.models import Authority, Siret
from bouquet.core.validators import luhn_ok
from bouquet.helios import workflow
from bouquet.helios.choices import SendState, Status
from bouquet.helios.models import HeliosParameters, IncomingFile, Retour, Transaction
from bouquet.helios.services.apply_incoming_file import apply_incoming_file
from bouquet.helios.services.preflight import preflight
from bouquet.helios.services.send_transaction import allocate_name
from bouquet.helios.storage import store
from bouquet.simulators.dgfip.documents import AckItem, Identity, acquit_xml, retour_xml

__all__ = ["demo_pes", "load"]

ACTOR = Actor.system("données de démonstration")
BEAUNE_SIREN_STEM = "21210054"  # bouquet.core.demo.AUTHORITIES
#: The "site destinataire" of the demo Trésoreries (the simulator accepts any).
P_DEST = "VHPCE21"
ID_POST = "021011"
COD_COL = "054"
#: A SIRET no demo member ever sent: its PES Retour waits for operator staff.
STRANGER_SIRET_STEM = "2121099900001"

# (NomFic, CodBud, object, target status, acquit errors)
BEAUNE_PES = [
    ("BEAUNE-2026-BP-0001", "01", "Budget primitif 2026 : mandats", Status.INFORMATION_DISPONIBLE, []),
    (
        "BEAUNE-2026-MDT-0014",
        "01",
        "Mandats de la semaine 10",
        Status.INFORMATION_DISPONIBLE,
        [("ERREUR_DOUBLON_PIECE", "La pièce 3 du bordereau 14 a déjà été transmise.")],
    ),
    ("BEAUNE-2026-MDT-0015", "01", "Mandats de la semaine 11", Status.EN_ATTENTE_TELETRANSMISSION, None),
    ("BEAUNE-2026-TIT-0007", "02", "Titres de recettes de l'eau", Status.TRANSMIS, None),
    ("BEAUNE-2026-MDT-0009", "01", "Mandats de la semaine 8", Status.ERREUR, None),
]


def siret_of(siren: str, establishment: str = "0001") -> str:
    """A Luhn-valid SIRET: SIREN + establishment number + key digit."""
    stem = siren + establishment
    return next(stem + str(d) for d in range(10) if luhn_ok(stem + str(d)))


def demo_pes(nom_fic: str, *, siret: str, cod_bud: str, label: str, number: int) -> bytes:
    """A small PES_Aller of one dépense bordereau, in ISO-8859-1 as Hélios requires."""
    return f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller" Id="{nom_fic}">
 <Enveloppe>
  <Parametres><Version V="2"/><TypFic V="PESALR2"/><NomFic V="{nom_fic}"/></Parametres>
  <Emetteur><Sigle V="BOUQUET"/><Adresse V="Démonstration"/></Emetteur>
 </Enveloppe>
 <EnTetePES>
  <DteStr V="2026-03-02"/><IdPost V="{ID_POST}"/><IdColl V="{siret}"/><CodCol V="{COD_COL}"/>
  <CodBud V="{cod_bud}"/><LibelleColBud V="COMMUNE DE BEAUNE"/>
 </EnTetePES>
 <PES_DepenseAller>
  <EnTeteDepense><IdVer V="2"/><InfoDematerialisee V="0"/></EnTeteDepense>
  <Bordereau Id="BORD{number}">
   <BlocBordereau><Exer V="2026"/><IdBord V="{number}"/><DteBordEm V="2026-03-02"/><TypBord V="01"/>
    <NbrPce V="1"/><MtCumulAnnuel V="1250.00"/><MtBordHT V="1250.00"/></BlocBordereau>
   <Piece>
    <BlocPiece><InfoPce><IdPce V="1"/><TypPce V="01"/><NatPce V="01"/><Obj V="{label}"/></InfoPce></BlocPiece>
    <LigneDePiece>
     <BlocLignePiece><InfoLignePce><IdLigne V="1"/><Nature V="6068"/><Fonction V="020"/>
      <ModRegl V="03"/><TVAIntraCom V="0"/><MtHT V="1250.00"/></InfoLignePce></BlocLignePiece>
     <Tiers><InfoTiers><RefTiers V="42"/><CatTiers V="01"/><NatJur V="01"/><Nom V="PAPETERIE BEAUNOISE"/>
      </InfoTiers></Tiers>
    </LigneDePiece>
   </Piece>
  </Bordereau>
 </PES_DepenseAller>
</n:PES_Aller>
""".encode("iso-8859-1")


def _acquit(transaction: Transaction, errors: list[tuple[str, str]]) -> bytes:
    identity = Identity(
        nom_fic=transaction.nom_fic,
        dte_str="2026-03-03",
        id_post=transaction.id_post,
        id_coll=transaction.id_coll,
        cod_col=transaction.cod_col,
        cod_bud=transaction.cod_bud,
    )
    number = transaction.nom_fic.rsplit("-", 1)[-1].lstrip("0") or "1"
    item = AckItem("5", not errors, number, "2026", errors=tuple(errors))
    return acquit_xml(identity, [item])


def _advance(transaction: Transaction, target: int, errors) -> None:
    if target in (Status.EN_ATTENTE_TELETRANSMISSION, transaction.status):
        return
    workflow.change_status(
        transaction,
        workflow.Event.CHECK_OK,
        message=f"Transaction {transaction.pk} dans la file d'attente",
        actor=ACTOR,
    )
    if target == Status.ERREUR:
        workflow.change_status(
            transaction,
            workflow.Event.SEND_FAILED,
            actor=ACTOR,
            send_state=SendState.FAILED,
            message="Erreur lors de la transmission à la DGFiP : La DGFiP refuse « SITE P_DEST VHPCE99 » "
            "(démonstration)",
        )
        return
    name = allocate_name(transaction, timezone.localdate() - dt.timedelta(days=1))
    workflow.change_status(
        transaction,
        workflow.Event.SEND_OK,
        message=f"Transaction {transaction.pk} transmise au serveur.",
        actor=ACTOR,
        transmitted_name=name,
        send_state=SendState.SENT,
        sent_at=timezone.now(),
        send_attempts=1,
    )
    if target == Status.INFORMATION_DISPONIBLE:
        apply_incoming_file(name=f"ACQUIT_{name}", data=_acquit(transaction, errors))


def _demo_transaction(authority, siret: str, number: int, row) -> None:
    nom_fic, cod_bud, label, target, errors = row
    if Transaction.objects.filter(nom_fic=nom_fic, cod_col=COD_COL).exists():
        return
    data = demo_pes(nom_fic, siret=siret, cod_bud=cod_bud, label=label, number=number)
    report = preflight(
        data, filename=f"{nom_fic}.xml", is_known=lambda *_: False, is_duplicate=lambda _: False
    )
    stored = store(data)
    waiting = target == Status.EN_ATTENTE_TELETRANSMISSION
    doc = report.document
    transaction = workflow.create_transaction(
        actor=ACTOR,
        status=Status.EN_ATTENTE_TELETRANSMISSION if waiting else Status.POSTE,
        message="Fichier en attente d'être télétransmis"
        if waiting
        else "Fichier bien reçu par la plate-forme",
        authority=authority,
        filename=f"{nom_fic}.xml",
        file=stored,
        sha256=stored.sha256,
        size=stored.size,
        nom_fic=nom_fic,
        cod_col=COD_COL,
        id_coll=siret,
        id_post=ID_POST,
        cod_bud=cod_bud,
        typ_fic=doc.envelope.typ_fic or "",
        libelle_col_bud=doc.header.libelle_col_bud or "",
        intake_report=report.as_json(),
    )
    _advance(transaction, target, errors or [])


def _retours(beaune, siret: str) -> None:
    when = dt.datetime(2026, 3, 4, 7, 30)
    data = retour_xml(
        nom_fic="PES2R_DEP_BEAUNE_DEMO.xml", id_coll=siret, cod_col=COD_COL, id_post=ID_POST, when=when
    )
    if not Retour.objects.filter(authority=beaune, filename="PES2R_DEP_BEAUNE_DEMO.xml").exists():
        apply_incoming_file(name="PES2R_DEP_BEAUNE_DEMO.xml", data=data)
    stranger = next(STRANGER_SIRET_STEM + str(d) for d in range(10) if luhn_ok(STRANGER_SIRET_STEM + str(d)))
    data = retour_xml(nom_fic="PES2R_DEP_INCONNU_DEMO.xml", id_coll=stranger, cod_col="999", when=when)
    if not IncomingFile.objects.filter(name="PES2R_DEP_INCONNU_DEMO.xml").exists():
        apply_incoming_file(name="PES2R_DEP_INCONNU_DEMO.xml", data=data)


@db.atomic
def load() -> list[str]:
    """Give every HELIOS subscriber its P_DEST, and Beaune a few PES in several statuses."""
    authorities = Authority.objects.filter(subscriptions__module__code="HELIOS").distinct()
    for authority in authorities:
        parameters, _ = HeliosParameters.objects.get_or_create(authority=authority)
        if not parameters.p_dest:
            parameters.p_dest = P_DEST
            parameters.save(update_fields=["p_dest", "updated_at"])
    beaune = authorities.filter(siren=siren_from_stem(BEAUNE_SIREN_STEM)).first()
    lines = [f"HELIOS : site destinataire {P_DEST} pour {authorities.count()} collectivités"]
    if beaune is not None:
        siret = siret_of(beaune.siren)
        Siret.objects.get_or_create(siret=siret, defaults={"authority": beaune, "label": "Budget principal"})
        for number, row in enumerate(BEAUNE_PES, start=1):
            _demo_transaction(beaune, siret, number, row)
        _retours(beaune, siret)
        count = Transaction.objects.for_tenant(beaune).count()
        lines.append(f"HELIOS : {count} fichiers PES et un PES Retour pour {beaune.name}")
    return lines
