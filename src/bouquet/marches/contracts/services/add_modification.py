"""Add a modification (avenant) to a contract; published at once when the contract's data are."""

from dataclasses import replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bouquet.marches.contracts.errors import ContractError, DecpNotPublishable
from bouquet.marches.contracts.models import Contract, ContractModification
from bouquet.marches.contracts.records import decp_required, modification_record
from bouquet.marches.contracts.services.common import actor_of, clean_holders, event, journal, require_write
from bouquet.marches.decp import Dataset, Marche, validate_dataset
from bouquet.marches.decp.mapping import from_json, to_json

__all__ = ["add_modification"]


def add_modification(
    *,
    contract: Contract,
    actor,
    reason: str,
    notified_on,
    signed_on=None,
    duration_months: int | None = None,
    amount_ht: Decimal | None = None,
    holders: list[dict] | None = None,
    today=None,
) -> ContractModification:
    """Record an avenant: new amount, new duration and/or new holders, with its dates.

    When the contract's essential data are published, the whole record with this modification is
    validated against both official schemas and the rules before anything is saved, and the
    modification is published with it (DECP records are append-only).

    :raises RightsError: no write right on MARCHES in the contract's authority.
    :raises ContractError: nothing changes, dates out of order, data not yet published although due.
    :raises DecpNotPublishable: the record with this modification fails a schema or a rule.
    """
    actor = actor_of(actor)
    require_write(actor, contract.authority)
    today = today or timezone.localdate()
    holders = clean_holders(holders or [])
    reason = (reason or "").strip()
    if not reason:
        raise ContractError("Décrivez l'objet de la modification.")
    if duration_months is None and amount_ht is None and not holders:
        raise ContractError("Une modification change au moins le montant, la durée ou les titulaires.")
    if amount_ht is not None and amount_ht < 1:
        raise ContractError("Le nouveau montant doit être d'au moins 1 € HT.")
    if duration_months is not None and duration_months < 1:
        raise ContractError("La nouvelle durée doit être d'au moins 1 mois.")
    if signed_on and signed_on > notified_on:
        raise ContractError("La modification est notifiée après avoir été signée : vérifiez les deux dates.")
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if notified_on < contract.notified_on:
            raise ContractError("La modification ne peut pas être notifiée avant le marché lui-même.")
        if not contract.is_published and decp_required(contract):
            raise ContractError(
                "Publiez d'abord les données essentielles initiales du marché : "
                "une modification s'ajoute ensuite à ces données."
            )
        number = (contract.modifications.aggregate(n=Max("number"))["n"] or 0) + 1
        modification = ContractModification(
            authority=contract.authority,
            contract=contract,
            number=number,
            reason=reason,
            signed_on=signed_on,
            notified_on=notified_on,
            duration_months=duration_months,
            amount_ht=amount_ht,
            holders=holders,
            created_by=actor.user,
        )
        if contract.is_published:
            _publish_with(contract, modification, today)
        modification.save()
        event(
            contract.consultation,
            "modified",
            f"Modification n° {number} du contrat {contract.decp_id} : {reason[:200]}"
            + (" (données essentielles republiées)." if modification.published_on else "."),
            actor,
            contract=contract.pk,
            modification=number,
        )
        journal(
            actor,
            "contract.modify",
            contract,
            number=number,
            amount_ht=amount_ht,
            duration_months=duration_months,
            holders=holders,
            published=bool(modification.published_on),
        )
    return modification


def _publish_with(contract: Contract, modification: ContractModification, today) -> None:
    """Validate the published record plus this modification; keep the new record if valid."""
    published = [
        modification_record(m, m.published_on) for m in contract.modifications.exclude(published_on=None)
    ]
    # The initial data stay exactly as published (append-only): rebuilt from the published record.
    initial = from_json(Marche, contract.published_record, contract.decp_id)
    record = replace(initial, modifications=(*published, modification_record(modification, today)))
    verdict = validate_dataset(Dataset(marches=(record,)))
    if not verdict.ok:
        raise DecpNotPublishable(verdict)
    modification.published_on = today
    contract.published_record = to_json(record)
    contract.save(update_fields=["published_record", "updated_at"])
