"""Demo data for `bouquet demo`; idempotent."""


def load() -> list[str]:
    return []
