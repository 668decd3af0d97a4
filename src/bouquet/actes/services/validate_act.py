"""Mark an acknowledged act "Validé" (4 → 5), allowed two months after its AR (S²LOW ``canValidate``)."""

import calendar
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from bouquet.actes import workflow
from bouquet.actes.choices import Status
from bouquet.actes.errors import WorkflowError
from bouquet.actes.models import Transaction
from bouquet.actes.services import common
from bouquet.core.audit import Actor

__all__ = ["validate_act"]


def add_months(moment: datetime, months: int) -> datetime:
    """Same day ``months`` later, clamped to the month's last day (31 December + 2 → 28/29 February)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def validate_act(*, act: Transaction, actor: Actor, now: datetime | None = None) -> Transaction:
    """Validate ``act``.

    :raises RightsError: the actor may not prepare acts for the authority.
    :raises WorkflowError: not acknowledged, or less than ``ACTES_VALIDATE_AFTER_MONTHS`` since the AR.
    """
    common.require_prepare(actor, act.authority)
    now = now or timezone.now()
    ar = act.history.filter(status=Status.ACQUITTEMENT_RECU).order_by("-at").first()
    if ar is not None:
        allowed_from = add_months(ar.at, settings.ACTES_VALIDATE_AFTER_MONTHS)
        if now < allowed_from:
            raise WorkflowError(
                "La validation n'est possible que deux mois après l'accusé de réception"
                f" (à partir du {timezone.localtime(allowed_from):%d/%m/%Y})."
            )
    return workflow.change_status(act, workflow.Event.VALIDATED, message="Acte validé", actor=actor, now=now)
