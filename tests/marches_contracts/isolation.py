"""Tenant isolation declarations of the contracts app (read by tests/test_tenant_isolation.py)."""

from datetime import date
from decimal import Decimal

from bouquet.core.choices import Access

OBJECT_URLS = {
    "marches_contracts:detail": lambda t: {"pk": t.contract_b.pk},
    "marches_contracts:edit": lambda t: {"pk": t.contract_b.pk},
    "marches_contracts:preview": lambda t: {"pk": t.contract_b.pk},
    "marches_contracts:publish": lambda t: {"pk": t.contract_b.pk},
    "marches_contracts:modification_new": lambda t: {"pk": t.contract_b.pk},
    "marches_contracts:execution_end": lambda t: {"pk": t.contract_b.pk},
    "marches_contracts:archive": lambda t: {"pk": t.contract_b.consultation_id},
    "marches_contracts:history_detail": lambda t: {"pk": t.imported_b.pk},
}
# The operator's open-data files: public by law, every member's buyer SIRET is in them.
NON_TENANT_URLS = {
    "marches_contracts:opendata_json": lambda t: {"operator_id": t.operator.pk},
    "marches_contracts:opendata_xml": lambda t: {"operator_id": t.operator.pk},
    "marches_contracts:opendata_dpa": lambda t: {"operator_id": t.operator.pk},
}
PUBLIC_URLS = {
    "marches_contracts:opendata_json",
    "marches_contracts:opendata_xml",
    "marches_contracts:opendata_dpa",
}


def objects_for_b(cls) -> None:
    """A published contract of B (so that it is in the open-data files) and an imported consultation."""
    from bouquet.marches.contracts.models import ImportedConsultation
    from bouquet.marches.contracts.services.publish_contract import publish_contract

    from .base import BUYER_B, award, complete, grant, make_consultation

    grant(cls.alice, cls.authority_a, Access.WRITE)
    grant(cls.charlie, cls.authority_b, Access.WRITE)
    consultation = make_consultation(cls.authority_b, "B-ISO-01", siret=BUYER_B)
    cls.contract_b = publish_contract(
        contract=complete(award(consultation, amount="50000", notified_on=date(2026, 2, 1)), cls.charlie),
        actor=cls.charlie,
    )
    cls.imported_b = ImportedConsultation.objects.create(
        authority=cls.authority_b,
        reference="B-2019-04",
        object="Ancienne consultation de B",
        amount_ht=Decimal("12000"),
        source_name="export.xlsx",
        source_sha256="0" * 64,
        source_sheet="Feuil1",
        source_row=2,
    )
