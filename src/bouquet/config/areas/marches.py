"""Settings of the marches context (environment variables, with the embedded default's values)."""

from bouquet.config.env import env_int, env_str

# Address of the platform as companies see it: links in the e-mails to downloaders.
MARCHES_PUBLIC_URL = env_str("MARCHES_PUBLIC_URL", "http://localhost:8000")
# Largest DCE document accepted (bytes); bigger documents: say in the notice how to get them.
MARCHES_DCE_MAX_FILE_BYTES = env_int("MARCHES_DCE_MAX_FILE_BYTES", 200 * 1024 * 1024)
# Largest question a company may send (characters).
MARCHES_QUESTION_MAX_CHARS = env_int("MARCHES_QUESTION_MAX_CHARS", 5000)
