"""Values of the DECP v2 format (schema 2.0.3 JSON / 2.0.2 XSD) and the library's limits.

The enumerations are copied from the schemas; ``tests/marches_contracts/decp/test_constants.py``
checks that they still match the shipped schema files.
"""

__all__ = [
    "CCAG",
    "CONSIDERATIONS_ENVIRONNEMENTALES",
    "CONSIDERATIONS_SOCIALES_CONCESSION",
    "CONSIDERATIONS_SOCIALES_MARCHE",
    "FORMES_PRIX",
    "ID_AVOIDED_CHARACTERS",
    "ID_MAX_LENGTH",
    "MAX_FILE_SIZE",
    "MAX_XML_DEPTH",
    "MODALITES_EXECUTION",
    "NATURES_CONCESSION",
    "NATURES_MARCHE",
    "OBJET_MAX_LENGTH",
    "PROCEDURES_CONCESSION",
    "PROCEDURES_MARCHE",
    "TECHNIQUES",
    "TYPES_CODE_LIEU",
    "TYPES_GROUPEMENT",
    "TYPES_IDENTIFIANT",
    "TYPES_PRIX",
    "VARIATIONS_PRIX",
]

NATURES_MARCHE = ("Marché", "Marché de partenariat", "Marché de défense ou de sécurité")
PROCEDURES_MARCHE = (
    "Procédure adaptée",
    "Appel d'offres ouvert",
    "Appel d'offres restreint",
    "Procédure avec négociation",
    "Marché passé sans publicité ni mise en concurrence préalable",
    "Dialogue compétitif",
)
TECHNIQUES = (
    "Accord-cadre",
    "Concours",
    "Système de qualification",
    "Système d'acquisition dynamique",
    "Catalogue électronique",
    "Enchère électronique",
    "Sans objet",
)
MODALITES_EXECUTION = ("Tranches", "Bons de commande", "Marchés subséquents", "Sans objet")
CCAG = (
    "Travaux",
    "Maitrise d'œuvre",
    "Fournitures courantes et services",
    "Marchés industriels",
    "Prestations intellectuelles",
    "Techniques de l'information et de la communication",
    "Pas de CCAG",
)
TYPES_GROUPEMENT = ("Conjoint", "Solidaire", "Pas de groupement")
TYPES_CODE_LIEU = (
    "Code postal",
    "Code commune",
    "Code arrondissement",
    "Code canton",
    "Code département",
    "Code région",
    "Code pays",
)
TYPES_PRIX = ("Définitif ferme", "Définitif actualisable", "Définitif révisable", "Provisoire")
FORMES_PRIX = ("Unitaire", "Forfaitaire", "Mixte")
TYPES_IDENTIFIANT = ("SIRET", "TVA", "TAHITI", "RIDET", "FRWF", "IREP", "HORS-UE")
CONSIDERATIONS_SOCIALES_MARCHE = (
    "Clause sociale",
    "Critère social",
    "Marché réservé",
    "Pas de considération sociale",
)
CONSIDERATIONS_SOCIALES_CONCESSION = (
    "Clause sociale",
    "Critère social",
    "Concession réservée",
    "Pas de considération sociale",
)
CONSIDERATIONS_ENVIRONNEMENTALES = (
    "Clause environnementale",
    "Critère environnemental",
    "Pas de considération environnementale",
)
VARIATIONS_PRIX = ("Ferme", "Actualisable", "Révisable")
NATURES_CONCESSION = (
    "Concession de travaux",
    "Concession de service",
    "Concession de service public",
    "Délégation de service public",
)
PROCEDURES_CONCESSION = (
    "Procédure négociée ouverte",
    "Procédure non négociée ouverte",
    "Procédure négociée restreinte",
    "Procédure non négociée restreinte",
)

#: Identifiers of contracts and concessions: 1 to 16 characters…
ID_MAX_LENGTH = 16
#: … avoiding these ones "as much as possible" (schema documentation).
ID_AVOIDED_CHARACTERS = frozenset('&"\\< ,;')
OBJET_MAX_LENGTH = 1000

#: Largest DECP file the reader accepts (a year of a large operator is a few megabytes).
MAX_FILE_SIZE = 50 * 1024 * 1024
MAX_XML_DEPTH = 16
