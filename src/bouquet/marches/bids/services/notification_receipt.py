"""The winner's receipt of the notification: the contract's notification date (DECP
``dateNotification``), and the contract's essential data opened in the contracts app."""

import importlib
import logging
from datetime import datetime

from django.db import transaction

from bouquet.core.audit import Actor, record
from bouquet.marches.bids.models import Award
from bouquet.marches.bids.pdf.common import PARIS, local
from bouquet.marches.services.history import add_event

__all__ = ["contracts_service", "notification_received"]

logger = logging.getLogger(__name__)


def contracts_service():
    """``bouquet.marches.contracts.services.open_contract`` when the contracts app provides it."""
    try:
        module = importlib.import_module("bouquet.marches.contracts.services.open_contract")
    except ImportError:
        return None
    service = getattr(module, "open_contract", None)
    return service if callable(service) else None


def notification_received(*, award: Award, at: datetime, actor: Actor) -> bool:
    """Record the receipt once (call inside the transaction of the proof); False if already known."""
    with transaction.atomic():
        if not Award.objects.filter(pk=award.pk, notification_received_at__isnull=True).update(
            notification_received_at=at
        ):
            return False
        award.notification_received_at = at
        add_event(
            award.consultation,
            "bids.notification_received",
            f"Notification du marché ({award.lot_label}) reçue par {award.company.name} le {local(at)}.",
            actor,
            award=award.pk,
        )
        record(
            actor=actor,
            action="marches_bids.award.notification_received",
            authority=award.authority,
            obj=award,
            details={"at": at},
        )
        _open_contract(award, at, actor)
    return True


def _open_contract(award: Award, at: datetime, actor: Actor) -> None:
    open_contract = contracts_service()
    if open_contract is None:
        logger.info("contracts app has no open_contract service yet: award %s not passed on", award.pk)
        return
    try:
        with transaction.atomic():
            open_contract(
                consultation=award.consultation,
                lot=award.lot,
                holder_siret=award.company.siret,
                holder_name=award.company.name,
                amount_ht=award.amount_ht,
                notified_on=at.astimezone(PARIS).date(),
                actor=actor,
            )
            Award.objects.filter(pk=award.pk).update(contract_opened=True)
            award.contract_opened = True
    except Exception:  # noqa: BLE001 - the receipt stands; the buyer can retry from the award page
        logger.exception("open_contract failed for award %s", award.pk)
