"""Issue (freeze) the year's fee calls from the current computation."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bouquet.backoffice.fees import MemberFee, compute_fee_calls
from bouquet.backoffice.models import FeeCall
from bouquet.core.audit import Actor, record
from bouquet.core.models import Operator

__all__ = ["IssueResult", "issue_fee_calls"]


@dataclass(frozen=True)
class IssueResult:
    created: int
    updated: int
    unchanged: int


def _lines(fee: MemberFee) -> list[dict]:
    return [
        {"module": line.module_code, "label": line.label, "amount": str(line.amount)}
        for line in fee.lines
        if line.rule_id is not None
    ]


def issue_fee_calls(*, operator, year: int, actor: Actor, authorities=None) -> IssueResult:
    """Create a numbered call (``2026-0001``…) for each member owing something; update a call whose
    amount changed since (journaled with the old and new amounts). Issuing twice changes nothing."""
    created = updated = unchanged = 0
    with transaction.atomic():
        Operator.objects.select_for_update().filter(
            pk=operator.pk
        ).first()  # numbers are per operator and year
        next_number = FeeCall.objects.filter(authority__operator=operator, year=year).count() + 1
        now = timezone.now()
        for fee in compute_fee_calls(operator, year, authorities):
            lines = _lines(fee)
            call = fee.issued
            if call is None and fee.total > 0:
                call = FeeCall.objects.create(
                    authority=fee.authority,
                    year=year,
                    number=f"{year}-{next_number:04d}",
                    amount=fee.total,
                    lines=lines,
                    issued_at=now,
                    issued_by=actor.user,
                )
                next_number += 1
                created += 1
                details = {"year": year, "number": call.number, "amount": call.amount, "lines": lines}
                record(
                    actor=actor,
                    action="backoffice.fee_call.issue",
                    authority=fee.authority,
                    obj=call,
                    details=details,
                )
            elif call is not None and (call.amount != fee.total or call.lines != lines):
                details = {
                    "year": year,
                    "number": call.number,
                    "before": str(call.amount),
                    "after": str(fee.total),
                }
                call.amount, call.lines, call.issued_at, call.issued_by = fee.total, lines, now, actor.user
                call.save(update_fields=["amount", "lines", "issued_at", "issued_by"])
                updated += 1
                record(
                    actor=actor,
                    action="backoffice.fee_call.update",
                    authority=fee.authority,
                    obj=call,
                    details=details,
                )
            else:
                unchanged += 1
    return IssueResult(created, updated, unchanged)
