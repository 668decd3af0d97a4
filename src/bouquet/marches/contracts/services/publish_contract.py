"""Publish a contract's essential data: validated against both official schemas first."""

from django.db import transaction
from django.utils import timezone

from bouquet.marches.contracts.choices import ContractStatus
from bouquet.marches.contracts.errors import ContractError, DecpNotPublishable, IncompleteData
from bouquet.marches.contracts.models import Contract
from bouquet.marches.contracts.records import build_marche, decp_required, missing_fields, threshold_for
from bouquet.marches.contracts.services.common import actor_of, event, journal, require_write
from bouquet.marches.decp import Dataset, Verdict, validate_dataset
from bouquet.marches.decp.mapping import to_json

__all__ = ["check_contract", "publish_contract"]


def check_contract(contract: Contract, today=None) -> Verdict:
    """The verdict of both schemas and the rules on the record as it would be published today.

    :raises IncompleteData: required essential data are still empty.
    """
    missing = missing_fields(contract)
    if missing:
        raise IncompleteData(missing)
    record = build_marche(contract, published_on=today or timezone.localdate())
    return validate_dataset(Dataset(marches=(record,)))


def publish_contract(*, contract: Contract, actor, today=None) -> Contract:
    """Validate the record against schema 2.0.3 (JSON) and 2.0.2 (XML) and the coherence rules,
    then publish it in the operator's open-data dataset. Nothing invalid is ever published.

    :raises RightsError: no write right on MARCHES in the contract's authority.
    :raises IncompleteData: required data missing; :raises DecpNotPublishable: schema or rule errors
        (with the verdict); :raises ContractError: below the threshold or already published.
    """
    actor = actor_of(actor)
    require_write(actor, contract.authority)
    today = today or timezone.localdate()
    if not decp_required(contract):
        threshold = threshold_for(contract)
        raise ContractError(
            f"Ce marché ({contract.amount_ht} € HT) est sous le seuil de publication "
            f"({threshold or 'aucun seuil à cette date'} € HT) : ses données essentielles ne vont pas "
            "sur data.gouv.fr."
        )
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.is_published:
            raise ContractError("Les données essentielles de ce marché sont déjà publiées.")
        verdict = check_contract(contract, today)
        if not verdict.ok:
            raise DecpNotPublishable(verdict)
        record = build_marche(contract, published_on=today)
        contract.status = ContractStatus.PUBLISHED
        contract.published_on, contract.published_at = today, timezone.now()
        contract.published_record = to_json(record)
        contract.save(
            update_fields=["status", "published_on", "published_at", "published_record", "updated_at"]
        )
        event(
            contract.consultation,
            "published",
            f"Données essentielles du contrat {contract.decp_id} publiées (validées par les schémas "
            "officiels JSON 2.0.3 et XML 2.0.2).",
            actor,
            contract=contract.pk,
        )
        journal(actor, "contract.publish", contract, record=contract.published_record)
    return contract
