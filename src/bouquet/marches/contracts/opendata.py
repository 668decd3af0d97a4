"""The operator's open-data files for data.gouv.fr: the DECP dataset (JSON and XML) of every
member's published contracts, and the buyer profile declaration CSV.

Only records stored at publication (validated then against both schemas) are used, and the whole
dataset is validated again when the files are built (``bouquet marches decp-export``).
"""

from dataclasses import dataclass
from urllib.parse import quote_plus

from django.conf import settings
from django.utils.text import slugify

from bouquet.core.choices import ModuleCode
from bouquet.core.models import Authority, Siret, Subscription
from bouquet.marches.contracts.models import Contract
from bouquet.marches.decp import Dataset, Marche, ProfileDeclaration, build_dpa_csv, build_json, build_xml
from bouquet.marches.decp.mapping import from_json

__all__ = ["OpenDataFiles", "file_names", "operator_dataset", "operator_files", "profile_declarations"]


@dataclass(frozen=True)
class OpenDataFiles:
    json: bytes
    xml: bytes
    dpa_csv: bytes
    count: int


def operator_dataset(operator) -> Dataset:
    """Every published contract of the operator's members, in a stable order (buyer, identifier)."""
    contracts = Contract.objects.of_operator(operator).published().order_by("buyer_siret", "decp_id", "pk")
    return Dataset(marches=tuple(from_json(Marche, c.published_record, c.decp_id) for c in contracts))


def _profile_url(siret: str, authority: Authority) -> str:
    base = settings.MARCHES_PUBLIC_URL.rstrip("/")
    return settings.MARCHES_DPA_PROFILE_URL.format(
        base=base, siret=siret, siren=siret[:9], name=quote_plus(authority.name)
    )


def _coordinates(authority: Authority) -> str:
    parts = [authority.name, authority.email, authority.phone]
    return ", ".join(p for p in parts if p)


def profile_declarations(operator) -> list[ProfileDeclaration]:
    """One line per buyer SIRET of the members subscribed to the procurement service."""
    from bouquet.marches.models import Consultation

    subscribed = (
        Subscription.objects.current()
        .filter(module__code=ModuleCode.MARCHES, authority__operator=operator)
        .values_list("authority", flat=True)
    )
    rows: dict[str, ProfileDeclaration] = {}
    for authority in Authority.objects.filter(pk__in=subscribed).order_by("pk"):
        sirets = set(Siret.objects.for_tenant(authority).values_list("siret", flat=True))
        sirets |= set(Consultation.objects.for_tenant(authority).values_list("buyer_siret", flat=True))
        for siret in sorted(s for s in sirets if s):
            rows.setdefault(
                siret, ProfileDeclaration(siret, _profile_url(siret, authority), _coordinates(authority))
            )
    return list(rows.values())


def operator_files(operator) -> OpenDataFiles:
    dataset = operator_dataset(operator)
    return OpenDataFiles(
        json=build_json(dataset),
        xml=build_xml(dataset),
        dpa_csv=build_dpa_csv(profile_declarations(operator)),
        count=len(dataset),
    )


def file_names(operator) -> dict[str, str]:
    """Stable names (a data.gouv.fr resource is replaced in place): ``decp-<operator>.json``…"""
    slug = slugify(operator.name) or f"operateur-{operator.pk}"
    return {
        "json": f"decp-{slug}.json",
        "xml": f"decp-{slug}.xml",
        "dpa_csv": f"profils-acheteurs-{slug}.csv",
    }
