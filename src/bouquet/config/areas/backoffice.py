"""Settings of the backoffice context (environment variables, with the embedded default's values)."""

from pathlib import Path  # noqa: F401

from bouquet.config.env import env_bool, env_int, env_list, env_str  # noqa: F401

# Initial values of the operator settings (transmission device, homologation, transmission operator,
# préfecture). Staff edit them afterwards on /operateur/gestion/parametres/ (kept in the database and
# journaled); these only fill a fresh installation. Dates are ISO (YYYY-MM-DD).
BACKOFFICE_TRANSMISSION_DEVICE = env_str("BACKOFFICE_TRANSMISSION_DEVICE", "S²LOW")
BACKOFFICE_HOMOLOGATION_REFERENCE = env_str(
    "BACKOFFICE_HOMOLOGATION_REFERENCE",
    "Convention d'homologation entre le ministère de l'Intérieur et l'ADULLACT",
)
BACKOFFICE_HOMOLOGATION_DATE = env_str("BACKOFFICE_HOMOLOGATION_DATE", "2007-01-22")
BACKOFFICE_TRANSMISSION_OPERATOR = env_str("BACKOFFICE_TRANSMISSION_OPERATOR", "Libriciel SCOP")
BACKOFFICE_TRANSMISSION_CONTRACT_DATE = env_str("BACKOFFICE_TRANSMISSION_CONTRACT_DATE", "2023-08-31")
BACKOFFICE_PREFECTURE_NAME = env_str("BACKOFFICE_PREFECTURE_NAME", "Préfecture de la Côte-d'Or")
BACKOFFICE_PREFECTURE_ADDRESS = env_str(
    "BACKOFFICE_PREFECTURE_ADDRESS", "Bureau du contrôle de légalité\n53 rue de la Préfecture\n21000 Dijon"
)

# Largest convention file accepted (PDF only), in bytes.
BACKOFFICE_UPLOAD_MAX_BYTES = env_int("BACKOFFICE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)

# ACTES sending needs a signed convention in force (bouquet.backoffice.gates). Turn off only for a
# platform whose conventions are not recorded yet (a migration in progress).
BACKOFFICE_ACTES_CONVENTION_REQUIRED = env_bool("BACKOFFICE_ACTES_CONVENTION_REQUIRED", True)
