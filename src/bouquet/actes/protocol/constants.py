"""Constants of the @ctes protocol: namespaces, message codes, name patterns, natures, statuses, limits.

Every value comes from docs/specs (actes-protocol.md) and the Ministry's schema ``actesv1_1.xsd``.
"""

import re
from typing import Final

__all__ = [
    "ACTES_NS",
    "INSEE_NS",
    "XSI_NS",
    "NSMAP",
    "SCHEMA_LOCATION",
    "ENCODING",
    "APPLI_NAME",
    "MESSAGE_CODES",
    "ROOT_BY_CODE",
    "ENVELOPE_ROOTS",
    "ENVELOPE_CL",
    "ENVELOPE_MI",
    "ANOMALY_ENVELOPE",
    "NATURES",
    "NATURE_ABBREVIATIONS",
    "DEFAULT_TYPOLOGIES",
    "STATUSES",
    "ANOMALY_ENVELOPE_NATURES",
    "DEPARTEMENT_RE",
    "SIREN_RE",
    "ID_ACTE_RE",
    "NUMERO_INTERNE_RE",
    "NUMERO_INTERNE_XSD_RE",
    "TYPOLOGY_RE",
    "TRIGRAMME_RE",
    "APPLI_NAME_RE",
    "MESSAGE_CODE_RE",
    "ENVELOPE_NAME_RE",
    "ANY_ENVELOPE_FILE_RE",
    "ARCHIVE_NAME_RE",
    "MESSAGE_NAME_RE",
    "DOCUMENT_NAME_RE",
    "MAX_OBJET_LENGTH",
    "MAX_NUMERO_INTERNE_LENGTH",
    "MAX_ARCHIVE_SIZE",
    "MAX_MESSAGE_XML_SIZE",
    "MAX_XML_DEPTH",
    "MAX_ARCHIVE_MEMBERS",
    "MAX_ARCHIVE_UNCOMPRESSED",
    "MAX_ENVELOPE_SERIAL",
    "MIME_PDF",
    "MIME_XML",
    "MIME_JPEG",
    "MIME_PNG",
    "ANNEX_MIME_TYPES",
]

ACTES_NS: Final = "http://www.interieur.gouv.fr/ACTES#v1.1-20040216"
INSEE_NS: Final = "http://xml.insee.fr/schema"
XSI_NS: Final = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP: Final = {"actes": ACTES_NS, "insee": INSEE_NS, "xsi": XSI_NS}
SCHEMA_LOCATION: Final = f"{ACTES_NS} actesv1_1.xsd"
ENCODING: Final = "ISO-8859-1"

#: Application name ("quadrigramme") of production envelopes.
APPLI_NAME: Final = "EACT"

#: Root element (local name) of each business message -> its code ``<transaction type>-<sub type>``.
MESSAGE_CODES: Final[dict[str, str]] = {
    "Acte": "1-1",
    "ARActe": "1-2",
    "AnomalieActe": "1-3",
    "CourrierSimple": "2-1",
    "ReponseCourrierSimple": "2-2",
    "DemandePieceComplementaire": "3-1",
    "ARDemandePieceComplementaire": "3-2",
    "RefusPieceComplementaire": "3-3",
    "PieceComplementaire": "3-4",
    "ARPieceComplementaire": "3-5",
    "LettreObservations": "4-1",
    "ARLettreObservations": "4-2",
    "RejetLettreObservations": "4-3",
    "ReponseLettreObservations": "4-4",
    "ARReponseRejetLettreObservations": "4-5",
    "DefereTA": "5-1",
    "Annulation": "6-1",
    "ARAnnulation": "6-2",
    "DemandeClassification": "7-1",
    "RetourClassification": "7-2",
    "ReponseClassificationSansChangement": "7-3",
}
ROOT_BY_CODE: Final[dict[str, str]] = {code: root for root, code in MESSAGE_CODES.items()}

ENVELOPE_CL: Final = "EnveloppeCLMISILL"
ENVELOPE_MI: Final = "EnveloppeMISILLCL"
ANOMALY_ENVELOPE: Final = "AnomalieEnveloppe"
#: Envelopes are not business messages: their "code" is their root name.
ENVELOPE_ROOTS: Final = (ENVELOPE_CL, ENVELOPE_MI, ANOMALY_ENVELOPE)

#: Nature codes -> (abbreviation used in names and IDActe, label).
NATURES: Final[dict[int, tuple[str, str]]] = {
    1: ("DE", "Délibérations"),
    2: ("AR", "Arrêtés réglementaires"),
    3: ("AI", "Arrêtés individuels"),
    4: ("CC", "Contrats, conventions et avenants"),
    5: ("BF", "Documents budgétaires et financiers"),
    6: ("AU", "Autres"),
}
NATURE_ABBREVIATIONS: Final[dict[str, int]] = {abbr: code for code, (abbr, _) in NATURES.items()}
#: S2LOW's fallback typology per nature (main document) when none is given.
DEFAULT_TYPOLOGIES: Final[dict[int, str]] = {
    1: "99_DE",
    2: "99_AR",
    3: "99_AI",
    4: "99_DC",
    5: "99_BU",
    6: "99_AU",
}

#: Allowed values of ``AnomalieEnveloppe/Nature`` in the current schema.
ANOMALY_ENVELOPE_NATURES: Final = ("001", "002", "003", "004", "005", "100")

