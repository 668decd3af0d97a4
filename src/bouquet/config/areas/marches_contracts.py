"""Settings of the marches_contracts context (environment variables, with the embedded default's values)."""

from pathlib import Path  # noqa: F401

from bouquet.config.env import env_bool, env_int, env_list, env_str  # noqa: F401
