"""Create the contract of an awarded lot (the bids app calls this when it awards)."""

import re
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction

from bouquet.marches.choices import DECP_PROCEDURE, Kind
from bouquet.marches.contracts.errors import ContractError
from bouquet.marches.contracts.models import Contract
from bouquet.marches.contracts.services.common import actor_of, as_date, clean_holders, event, journal
from bouquet.marches.decp import id_problem

__all__ = ["open_contract"]

CCAG_BY_KIND = {Kind.WORKS: "Travaux", Kind.SUPPLIES: "Fournitures courantes et services"}


def open_contract(*, consultation, lot, holder_siret, holder_name, amount_ht, notified_on, actor) -> Contract:
    """The contract of ``lot`` (``None`` for a consultation without lots), awarded to one holder.

    The essential data the consultation already knows (object, CPV, procedure, place, duration,
    offers received) are filled in; the buyer completes the rest before publishing. Called again
    for the same lot before publication (a new award decision), it updates the holder, amount and
    date instead of creating a second contract.

    :param notified_on: the date the holder received the notification (a date or an aware datetime).
    :param actor: an ``Actor``, a ``User`` or ``None`` (system).
    :raises ContractError: lot of another consultation, missing lot, invalid SIRET or amount, or
        essential data already published (then use a modification).
    """
    actor = actor_of(actor)
    if lot is not None and lot.consultation_id != consultation.pk:
        raise ContractError("Ce lot n'appartient pas à cette consultation.")
    if lot is None and consultation.lots.exists():
        raise ContractError("Cette consultation est allotie : un contrat se rattache à un lot.")
    holders = clean_holders([{"id": holder_siret, "type": "SIRET", "name": holder_name}])
    amount = _amount(amount_ht)
    notified_on = as_date(notified_on)
    with transaction.atomic():
        existing = Contract.objects.select_for_update().filter(consultation=consultation, lot=lot).first()
        if existing is not None:
            return _update(existing, holders, amount, notified_on, actor)
        contract = Contract(
            authority=consultation.authority,
            consultation=consultation,
            lot=lot,
            holders=holders,
            amount_ht=amount,
            notified_on=notified_on,
            created_by=actor.user,
            **_defaults(consultation, lot),
        )
        contract.decp_id = _decp_id(contract)
        try:
            with transaction.atomic():
                contract.save()
        except IntegrityError:  # two awards at once took the same identifier: take the next one
            contract.decp_id = _sequential_id(contract)
            contract.save()
        event(
            consultation,
            "opened",
            f"Contrat {contract.decp_id} ({contract.lot_label}) créé : attribué à {holder_name} "
            f"pour {amount} € HT, notifié le {notified_on:%d/%m/%Y}.",
            actor,
            contract=contract.pk,
            lot=lot.number if lot else None,
        )
        journal(
            actor, "contract.open", contract, decp_id=contract.decp_id, holder=holders[0], amount_ht=amount
        )
    return contract


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ContractError(f"Le montant « {value} » n'est pas un nombre.") from None
    if not amount.is_finite() or amount < 1:
        raise ContractError("Le montant du marché doit être d'au moins 1 € HT.")
    return amount.quantize(Decimal("0.01"))


def _update(contract: Contract, holders, amount, notified_on, actor) -> Contract:
    if contract.is_published:
        raise ContractError(
            f"Les données essentielles du contrat {contract.decp_id} sont déjà publiées : "
            "tout changement passe par une modification (avenant)."
        )
    before = {
        "holders": contract.holders,
        "amount_ht": str(contract.amount_ht),
        "notified_on": contract.notified_on,
    }
    contract.holders, contract.amount_ht, contract.notified_on = holders, amount, notified_on
    contract.save(update_fields=["holders", "amount_ht", "notified_on", "updated_at"])
    event(
        contract.consultation,
        "reopened",
        f"Contrat {contract.decp_id} ({contract.lot_label}) : nouvelle attribution à {holders[0]['name']} "
        f"pour {amount} € HT.",
        actor,
        contract=contract.pk,
    )
    journal(actor, "contract.reopen", contract, before=before, holder=holders[0], amount_ht=amount)
    return contract


def _defaults(consultation, lot) -> dict:
    if lot is not None:
        obj = f"{consultation.object} — lot {lot.number} : {lot.object}"
    else:
        obj = consultation.object
    return {
        "buyer_siret": consultation.buyer_siret,
        "object": obj[:1000],
        "cpv": (lot.cpv if lot is not None and lot.cpv else consultation.cpv_main),
        "procedure": DECP_PROCEDURE.get(consultation.procedure, ""),
        "techniques": ["Sans objet"],
        "execution_modes": ["Sans objet"],
        "ccag": CCAG_BY_KIND.get(consultation.kind, ""),
        "offers_received": _offers_received(consultation, lot),
        "place_code": consultation.execution_place_code,
        "place_code_type": consultation.execution_place_code_type or "Code commune",
        "duration_months": consultation.duration_months,
    }


def _offers_received(consultation, lot) -> int | None:
    """Companies whose offer for the lot arrived in time (DECP counts irregular offers too)."""
    from bouquet.marches.bids.choices import DepositStatus, EnvelopeKind
    from bouquet.marches.bids.models import Deposit

    count = (
        Deposit.objects.filter(
            consultation=consultation,
            status=DepositStatus.RECEIVED,
            is_late=False,
            is_test=False,
            envelopes__kind=EnvelopeKind.OFFER,
            envelopes__lot=lot,
        )
        .values("company")
        .distinct()
        .count()
    )
    return count or None


def _decp_id(contract: Contract) -> str:
    """The consultation's reference (with the lot number), when it makes a valid, free identifier."""
    base = re.sub(r'[&"\\<,; ]+', "-", contract.consultation.reference).strip("-")
    candidates = (
        [f"{base}-L{contract.lot.number}", f"{base}L{contract.lot.number}"] if contract.lot_id else [base]
    )
    for candidate in candidates:
        if candidate and not id_problem(candidate):
            if not Contract.objects.filter(buyer_siret=contract.buyer_siret, decp_id=candidate).exists():
                return candidate
    return _sequential_id(contract)


def _sequential_id(contract: Contract) -> str:
    """``2026M0007``: the year of notification and the buyer's next number that year."""
    prefix = f"{contract.notified_on.year}M"
    taken = set(
        Contract.objects.filter(buyer_siret=contract.buyer_siret, decp_id__startswith=prefix).values_list(
            "decp_id", flat=True
        )
    )
    number = len(taken) + 1
    while f"{prefix}{number:04d}" in taken:
        number += 1
    return f"{prefix}{number:04d}"
