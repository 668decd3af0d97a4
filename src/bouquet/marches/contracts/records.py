"""A contract's essential data as a DECP record (``bouquet.marches.decp.Marche``).

Two steps: :func:`missing_fields` names what the buyer still has to fill (in French, by form
label), then :func:`build_marche` builds the record that the official schemas judge.
"""

from datetime import date
from decimal import Decimal

from bouquet.marches.contracts.models import Contract, ContractModification
from bouquet.marches.decp import LieuExecution, Marche, ModificationMarche, Operateur, decp_threshold

__all__ = ["build_marche", "decp_required", "missing_fields", "modification_record", "threshold_for"]

#: Field → label shown when it is empty (in the order of the form).
REQUIRED = (
    ("decp_id", "identifiant du marché"),
    ("object", "objet"),
    ("cpv", "code CPV principal"),
    ("procedure", "procédure"),
    ("techniques", "techniques d'achat"),
    ("execution_modes", "modalités d'exécution"),
    ("ccag", "CCAG de référence"),
    ("offers_received", "nombre d'offres reçues"),
    ("place_code", "code du lieu d'exécution"),
    ("duration_months", "durée en mois"),
    ("price_types", "types de prix"),
    ("price_form", "forme du prix"),
    ("social_considerations", "considérations sociales"),
    ("environmental_considerations", "considérations environnementales"),
    ("holders", "titulaires"),
)


def missing_fields(contract: Contract) -> list[str]:
    """The labels of the required essential data still empty."""
    return [label for name, label in REQUIRED if getattr(contract, name) in (None, "", [])]


def threshold_for(contract: Contract) -> Decimal | None:
    return decp_threshold(contract.notified_on)


def decp_required(contract: Contract) -> bool:
    """True when the essential data must be published (amount at or above the dated threshold)."""
    threshold = threshold_for(contract)
    return threshold is not None and contract.amount_ht >= threshold


def _operators(holders: list[dict]) -> tuple[Operateur, ...]:
    return tuple(Operateur(h["id"], h.get("type") or "SIRET") for h in holders)


def modification_record(modification: ContractModification, published_on: date) -> ModificationMarche:
    return ModificationMarche(
        id=modification.number,
        date_notification_modification=modification.notified_on,
        date_publication_donnees_modification=published_on,
        duree_mois=modification.duration_months,
        montant=modification.amount_ht,
        titulaires=_operators(modification.holders),
    )


def build_marche(contract: Contract, *, published_on: date, modifications=()) -> Marche:
    """The record of ``contract`` as it would be published on ``published_on``.

    :param modifications: ``ModificationMarche`` records to include (published ones and the one
        being added).
    """
    return Marche(
        id=contract.decp_id,
        acheteur_id=contract.buyer_siret,
        nature=contract.nature,
        objet=contract.object,
        code_cpv=contract.cpv,
        techniques=tuple(contract.techniques),
        modalites_execution=tuple(contract.execution_modes),
        marche_innovant=contract.innovative,
        ccag=contract.ccag,
        offres_recues=contract.offers_received or 0,
        attribution_avance=contract.advance_granted,
        taux_avance=contract.advance_rate if contract.advance_granted else None,
        type_groupement_operateurs=contract.grouping_type,
        procedure=contract.procedure,
        lieu_execution=LieuExecution(contract.place_code, contract.place_code_type),
        duree_mois=contract.duration_months or 0,
        date_notification=contract.notified_on,
        date_publication_donnees=published_on,
        montant=Decimal(contract.amount_ht),
        types_prix=tuple(contract.price_types),
        forme_prix=contract.price_form,
        sous_traitance_declaree=contract.subcontracting_declared,
        titulaires=_operators(contract.holders),
        considerations_sociales=tuple(contract.social_considerations),
        considerations_environnementales=tuple(contract.environmental_considerations),
        id_accord_cadre=contract.framework_id or None,
        origine_ue=contract.origin_eu,
        origine_france=contract.origin_france,
        modifications=tuple(modifications),
    )
