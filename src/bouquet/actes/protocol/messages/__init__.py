"""The @ctes messages and envelopes as frozen dataclasses, one module per family."""

from .acte import Acte, AnomalieActe, ARActe
from .annulation import Annulation, ARAnnulation
from .classification import (
    DemandeClassification,
    Matiere,
    NatureActe,
    ReponseClassificationSansChangement,
    RetourClassification,
    TypePJ,
)
from .common import SignedFile
from .courrier import CourrierSimple, ReponseCourrierSimple
from .defere import DefereTA
from .enveloppe import IDCL, AnomalieEnveloppe, EnveloppeCLMISILL, EnveloppeMISILLCL, Referent
from .lettre_observations import (
    ARLettreObservations,
    ARReponseRejetLettreObservations,
    LettreObservations,
    RejetLettreObservations,
    ReponseLettreObservations,
)
from .pieces import (
    ARDemandePieceComplementaire,
    ARPieceComplementaire,
    DemandePieceComplementaire,
    PieceComplementaire,
    RefusPieceComplementaire,
)

__all__ = [
    "Acte",
    "ARActe",
    "AnomalieActe",
    "CourrierSimple",
    "ReponseCourrierSimple",
    "DemandePieceComplementaire",
    "ARDemandePieceComplementaire",
    "RefusPieceComplementaire",
    "PieceComplementaire",
    "ARPieceComplementaire",
    "LettreObservations",
    "ARLettreObservations",
    "RejetLettreObservations",
    "ReponseLettreObservations",
    "ARReponseRejetLettreObservations",
    "DefereTA",
    "Annulation",
    "ARAnnulation",
    "DemandeClassification",
    "RetourClassification",
    "ReponseClassificationSansChangement",
    "NatureActe",
    "TypePJ",
    "Matiere",
    "EnveloppeCLMISILL",
    "EnveloppeMISILLCL",
    "AnomalieEnveloppe",
    "IDCL",
    "Referent",
    "SignedFile",
    "Message",
    "MESSAGE_CLASSES",
]

Message = (
    Acte
    | ARActe
    | AnomalieActe
    | CourrierSimple
    | ReponseCourrierSimple
    | DemandePieceComplementaire
    | ARDemandePieceComplementaire
    | RefusPieceComplementaire
    | PieceComplementaire
    | ARPieceComplementaire
    | LettreObservations
    | ARLettreObservations
    | RejetLettreObservations
    | ReponseLettreObservations
    | ARReponseRejetLettreObservations
    | DefereTA
    | Annulation
    | ARAnnulation
    | DemandeClassification
    | RetourClassification
    | ReponseClassificationSansChangement
    | EnveloppeCLMISILL
    | EnveloppeMISILLCL
    | AnomalieEnveloppe
)

#: Every message and envelope class, in protocol order.
MESSAGE_CLASSES: tuple[type[Message], ...] = (
    Acte,
    ARActe,
    AnomalieActe,
    CourrierSimple,
    ReponseCourrierSimple,
    DemandePieceComplementaire,
    ARDemandePieceComplementaire,
    RefusPieceComplementaire,
    PieceComplementaire,
    ARPieceComplementaire,
    LettreObservations,
    ARLettreObservations,
    RejetLettreObservations,
    ReponseLettreObservations,
    ARReponseRejetLettreObservations,
    DefereTA,
    Annulation,
    ARAnnulation,
    DemandeClassification,
    RetourClassification,
    ReponseClassificationSansChangement,
    EnveloppeCLMISILL,
    EnveloppeMISILLCL,
    AnomalieEnveloppe,
)
