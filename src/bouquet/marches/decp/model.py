"""DECP v2 records as frozen dataclasses: marchés, contrats de concession and their modifications.

Attribute names are the format's own keys in snake case (``codeCPV`` → ``code_cpv``); each field's
metadata says how it is written in JSON and XML (see :mod:`.mapping`), so that the reader, the
JSON writer and the XML writer share one description. A field without a default is required by
the schemas. Amounts and rates are :class:`~decimal.Decimal`, dates :class:`~datetime.date`.
"""

from dataclasses import MISSING, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

__all__ = [
    "ActeSousTraitance",
    "ContratConcession",
    "Dataset",
    "DonneesAnnuelles",
    "LieuExecution",
    "Marche",
    "ModificationActeSousTraitance",
    "ModificationConcession",
    "ModificationMarche",
    "Operateur",
    "Tarif",
]


def _f(
    key: str,
    kind: str = "str",
    *,
    item: str = "",
    xml_item: str = "",
    cls: Any = None,
    default: Any = MISSING,
) -> Any:
    """A dataclass field described for the JSON/XML mapping.

    :param kind: ``str``, ``int``, ``decimal``, ``bool``, ``date``; ``id`` (an object holding
        only ``id``, e.g. ``acheteur``); ``values`` (a wrapped list of strings, e.g.
        ``techniques.technique[]``); ``object`` and ``objects`` (nested records, the latter a list
        whose items are wrapped in ``item``).
    """
    metadata = {"key": key, "kind": kind, "item": item, "xml_item": xml_item or item, "cls": cls}
    if default is MISSING:
        return field(metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Operateur:
    """A holder (titulaire), concessionnaire or sous-traitant: an identifier and its type."""

    id: str = _f("id")
    type_identifiant: str = _f("typeIdentifiant", default="SIRET")


@dataclass(frozen=True)
class LieuExecution:
    """Main place of execution: an INSEE code (preferred) or a postcode, and which kind it is."""

    code: str = _f("code")
    type_code: str = _f("typeCode")


@dataclass(frozen=True)
class ActeSousTraitance:
    """A special act of sub-contracting notified by the buyer."""

    id: int = _f("id", "int")
    sous_traitant: Operateur = _f("sousTraitant", "object", cls=Operateur)
    duree_mois: int = _f("dureeMois", "int")
    date_notification: date = _f("dateNotification", "date")
    date_publication_donnees: date = _f("datePublicationDonnees", "date")
    montant: Decimal = _f("montant", "decimal")
    variation_prix: str = _f("variationPrix")


@dataclass(frozen=True)
class ModificationActeSousTraitance:
    """A change to a published act of sub-contracting (``id`` is the act's)."""

    id: int = _f("id", "int")
    date_notification_modification_sous_traitance: date = _f(
        "dateNotificationModificationSousTraitance", "date"
    )
    date_publication_donnees: date = _f("datePublicationDonnees", "date")
    duree_mois: int | None = _f("dureeMois", "int", default=None)
    montant: Decimal | None = _f("montant", "decimal", default=None)


@dataclass(frozen=True)
class ModificationMarche:
    """A modification (avenant) of a published marché: only what changed, plus its two dates."""

    id: int = _f("id", "int")
    date_notification_modification: date = _f("dateNotificationModification", "date")
    date_publication_donnees_modification: date = _f("datePublicationDonneesModification", "date")
    duree_mois: int | None = _f("dureeMois", "int", default=None)
    montant: Decimal | None = _f("montant", "decimal", default=None)
    titulaires: tuple[Operateur, ...] = _f(
        "titulaires", "objects", item="titulaire", cls=Operateur, default=()
    )


@dataclass(frozen=True)
class Marche:
    """The essential data of one marché public (one per lot when the consultation has lots).

    Once published, the initial values never change: later changes go to ``modifications``.
    """

    id: str = _f("id")
    acheteur_id: str = _f("acheteur", "id")
    nature: str = _f("nature")
    objet: str = _f("objet")
    code_cpv: str = _f("codeCPV")
    techniques: tuple[str, ...] = _f("techniques", "values", item="technique")
    modalites_execution: tuple[str, ...] = _f("modalitesExecution", "values", item="modaliteExecution")
    marche_innovant: bool = _f("marcheInnovant", "bool")
    ccag: str = _f("ccag")
    offres_recues: int = _f("offresRecues", "int")
    attribution_avance: bool = _f("attributionAvance", "bool")
    type_groupement_operateurs: str = _f("typeGroupementOperateurs")
    procedure: str = _f("procedure")
    lieu_execution: LieuExecution = _f("lieuExecution", "object", cls=LieuExecution)
    duree_mois: int = _f("dureeMois", "int")
    date_notification: date = _f("dateNotification", "date")
    date_publication_donnees: date = _f("datePublicationDonnees", "date")
    montant: Decimal = _f("montant", "decimal")
    types_prix: tuple[str, ...] = _f("typesPrix", "values", item="typePrix")
    forme_prix: str = _f("formePrix")
    sous_traitance_declaree: bool = _f("sousTraitanceDeclaree", "bool")
    titulaires: tuple[Operateur, ...] = _f("titulaires", "objects", item="titulaire", cls=Operateur)
    considerations_sociales: tuple[str, ...] = _f(
        "considerationsSociales", "values", item="considerationSociale"
    )
    considerations_environnementales: tuple[str, ...] = _f(
        "considerationsEnvironnementales", "values", item="considerationEnvironnementale"
    )
    id_accord_cadre: str | None = _f("idAccordCadre", default=None)
    taux_avance: Decimal | None = _f("tauxAvance", "decimal", default=None)
    origine_ue: Decimal | None = _f("origineUE", "decimal", default=None)
    origine_france: Decimal | None = _f("origineFrance", "decimal", default=None)
    actes_sous_traitance: tuple[ActeSousTraitance, ...] = _f(
        "actesSousTraitance", "objects", item="acteSousTraitance", cls=ActeSousTraitance, default=()
    )
    modifications_actes_sous_traitance: tuple[ModificationActeSousTraitance, ...] = _f(
        "modificationsActesSousTraitance",
        "objects",
        item="modificationActeSousTraitance",
        # The XSD spells the item with an "s" where the JSON schema does not.
        xml_item="modificationActesSousTraitance",
        cls=ModificationActeSousTraitance,
        default=(),
    )
    modifications: tuple[ModificationMarche, ...] = _f(
        "modifications", "objects", item="modification", cls=ModificationMarche, default=()
    )


@dataclass(frozen=True)
class Tarif:
    """A main tariff charged to users of a concession."""

    intitule_tarif: str = _f("intituleTarif")
    tarif: Decimal = _f("tarif", "decimal")


@dataclass(frozen=True)
class DonneesAnnuelles:
    """The yearly execution data of a concession."""

    date_publication_donnees_execution: date = _f("datePublicationDonneesExecution", "date")
    depenses_investissement: Decimal = _f("depensesInvestissement", "decimal")
    tarifs: tuple[Tarif, ...] = _f("tarifs", "objects", item="tarif", cls=Tarif)


@dataclass(frozen=True)
class ModificationConcession:
    """A modification of a published contrat de concession."""

    id: int = _f("id", "int")
    date_signature_modification: date = _f("dateSignatureModification", "date")
    date_publication_donnees_modification: date = _f("datePublicationDonneesModification", "date")
    duree_mois: int | None = _f("dureeMois", "int", default=None)
    valeur_globale: Decimal | None = _f("valeurGlobale", "decimal", default=None)


@dataclass(frozen=True)
class ContratConcession:
    """The essential data of one contrat de concession."""

    id: str = _f("id")
    autorite_concedante_id: str = _f("autoriteConcedante", "id")
    nature: str = _f("nature")
    objet: str = _f("objet")
    procedure: str = _f("procedure")
    duree_mois: int = _f("dureeMois", "int")
    date_signature: date = _f("dateSignature", "date")
    date_publication_donnees: date = _f("datePublicationDonnees", "date")
    date_debut_execution: date = _f("dateDebutExecution", "date")
    valeur_globale: Decimal = _f("valeurGlobale", "decimal")
    montant_subvention_publique: Decimal = _f("montantSubventionPublique", "decimal")
    concessionnaires: tuple[Operateur, ...] = _f(
        "concessionnaires", "objects", item="concessionnaire", cls=Operateur
    )
    considerations_sociales: tuple[str, ...] = _f(
        "considerationsSociales", "values", item="considerationSociale"
    )
    considerations_environnementales: tuple[str, ...] = _f(
        "considerationsEnvironnementales", "values", item="considerationEnvironnementale"
    )
    donnees_execution: tuple[DonneesAnnuelles, ...] = _f(
        "donneesExecution", "objects", item="donneesAnnuelles", cls=DonneesAnnuelles, default=()
    )
    modifications: tuple[ModificationConcession, ...] = _f(
        "modifications", "objects", item="modification", cls=ModificationConcession, default=()
    )


@dataclass(frozen=True)
class Dataset:
    """A DECP file: its marchés and its contrats de concession (the format wants at least one)."""

    marches: tuple[Marche, ...] = ()
    concessions: tuple[ContratConcession, ...] = ()

    def __len__(self) -> int:
        return len(self.marches) + len(self.concessions)
