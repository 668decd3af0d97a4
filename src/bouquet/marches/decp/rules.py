"""Coherence checks the schemas cannot express (national re-users reject these records).

Advice (``blocking=False``) does not prevent publication; everything else does.
"""

from datetime import date

from .findings import Finding
from .identifiers import id_problem, siret_is_valid
from .model import ContratConcession, Dataset, Marche, Operateur

__all__ = ["check_rules"]


def _label(kind: str, index: int, record_id: str) -> str:
    return f"{kind} n° {index} ({record_id})" if record_id else f"{kind} n° {index}"


def _operators(where: str, key: str, operators: tuple[Operateur, ...]) -> list[Finding]:
    found = []
    for n, operator in enumerate(operators, 1):
        if operator.type_identifiant == "SIRET" and not siret_is_valid(operator.id):
            found.append(
                Finding(
                    "rules",
                    f"{where} › {key} n° {n}",
                    f"« {operator.id} » n'est pas un SIRET valide "
                    "(14 chiffres dont le dernier est une clé de contrôle).",
                )
            )
    return found


def _sequence(where: str, ids: list[int], what: str) -> list[Finding]:
    if ids != list(range(1, len(ids) + 1)):
        return [
            Finding(
                "rules",
                where,
                f"les numéros des {what} doivent se suivre à partir de 1 "
                f"(trouvé : {', '.join(map(str, ids))}).",
            )
        ]
    return []


def _not_before(where: str, later: date, earlier: date, later_name: str, earlier_name: str) -> list[Finding]:
    if later < earlier:
        return [
            Finding(
                "rules",
                where,
                f"la {later_name} ({later:%d/%m/%Y}) précède la {earlier_name} ({earlier:%d/%m/%Y}).",
            )
        ]
    return []


def _exclusive(where: str, values: tuple[str, ...], none_value: str, name: str) -> list[Finding]:
    if none_value in values and len(values) > 1:
        return [
            Finding("rules", where, f"« {none_value} » ne peut pas être combiné à une autre valeur ({name}).")
        ]
    return []


def _check_marche(m: Marche, where: str) -> list[Finding]:
    found: list[Finding] = []
    if problem := id_problem(m.id):
        found.append(Finding("rules", f"{where} › id", problem, blocking=len(m.id) == 0 or len(m.id) > 16))
    if not siret_is_valid(m.acheteur_id):
        found.append(
            Finding("rules", f"{where} › acheteur", f"« {m.acheteur_id} » n'est pas un SIRET valide.")
        )
    if not m.objet.strip():
        found.append(Finding("rules", f"{where} › objet", "l'objet du marché est vide."))
    found += _operators(where, "titulaires", m.titulaires)
    found += _exclusive(where, m.techniques, "Sans objet", "techniques d'achat")
    found += _exclusive(where, m.modalites_execution, "Sans objet", "modalités d'exécution")
    found += _exclusive(
        where, m.considerations_sociales, "Pas de considération sociale", "considérations sociales"
    )
    found += _exclusive(
        where,
        m.considerations_environnementales,
        "Pas de considération environnementale",
        "considérations environnementales",
    )
    if m.taux_avance is not None and m.taux_avance > 0 and not m.attribution_avance:
        found.append(
            Finding(
                "rules",
                f"{where} › tauxAvance",
                "un taux d'avance est donné alors qu'aucune avance n'est attribuée.",
            )
        )
    if m.origine_ue is not None and m.origine_france is not None and m.origine_france > m.origine_ue:
        found.append(
            Finding(
                "rules",
                f"{where} › origineFrance",
                "la part de produits français ne peut pas "
                "dépasser la part de produits de l'Union européenne.",
            )
        )
    found += _not_before(
        where,
        m.date_publication_donnees,
        m.date_notification,
        "date de publication des données",
        "date de notification",
    )
    found += _sequence(f"{where} › modifications", [x.id for x in m.modifications], "modifications")
    for n, mod in enumerate(m.modifications, 1):
        place = f"{where} › modifications n° {n}"
        found += _not_before(
            place,
            mod.date_notification_modification,
            m.date_notification,
            "date de notification de la modification",
            "date de notification du marché",
        )
        found += _not_before(
            place,
            mod.date_publication_donnees_modification,
            mod.date_notification_modification,
            "date de publication de la modification",
            "date de notification de la modification",
        )
        found += _operators(place, "titulaires", mod.titulaires)
        if mod.duree_mois is None and mod.montant is None and not mod.titulaires:
            found.append(
                Finding(
                    "rules",
                    place,
                    "cette modification ne change ni la durée, ni le montant, ni les titulaires.",
                    blocking=False,
                )
            )
    if m.actes_sous_traitance and not m.sous_traitance_declaree:
        found.append(
            Finding(
                "rules",
                f"{where} › sousTraitanceDeclaree",
                "des actes de sous-traitance sont publiés mais la sous-traitance n'est pas déclarée.",
                blocking=False,
            )
        )
    return found


def _check_concession(c: ContratConcession, where: str) -> list[Finding]:
    found: list[Finding] = []
    if problem := id_problem(c.id):
        found.append(Finding("rules", f"{where} › id", problem, blocking=len(c.id) == 0 or len(c.id) > 16))
    if not siret_is_valid(c.autorite_concedante_id):
        found.append(
            Finding(
                "rules",
                f"{where} › autoriteConcedante",
                f"« {c.autorite_concedante_id} » n'est pas un SIRET valide.",
            )
        )
    if not c.objet.strip():
        found.append(Finding("rules", f"{where} › objet", "l'objet du contrat est vide."))
    found += _operators(where, "concessionnaires", c.concessionnaires)
    found += _sequence(f"{where} › modifications", [x.id for x in c.modifications], "modifications")
    for n, mod in enumerate(c.modifications, 1):
        found += _not_before(
            f"{where} › modifications n° {n}",
            mod.date_signature_modification,
            c.date_signature,
            "date de signature de la modification",
            "date de signature du contrat",
        )
    return found


def check_rules(dataset: Dataset) -> tuple[Finding, ...]:
    """The coherence findings of every record, in order."""
    found: list[Finding] = []
    for n, marche in enumerate(dataset.marches, 1):
        found += _check_marche(marche, _label("marché", n, marche.id))
    for n, concession in enumerate(dataset.concessions, 1):
        found += _check_concession(concession, _label("contrat de concession", n, concession.id))
    if not len(dataset):
        found.append(
            Finding("rules", "", "le jeu de données ne contient aucun marché ni contrat de concession.")
        )
    return tuple(found)