#: Transaction statuses (S2LOW ids, kept identical because clients test them).
STATUSES: Final[dict[int, str]] = {
    -1: "Erreur",
    0: "Annulé",
    1: "Posté",
    2: "En attente de transmission",
    3: "Transmis",
    4: "Acquittement reçu",
    5: "Validé",
    6: "Refusé",
    7: "Document reçu",
    8: "Acquittement envoyé",
    9: "Document envoyé",
    10: "Refus d'envoie",
    11: "Acquittement de document reçu",
    12: "Envoyé au SAE",
    13: "Archivé par le SAE",
    14: "Erreur lors de l'archivage",
    15: "Reçu par le SAE",
    16: "Détruite",
    17: "En attente d'être postée",
    18: "En attente d'être signé",
    19: "En attente de transmission au SAE",
    20: "Erreur lors de l'envoi au SAE",
    21: "Document reçu (pas d'AR)",
    22: "Impossible d'envoyer au SAE (documents indisponibles)",
}

DEPARTEMENT_RE: Final = re.compile(r"[09][0-9][AB0-9]")
SIREN_RE: Final = re.compile(r"[0-9]{9}")
ID_ACTE_RE: Final = re.compile(
    r"(?P<departement>[09][0-9][AB0-9])-(?P<siren>[0-9]{9})-(?P<date>[0-9]{8})"
    r"-(?P<numero_interne>[a-zA-Z0-9_]{1,15})-(?P<nature>[A-Z]{2})"
)
#: NumeroInterne as S2LOW enforces it: uppercase, digits, ``_`` (not first nor last), 1 to 15 characters.
NUMERO_INTERNE_RE: Final = re.compile(r"([A-Z0-9][A-Z0-9_]{0,13})?[A-Z0-9]")
#: NumeroInterne as the IDActe pattern of the schema accepts it (used to read ministry messages).
NUMERO_INTERNE_XSD_RE: Final = re.compile(r"[a-zA-Z0-9_]{1,15}")
TYPOLOGY_RE: Final = re.compile(r"[A-Z0-9_]{5}")
TRIGRAMME_RE: Final = re.compile(r"[A-Za-z0-9]{3}")
APPLI_NAME_RE: Final = re.compile(r"[A-Z]{4}")

MESSAGE_CODE_RE: Final = re.compile(r"[1-7]-[1-5]")

#: ``EACT--214502494--20170717-6`` (envelope name without ``.xml``; ``ANO_`` is stripped before).
ENVELOPE_NAME_RE: Final = re.compile(
    r"(?P<appli>[A-Z]{4})--(?P<siren>[0-9]{9})--(?P<date>[0-9]{8})-(?P<serial>[0-9]{1,4})"
)
#: Any envelope file of an archive, ours or the ministry's (``TACT--SPREF0011-000000000-20170721-4.xml``).
ANY_ENVELOPE_FILE_RE: Final = re.compile(r"(ANO_)?[A-Za-z]{4}--.+\.xml")
#: ``SLO-EACT--214502494--20170717-6.tar.gz``.
ARCHIVE_NAME_RE: Final = re.compile(r"(?P<trigramme>[A-Za-z0-9]{3})-(?P<envelope>.+)\.tar\.gz")
_BUSINESS_BASE = (
    r"(?P<departement>[09][0-9][AB0-9])-(?P<siren>[0-9]{9})-"
    r"(?:(?P<date>[0-9]{8})-(?P<numero>[A-Za-z0-9_]{1,15})-(?P<nature>[A-Z]{2})|--)"
    r"-(?P<code>[1-7]-[1-5])_(?P<index>[0-9]{1,4})"
)
#: ``034-000000000-20170701-20170721D-AI-1-2_0.xml`` or ``034-000000000----7-1_0.xml``.
MESSAGE_NAME_RE: Final = re.compile(_BUSINESS_BASE + r"\.xml")
#: ``99_DE-034-000000000-20241209-20241209_MR02-DE-1-1_1.pdf`` (typology prefix optional: older archives).
DOCUMENT_NAME_RE: Final = re.compile(
    r"(?:(?P<typology>[A-Z0-9_]{5})-)?" + _BUSINESS_BASE + r"\.(?P<ext>[A-Za-z0-9]{1,5})"
)

MAX_OBJET_LENGTH: Final = 500
MAX_NUMERO_INTERNE_LENGTH: Final = 15
MAX_ARCHIVE_SIZE: Final = 150 * 1024 * 1024
MAX_MESSAGE_XML_SIZE: Final = 20 * 1024 * 1024
MAX_XML_DEPTH: Final = 64
MAX_ARCHIVE_MEMBERS: Final = 1000
#: Bound on the sum of member sizes when reading an archive (a gzip bomb stops there).
MAX_ARCHIVE_UNCOMPRESSED: Final = 2 * MAX_ARCHIVE_SIZE
MAX_ENVELOPE_SERIAL: Final = 9999

MIME_PDF: Final = "application/pdf"
MIME_XML: Final = "application/xml"
MIME_JPEG: Final = "image/jpeg"
MIME_PNG: Final = "image/png"
ANNEX_MIME_TYPES: Final = (MIME_PDF, MIME_XML, MIME_JPEG, MIME_PNG)
