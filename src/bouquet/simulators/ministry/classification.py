"""The préfecture's classification sent in 7-2: natures 1-6 with typologies, subjects 1-9 with sub-levels.

Close to the real national nomenclature so that the platform's pickers look realistic.
"""

import datetime as dt

from bouquet.actes.protocol.messages import Matiere, NatureActe, RetourClassification, TypePJ

__all__ = ["DEFAULT_VERSION", "classification"]

#: Version date of the simulated classification (the state may override it).
DEFAULT_VERSION = dt.date(2025, 1, 1)

_COMMON_ANNEXES = (("99_AU", "Autre document"), ("22_AG", "Avis du conseil de quartier"))
_NATURES: tuple[tuple[int, str, str, tuple[tuple[str, str], ...]], ...] = (
    (1, "Délibérations", "DE", (("99_DE", "Délibération"), ("22_DP", "Document de présentation"))),
    (2, "Actes réglementaires", "AR", (("99_AR", "Arrêté réglementaire"),)),
    (3, "Actes individuels", "AI", (("99_AI", "Arrêté individuel"), ("51_RE", "Rapport"))),
    (4, "Contrats, conventions et avenants", "CC", (("99_DC", "Contrat"), ("11_AV", "Avenant"))),
    (5, "Documents budgétaires et financiers", "BF", (("99_BU", "Budget"), ("71_BP", "Budget primitif"))),
    (6, "Autres", "AU", ()),
)

_MATIERES: tuple[tuple[int, str, tuple[tuple[int, str, tuple[tuple[int, str], ...]], ...]], ...] = (
    (1, "Commande publique", ((1, "Marchés publics", ((1, "Procédure formalisée"), (2, "Procédure adaptée"))),
                              (2, "Délégation de service public", ()), (4, "Concession d'aménagement", ()))),
    (2, "Urbanisme", ((1, "Documents d'urbanisme", ()), (2, "Actes relevant du droit des sols", ()))),
    (3, "Domaine et patrimoine", ((1, "Acquisitions", ()), (2, "Aliénations", ()), (3, "Locations", ()))),
    (4, "Fonction publique", ((1, "Personnels titulaires et stagiaires", ()), (2, "Contractuels", ()))),
    (5, "Institutions et vie politique", ((1, "Élection exécutif", ()),
                                          (2, "Fonctionnement des assemblées", ()),
                                          (3, "Désignation de représentants", ()))),
    (6, "Libertés publiques et pouvoirs de police", ((1, "Police municipale", ()),)),
    (7, "Finances locales", ((1, "Décisions budgétaires", ((1, "Budget primitif"),
                                                            (2, "Compte administratif"))),
                             (2, "Fiscalité", ()), (5, "Subventions", ()))),
    (8, "Domaines de compétences par thèmes", ((1, "Enseignement", ()), (2, "Aide sociale", ()),
                                               (3, "Voirie", ()), (8, "Environnement", ()))),
    (9, "Autres domaines de compétences", ((1, "Autres domaines de compétences des communes", ()),
                                           (2, "Vœux et motions", ()))),
)  # fmt: skip


def classification(version: dt.date = DEFAULT_VERSION) -> RetourClassification:
    """The 7-2 message of the simulated préfecture at ``version``."""
    natures = tuple(
        NatureActe(code, libelle, abbr, tuple(TypePJ(c, lib) for c, lib in (*types, *_COMMON_ANNEXES)))
        for code, libelle, abbr, types in _NATURES
    )
    matieres = tuple(
        Matiere(
            code,
            libelle,
            tuple(Matiere(c2, l2, tuple(Matiere(c3, l3) for c3, l3 in third)) for c2, l2, third in second),
        )
        for code, libelle, second in _MATIERES
    )
    return RetourClassification(date_classification=version, natures=natures, matieres=matieres)
