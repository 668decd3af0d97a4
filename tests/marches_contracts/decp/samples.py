"""A realistic DECP record built in code, shared by the library tests."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from bouquet.marches.decp import (
    ActeSousTraitance,
    ContratConcession,
    Dataset,
    DonneesAnnuelles,
    LieuExecution,
    Marche,
    ModificationConcession,
    ModificationMarche,
    Operateur,
    Tarif,
)

# Luhn-valid SIRETs: a commune (buyer) and two companies.
BUYER = "21210001600014"
HOLDER = "73282932000074"
OTHER = "55204599900869"


def marche(**changes) -> Marche:
    base = Marche(
        id="2026C00012",
        acheteur_id=BUYER,
        nature="Marché",
        objet="Réfection de la toiture de l'église Saint-Martin — lot 2 : couverture",
        code_cpv="45261210-9",
        techniques=("Sans objet",),
        modalites_execution=("Tranches",),
        marche_innovant=False,
        ccag="Travaux",
        offres_recues=4,
        attribution_avance=True,
        taux_avance=Decimal("0.05"),
        type_groupement_operateurs="Pas de groupement",
        procedure="Procédure adaptée",
        lieu_execution=LieuExecution("21054", "Code commune"),
        duree_mois=8,
        date_notification=date(2026, 3, 2),
        date_publication_donnees=date(2026, 3, 9),
        montant=Decimal("148750.40"),
        types_prix=("Définitif révisable",),
        forme_prix="Forfaitaire",
        sous_traitance_declaree=True,
        titulaires=(Operateur(HOLDER),),
        considerations_sociales=("Clause sociale",),
        considerations_environnementales=("Pas de considération environnementale",),
        actes_sous_traitance=(
            ActeSousTraitance(
                id=1,
                sous_traitant=Operateur(OTHER),
                duree_mois=3,
                date_notification=date(2026, 3, 2),
                date_publication_donnees=date(2026, 3, 9),
                montant=Decimal("21000"),
                variation_prix="Révisable",
            ),
        ),
        modifications=(
            ModificationMarche(
                id=1,
                date_notification_modification=date(2026, 6, 15),
                date_publication_donnees_modification=date(2026, 6, 20),
                montant=Decimal("161200"),
                duree_mois=10,
            ),
            ModificationMarche(
                id=2,
                date_notification_modification=date(2026, 9, 1),
                date_publication_donnees_modification=date(2026, 9, 3),
                titulaires=(Operateur(OTHER),),
            ),
        ),
    )
    return replace(base, **changes)


def concession(**changes) -> ContratConcession:
    base = ContratConcession(
        id="2026DSP01",
        autorite_concedante_id=BUYER,
        nature="Délégation de service public",
        objet="Gestion du camping municipal",
        procedure="Procédure négociée ouverte",
        duree_mois=60,
        date_signature=date(2026, 1, 20),
        date_publication_donnees=date(2026, 2, 1),
        date_debut_execution=date(2026, 4, 1),
        valeur_globale=Decimal("450000"),
        montant_subvention_publique=Decimal("0"),
        concessionnaires=(Operateur(HOLDER),),
        considerations_sociales=("Pas de considération sociale",),
        considerations_environnementales=("Critère environnemental",),
        donnees_execution=(
            DonneesAnnuelles(
                date(2027, 2, 1), Decimal("12000.5"), (Tarif("Emplacement tente, la nuit", Decimal("14.5")),)
            ),
        ),
        modifications=(
            ModificationConcession(
                id=1,
                date_signature_modification=date(2026, 11, 5),
                date_publication_donnees_modification=date(2026, 11, 10),
                duree_mois=72,
            ),
        ),
    )
    return replace(base, **changes)


def dataset(**changes) -> Dataset:
    return Dataset(marches=(marche(**changes),), concessions=(concession(),))
