"""PES_ACQUIT vocabulary: domains, anomaly codes explained in French, extraction of ``ElementACQUIT``."""

from __future__ import annotations

from typing import Any

from .model import AckElement, AckError, AckRetourElement

__all__ = ["DOMAINS", "NUM_ANO_ACK", "ack_element", "ack_retour_element", "explain_anomaly"]

#: ``DomaineAck`` codes (CommunAck.xsd).
DOMAINS: dict[str, str] = {
    "0": "technique",
    "1": "signature technique",
    "2": "signature globale",
    "3": "signature de bordereau",
    "4": "pièce justificative",
    "5": "dépense",
    "6": "recette",
    "7": "rôle",
    "8": "budget",
    "9": "état actif",
    "10": "état passif",
    "11": "marché",
    "12": "facture",
    "99": "paramétrage",
}

#: ``NumAnoAck`` codes of CommunAck.xsd (v5.23 copy) with a French explanation for users.
NUM_ANO_ACK: dict[str, str] = {
    "ERREUR_CONNECTION_IMPOSSIBLE_A_LA_BASE": (
        "Incident technique chez la DGFiP (base inaccessible) : renvoyer plus tard."
    ),
    "ERREUR_ENCODING": "Encodage du fichier refusé : le PES doit être en ISO-8859-1.",
    "ERREUR_FLUX_VIDE": "Le flux ne contient aucun bordereau, pièce justificative ou marché.",
    "ERREUR_SCHEMA_INCOMPLET": "Le fichier ne respecte pas le schéma XSD du PES V2.",
    "ERREUR_CODIFICATION": "Une valeur ne respecte pas la codification attendue.",
    "ERREUR_CODIQUE": "Le codique du poste comptable (IdPost) est inconnu ou incorrect.",
    "ERREUR_SIRET": "Le SIRET de la collectivité (IdColl) est inconnu ou incorrect.",
    "ERREUR_CODE_COLLECTIVITE_BUDGET": (
        "Le couple code collectivité / code budget (CodCol, CodBud) est inconnu."
    ),
    "ERREUR_VERSION_PES": "Version du PES non acceptée.",
    "ERREUR_VERSION_PJ": "Version du bloc des pièces justificatives non acceptée.",
    "ERREUR_SIGNATURE_INVALIDE": "La signature électronique est invalide.",
    "ERREUR_SIGNATURE_ILLISIBLE": "La signature électronique est illisible.",
    "ERREUR_SIGNATURE_INCOMPLETE": "La signature électronique est incomplète.",
    "ERREUR_DOUBLON_BORDEREAU": "Ce bordereau a déjà été transmis (doublon).",
    "ERREUR_DOUBLON_PIECE": "Cette pièce a déjà été transmise (doublon).",
    "ERREUR_DOUBLON_LIGNE": "Cette ligne de pièce a déjà été transmise (doublon).",
    "ERREUR_DOUBLON_PJ": "Cette pièce justificative a déjà été transmise (IdUnique en doublon).",
    "ERREUR_PES_PARAM": "Paramétrage Hélios de la collectivité incorrect pour ce flux.",
    "ERREUR_PES_SIGNATURE": "Le flux devait être signé et ne l'est pas correctement.",
    "ERREUR_PES_PARAM_SIGNATURE": "Le paramétrage de signature de la collectivité ne correspond pas au flux.",
    "ERREUR_CERTIFICAT": "Le certificat du signataire est refusé (inconnu, expiré ou révoqué).",
    "ERREUR_TIMEOUT": "Délai de traitement dépassé chez la DGFiP : renvoyer plus tard.",
    "ERREUR_TAILLE_BORDEREAUX": "Trop de bordereaux ou bordereau trop volumineux.",
    "ERREUR_TAILLE_PIECE": "Trop de pièces dans un bordereau.",
    "ERREUR_TAILLE_LIGNE": "Trop de lignes dans une pièce.",
    "ERREUR_PJ_SIGNEE": "La signature de la pièce justificative est refusée.",
    "ERREUR_SIGNATURE_EXTERNE": "Signature externe non acceptée.",
    "ERREUR_AUTRE": "Autre erreur : lire le libellé fourni par Hélios.",
    "ERREUR_SIGNATURE_BORDEREAU_INVALIDE": "La signature du bordereau est invalide.",
    "ERREUR_SIGNATURE_BORDEREAU_ILLISIBLE": "La signature du bordereau est illisible.",
    "ERREUR_SIGNATURE_BORDEREAU_INCOMPLETE": "La signature du bordereau est incomplète.",
    "ERREUR_MONTANT_TVA_ZERO_NEGATIF": "Montant de TVA nul ou négatif.",
    "ERREUR_PJ": "Pièce justificative refusée.",
    "ERREUR_CUMUL_MONTANTS": "Les montants cumulés ne correspondent pas.",
}


def explain_anomaly(code: str) -> str:
    """French explanation of a ``NumAnoAck`` code; unknown codes are shown verbatim."""
    return NUM_ANO_ACK.get(code, f"Code d'anomalie non répertorié : {code}")


def _v(element: Any, name: str) -> str | None:
    child = element.find(name)
    return None if child is None else child.get("V")


def _errors(element: Any, piece: str | None = None, line: str | None = None) -> list[AckError]:
    found = []
    for erreur in element.findall("Erreur"):
        code = _v(erreur, "NumAnoAck") or ""
        found.append(AckError(code, _v(erreur, "LibelleAnoAck"), explain_anomaly(code), piece, line))
    return found


def ack_element(element: Any) -> AckElement:
    """Extract a complete ``ElementACQUIT`` (errors of pieces and lines flattened, with their numbers)."""
    errors = _errors(element)
    for detail in element.findall("DetailPiece"):
        piece = _v(detail, "NumPiece")
        errors += _errors(detail, piece)
        for ligne in detail.findall("DetailLigne"):
            errors += _errors(ligne, piece, _v(ligne, "NumLigne"))
    domain = _v(element, "DomaineAck")
    return AckElement(
        domain=domain,
        domain_label=DOMAINS.get(domain or "", f"domaine inconnu ({domain})"),
        ok=_v(element, "EtatAck") == "1",
        num_bord=_v(element, "NumBord"),
        exercice_bord=_v(element, "ExerciceBord"),
        id_marche=_v(element, "IdMarche"),
        id_unique=_v(element, "IdUnique"),
        errors=tuple(errors),
        line=element.sourceline,
    )


def ack_retour_element(element: Any) -> AckRetourElement:
    """Extract an ``ElementACQUIT_RETOUR``."""
    return AckRetourElement(
        domain=_v(element, "DomaineAckRetour"),
        nom_fichier_retour=_v(element, "NomFichierRetour"),
        typ_restit=_v(element, "TypRestit"),
        date_acquit=_v(element, "DateAcquit"),
    )
