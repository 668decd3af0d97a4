"""Settings of the marches_bids context (environment variables, with the embedded default's values)."""

from bouquet.config.env import env_int, env_secret, env_str

# Size of the pieces a browser sends a file in (bytes). A multiple of 64 KiB; every piece but a
# file's last one has exactly this size, so a network cut costs at most one piece.
MARCHES_BIDS_CHUNK_SIZE = env_int("MARCHES_BIDS_CHUNK_SIZE", 4 * 1024 * 1024)
# Largest deposit (all its files together) and most files in one deposit.
MARCHES_BIDS_MAX_DEPOSIT_SIZE = env_int("MARCHES_BIDS_MAX_DEPOSIT_SIZE", 1024 * 1024 * 1024)
MARCHES_BIDS_MAX_FILES = env_int("MARCHES_BIDS_MAX_FILES", 100)
# The key vault: where each consultation's sealed private key lives, outside the database.
# Empty: <BOUQUET_VAR_DIR>/keyvault. Never inside the repository; mode 0700.
MARCHES_BIDS_KEY_VAULT_DIR = env_str("MARCHES_BIDS_KEY_VAULT_DIR", "")
# The vault's secret (or MARCHES_BIDS_VAULT_SECRET_FILE). Empty: generated once into the vault
# directory. Production keeps it out of the application host's backups (see docs/marches-bids.md).
MARCHES_BIDS_VAULT_SECRET = env_secret("MARCHES_BIDS_VAULT_SECRET")
# Health samples of the platform: every this many seconds near a bid deadline (`bouquet
# marches_bids monitor`, and opportunistically while deposits arrive)...
MARCHES_BIDS_HEALTH_INTERVAL_SECONDS = env_int("MARCHES_BIDS_HEALTH_INTERVAL_SECONDS", 30)
# ... within this many hours before and after a deadline; every 10 minutes otherwise.
MARCHES_BIDS_HEALTH_WINDOW_HOURS = env_int("MARCHES_BIDS_HEALTH_WINDOW_HOURS", 2)
# Files larger than this are not decrypted for signature checking at opening (they can still be
# downloaded and checked by hand).
MARCHES_BIDS_SIGNATURE_CHECK_MAX_SIZE = env_int("MARCHES_BIDS_SIGNATURE_CHECK_MAX_SIZE", 100 * 1024 * 1024)
