"""Complete (or correct) a contract's essential data before their publication."""

from django.db import transaction

from bouquet.marches.contracts.errors import ContractError
from bouquet.marches.contracts.models import Contract
from bouquet.marches.contracts.services.common import actor_of, clean_holders, event, journal, require_write
from bouquet.marches.decp import id_problem

__all__ = ["EDITABLE_FIELDS", "complete_contract", "set_execution_end"]

#: What the buyer may change before publication (the awarding data come from the award).
EDITABLE_FIELDS = (
    "decp_id",
    "nature",
    "object",
    "cpv",
    "procedure",
    "techniques",
    "execution_modes",
    "framework_id",
    "innovative",
    "ccag",
    "offers_received",
    "advance_granted",
    "advance_rate",
    "grouping_type",
    "place_code",
    "place_code_type",
    "duration_months",
    "notified_on",
    "amount_ht",
    "price_types",
    "price_form",
    "subcontracting_declared",
    "social_considerations",
    "environmental_considerations",
    "origin_eu",
    "origin_france",
    "holders",
    "execution_ended_on",
)


def complete_contract(*, contract: Contract, actor, data: dict) -> Contract:
    """Save the essential data typed by the buyer (only the keys of ``EDITABLE_FIELDS``).

    :raises RightsError: no write right on MARCHES in the contract's authority.
    :raises ContractError: already published, invalid identifier or holders (nothing changed).
    """
    actor = actor_of(actor)
    require_write(actor, contract.authority)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ContractError(f"Champs non modifiables : {', '.join(sorted(unknown))}.")
    if "decp_id" in data and (problem := id_problem(data["decp_id"])):
        raise ContractError(f"Identifiant du marché : {problem}")
    if "holders" in data:
        data = {**data, "holders": clean_holders(data["holders"])}
        if not data["holders"]:
            raise ContractError("Indiquez au moins un titulaire.")
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.is_published:
            raise ContractError(
                "Les données essentielles sont publiées : elles ne changent plus. "
                "Ajoutez une modification (avenant) pour ce qui a changé."
            )
        if "decp_id" in data and (
            Contract.objects.filter(buyer_siret=contract.buyer_siret, decp_id=data["decp_id"])
            .exclude(pk=contract.pk)
            .exists()
        ):
            raise ContractError(
                f"L'identifiant « {data['decp_id']} » est déjà pris par un autre marché de cet acheteur."
            )
        changed = {name: value for name, value in data.items() if getattr(contract, name) != value}
        if not changed:
            return contract
        before = {name: getattr(contract, name) for name in changed}
        for name, value in changed.items():
            setattr(contract, name, value)
        contract.save()
        event(
            contract.consultation,
            "completed",
            f"Données essentielles du contrat {contract.decp_id} mises à jour.",
            actor,
            contract=contract.pk,
            fields=sorted(changed),
        )
        journal(actor, "contract.complete", contract, before=before, after=changed)
    return contract


def set_execution_end(*, contract: Contract, actor, ended_on) -> Contract:
    """Record the end of execution (it starts the 10-year retention of the contract documents).

    Allowed after publication: it is not an essential datum.
    """
    actor = actor_of(actor)
    require_write(actor, contract.authority)
    if ended_on is not None and ended_on < contract.notified_on:
        raise ContractError("La fin d'exécution ne peut pas précéder la notification du marché.")
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        before = contract.execution_ended_on
        contract.execution_ended_on = ended_on
        contract.save(update_fields=["execution_ended_on", "updated_at"])
        shown = f"au {ended_on:%d/%m/%Y}" if ended_on else "effacée"
        event(
            contract.consultation,
            "execution_end",
            f"Fin d'exécution du contrat {contract.decp_id} {shown}.",
            actor,
            contract=contract.pk,
        )
        journal(actor, "contract.execution_end", contract, before=before, after=ended_on)
    return contract
