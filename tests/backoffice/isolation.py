"""Back-office URLs for tests/test_tenant_isolation.py: members get 403 on every one of them."""

from datetime import date
from decimal import Decimal

from bouquet.backoffice.choices import ConventionFileKind, ConventionStatus
from bouquet.backoffice.models import AidRule, Convention, ConventionFile, FeeRule
from bouquet.core.models import Module

OBJECT_URLS = {
    "backoffice:member": lambda t: {"pk": t.authority_b.pk},
    "backoffice:member_status": lambda t: {"pk": t.authority_b.pk},
    "backoffice:convention_create": lambda t: {"pk": t.authority_b.pk},
    "backoffice:kit_document": lambda t: {"pk": t.authority_b.pk, "document": "demande-avenant"},
    "backoffice:convention": lambda t: {"pk": t.bo_convention_b.pk},
    "backoffice:convention_status": lambda t: {"pk": t.bo_convention_b.pk},
    "backoffice:convention_edit": lambda t: {"pk": t.bo_convention_b.pk},
    "backoffice:convention_upload": lambda t: {"pk": t.bo_convention_b.pk},
    "backoffice:convention_file": lambda t: {"pk": t.bo_file_b.pk},
}
# The operator's own objects (its fee grid, aids, document texts): no member owns them.
NON_TENANT_URLS = {
    "backoffice:fee_rule_edit": lambda t: {"pk": t.bo_fee_rule.pk},
    "backoffice:template_edit": lambda t: {"kind": "amendment_request"},
    "backoffice:template_reset": lambda t: {"kind": "amendment_request"},
    "backoffice:aid": lambda t: {"pk": t.bo_aid.pk},
    "backoffice:aid_edit": lambda t: {"pk": t.bo_aid.pk},
    "backoffice:aid_payment": lambda t: {"pk": t.bo_aid.pk},
    "backoffice:aid_csv": lambda t: {"pk": t.bo_aid.pk},
    "backoffice:aid_xlsx": lambda t: {"pk": t.bo_aid.pk},
}


def objects_for_b(cls) -> None:
    cls.bo_convention_b = Convention.objects.create(
        authority=cls.authority_b,
        module="ACTES",
        subject="Convention B",
        status=ConventionStatus.SIGNED,
        signed_on=date(2020, 1, 1),
        effective_from=date(2020, 1, 1),
    )
    cls.bo_file_b = ConventionFile.objects.create(
        convention=cls.bo_convention_b,
        authority=cls.authority_b,
        kind=ConventionFileKind.SIGNED,
        original_name="convention-b.pdf",
        path="backoffice/conventions/isolation-b.pdf",
        sha256="e" * 64,
        size=4,
    )
    cls.bo_fee_rule = FeeRule.objects.create(
        operator=cls.operator,
        module=Module.objects.get(code="MARCHES"),
        amount=Decimal("50"),
        valid_from=date(2025, 1, 1),
    )
    cls.bo_aid = AidRule.objects.create(
        operator=cls.operator, name="Dotation socle", amount=Decimal("1000"), valid_from=date(2025, 1, 1)
    )
