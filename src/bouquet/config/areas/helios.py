"""Settings of the helios context (environment variables, with the embedded default's values).

The transport to the DGFiP (DGFIP_HELIOS_URL, HELIOS_P_APPLI, windows…) is configured in settings.py.
"""

from pathlib import Path  # noqa: F401

from bouquet.config.env import env_bool, env_int, env_list, env_str  # noqa: F401

# Largest PES accepted (S²LOW's HELIOS_MAX_UPLOAD_SIZE: 128 MiB).
HELIOS_MAX_FILE_SIZE = env_int("HELIOS_MAX_FILE_SIZE", 128 * 1024 * 1024)
# Version of the official PES V2 schema bundle (a directory of bouquet/helios/pes/xsd/).
HELIOS_SCHEMA_VERSION = env_str("HELIOS_SCHEMA_VERSION", "schemas_pes_v5.30")
# Check each signer's certificate chain against the trust store at the signing time.
HELIOS_VERIFY_SIGNERS = env_bool("HELIOS_VERIFY_SIGNERS", True)
# A transaction "Transmis" with no acquittement after this many hours goes to 24 (transmis sans
# acquittement); an acquittement arriving later still applies.
HELIOS_STALE_AFTER_HOURS = env_int("HELIOS_STALE_AFTER_HOURS", 72)
# A transaction "en attente de transmission" for longer than this is reported once to operator staff
# (S²LOW's 48-hour "Transaction Helios bloquée" warning).
HELIOS_STUCK_ALERT_HOURS = env_int("HELIOS_STUCK_ALERT_HOURS", 48)
# A send claimed longer ago than this was abandoned by a dead worker: resend the same file, same name.
HELIOS_STALE_SEND_MINUTES = env_int("HELIOS_STALE_SEND_MINUTES", 15)
# Pause between two passes of `bouquet helios worker`, and the least time between two pollings of the
# DGFiP's sortie/ directory (S²LOW polls about every 4 minutes).
HELIOS_WORKER_INTERVAL_SECONDS = env_int("HELIOS_WORKER_INTERVAL_SECONDS", 30)
HELIOS_POLL_INTERVAL_SECONDS = env_int("HELIOS_POLL_INTERVAL_SECONDS", 240)
