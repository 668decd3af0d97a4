"""The HELIOS half of the import (PES files, acquits, dated history)."""

from django.apps import apps


def check(importer, sirens: set[str]) -> list[str]:
    try:
        apps.get_model("helios", "Transaction")
    except LookupError:
        return ["helios.csv : la reprise des flux HELIOS n'est pas encore possible sur cette plateforme."]
    return []


def run(importer, run, authorities) -> None:  # pragma: no cover - filled with the HELIOS models
    raise NotImplementedError
