"""Constants of the PES V2 format, of S²LOW's checks and of the Hélios signature policy."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

__all__ = [
    "ACQUIT_RETOUR_NS",
    "ACQUIT_NS",
    "ALLER_NS",
    "DEFAULT_SCHEMA_VERSION",
    "DSIG_NS",
    "ENCODING_WINDOW",
    "HELIOS_POLICY_HASH_SHA1",
    "HELIOS_POLICY_OID",
    "HELIOS_POLICY_URN",
    "IDCOLL_MAX_LENGTH",
    "CODCOL_MAX_LENGTH",
    "MAX_FILE_SIZE",
    "PESKind",
    "RETOUR_NS",
    "ROOT_NAMESPACES",
    "XADES_NS",
    "XADES_SIGNED_PROPERTIES_TYPE",
    "XSD_ROOT",
]

ALLER_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller"
ACQUIT_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour/v2"
RETOUR_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/retour"
ACQUIT_RETOUR_NS = "http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller/ack"

DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
XADES_NS = "http://uri.etsi.org/01903/v1.1.1#"
XADES_SIGNED_PROPERTIES_TYPE = XADES_NS + "SignedProperties"

#: Hélios signature policy of the DGFiP (XAdES-EPES).
HELIOS_POLICY_OID = "1.2.250.1.131.1.5.18.21.1.4"
HELIOS_POLICY_URN = "urn:oid:" + HELIOS_POLICY_OID
#: SHA-1 of the policy document as written by iParapheur/LiberSign; not checked against the PDF itself.
HELIOS_POLICY_HASH_SHA1 = "Jkdb+aba0Hz6+ZPKmKNhPByzQ+Q="

#: S²LOW's HELIOS_MAX_UPLOAD_SIZE default.
MAX_FILE_SIZE = 128 * 1024 * 1024
#: S²LOW looks for "ISO-8859-1" in the first 50 characters of the file.
ENCODING_WINDOW = 50
CODCOL_MAX_LENGTH = 3
IDCOLL_MAX_LENGTH = 14

#: Shipped DGFiP bundle (see xsd/ and tests/fixtures/README.md for provenance).
XSD_ROOT = Path(__file__).parent / "xsd"
DEFAULT_SCHEMA_VERSION = "schemas_pes_v5.30"


class PESKind(StrEnum):
    """Kind of PES document, named after its root element."""

    ALLER = "PES_Aller"
    ACQUIT = "PES_ACQUIT"
    RETOUR = "PES_Retour"
    ACQUIT_RETOUR = "PES_ACQUIT_RETOUR"


#: Expected namespace of each root element.
ROOT_NAMESPACES: dict[PESKind, str] = {
    PESKind.ALLER: ALLER_NS,
    PESKind.ACQUIT: ACQUIT_NS,
    PESKind.RETOUR: RETOUR_NS,
    PESKind.ACQUIT_RETOUR: ACQUIT_RETOUR_NS,
}
