"""How long the archive keeps each consultation's documents, and what is due for destruction.

Two periods (settings, SIAF/DAJ referential of January 2021):

* procedure documents and unsuccessful bids (DCE, notices, questions, register of withdrawals,
  deposits not retained, messages): ``MARCHES_RETENTION_PROCEDURE_YEARS`` (5) from the
  notification of the contract — the latest one when the consultation has several lots — or,
  when nothing was awarded, from the end of the procedure (unsuccessful or cancelled);
* contract documents (contract data, modifications, the holder's offer):
  ``MARCHES_RETENTION_CONTRACT_YEARS`` (10) from the end of execution, as recorded by the buyer,
  or else estimated from the notification and the duration (the latest modification's included).

Destruction itself is the archivist's decision (with the archives service's approval): this module
only lists what has reached its term.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import timezone

from bouquet.marches.choices import Status
from bouquet.marches.contracts.models import Contract

__all__ = [
    "RetentionItem",
    "add_months",
    "contract_end",
    "contract_item",
    "due_for_destruction",
    "procedure_item",
    "retention_schedule",
]

ENDED_WITHOUT_CONTRACT = {Status.UNSUCCESSFUL, Status.CANCELLED}


@dataclass(frozen=True)
class RetentionItem:
    """One set of documents and the day its retention ends.

    :ivar kind: ``procedure`` or ``contract``.
    :ivar start_label: what the period counts from, in words.
    :ivar estimated: True when the end of execution is estimated, not recorded.
    """

    kind: str
    label: str
    consultation: object
    contract: object | None
    start: date
    start_label: str
    years: int
    due_on: date
    estimated: bool = False

    def is_due(self, today: date) -> bool:
        return self.due_on <= today


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (31 January + 1 month → 28 or 29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def contract_end(contract: Contract) -> tuple[date | None, bool]:
    """(end of execution, estimated?) — the recorded date, else notification + duration."""
    if contract.execution_ended_on:
        return contract.execution_ended_on, False
    durations = [m.duration_months for m in contract.modifications.all() if m.duration_months]
    months = durations[-1] if durations else contract.duration_months
    if not months:
        return None, True
    return add_months(contract.notified_on, months), True


def contract_item(contract: Contract) -> RetentionItem | None:
    end, estimated = contract_end(contract)
    if end is None:
        return None
    years = settings.MARCHES_RETENTION_CONTRACT_YEARS
    return RetentionItem(
        kind="contract",
        label=f"Pièces du marché {contract.decp_id} ({contract.lot_label}) : "
        "contrat, modifications, offre retenue",
        consultation=contract.consultation,
        contract=contract,
        start=end,
        start_label="fin d'exécution estimée" if estimated else "fin d'exécution",
        years=years,
        due_on=add_months(end, 12 * years),
        estimated=estimated,
    )


def procedure_item(consultation, contracts: list[Contract]) -> RetentionItem | None:
    """None while the procedure is still running (nothing awarded, nothing ended)."""
    years = settings.MARCHES_RETENTION_PROCEDURE_YEARS
    if contracts:
        start, start_label = max(c.notified_on for c in contracts), "notification du marché"
    elif consultation.status in ENDED_WITHOUT_CONTRACT:
        start, start_label = timezone.localdate(consultation.status_changed_at), "fin de la procédure"
    else:
        return None
    return RetentionItem(
        kind="procedure",
        label=f"Pièces de la procédure {consultation.reference} : DCE, avis, questions, retraits, "
        "plis non retenus, échanges",
        consultation=consultation,
        contract=None,
        start=start,
        start_label=start_label,
        years=years,
        due_on=add_months(start, 12 * years),
    )


def retention_schedule(authority) -> list[RetentionItem]:
    """Every dated item of the authority's consultations and contracts, soonest term first."""
    from bouquet.marches.models import Consultation

    contracts_by_consultation: dict[int, list[Contract]] = {}
    for contract in (
        Contract.objects.for_tenant(authority)
        .select_related("consultation", "lot")
        .prefetch_related("modifications")
    ):
        contracts_by_consultation.setdefault(contract.consultation_id, []).append(contract)
    items: list[RetentionItem] = []
    for consultation in Consultation.objects.for_tenant(authority).filter(is_test=False):
        contracts = contracts_by_consultation.get(consultation.pk, [])
        items += [i for i in [procedure_item(consultation, contracts)] if i]
        items += [i for i in map(contract_item, contracts) if i]
    return sorted(items, key=lambda i: (i.due_on, i.label))


def due_for_destruction(authority, today: date | None = None) -> list[RetentionItem]:
    today = today or timezone.localdate()
    return [item for item in retention_schedule(authority) if item.is_due(today)]
