"""Placeholder until the PKI part lands: links demo certificates to demo users."""


def load() -> list[str]:
    return []
