"""Settings of the marches_contracts context (environment variables, with the embedded default's values)."""

from bouquet.config.env import env_int, env_str

# Retention periods of the archive (SIAF/DAJ referential of January 2021, CCP R2184-12 and -13):
# procedure documents and unsuccessful bids, counted from the notification of the contract (or
# from the end of the procedure when nothing was awarded)...
MARCHES_RETENTION_PROCEDURE_YEARS = env_int("MARCHES_RETENTION_PROCEDURE_YEARS", 5)
# ... and contract documents (contract, modifications, the holder's offer), counted from the end
# of execution.
MARCHES_RETENTION_CONTRACT_YEARS = env_int("MARCHES_RETENTION_CONTRACT_YEARS", 10)
# Largest Excel export of a previous platform accepted by the history import (bytes), and the
# most rows it may hold.
MARCHES_HISTORY_MAX_FILE_BYTES = env_int("MARCHES_HISTORY_MAX_FILE_BYTES", 20 * 1024 * 1024)
MARCHES_HISTORY_MAX_ROWS = env_int("MARCHES_HISTORY_MAX_ROWS", 50_000)
# Address of the buyer profiles in the declaration CSV for data.gouv.fr (urlProfilAcheteur):
# "{base}" is the platform's public address (MARCHES_PUBLIC_URL); "{siret}", "{siren}" and "{name}"
# (URL-encoded) the buyer's. Default: the public search filtered on the buyer.
MARCHES_DPA_PROFILE_URL = env_str("MARCHES_DPA_PROFILE_URL", "{base}/consultations/?buyer={name}")
