"""Use cases of the procurement platform, one module each (STYLE 3.4)."""
