"""What the contracts services share: the actor, history events, journal entries."""

from datetime import date, datetime

from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.marches.contracts.errors import ContractError
from bouquet.marches.decp import siret_is_valid

__all__ = ["actor_of", "as_date", "clean_holders", "event", "journal", "require_write"]


def actor_of(actor) -> Actor:
    """An ``Actor`` from an Actor, a User, or None (the system)."""
    if actor is None:
        return Actor.system()
    return actor if isinstance(actor, Actor) else Actor.of_user(actor)


def require_write(actor: Actor, authority) -> None:
    """The MARCHES write right of a user; the system (commands, demo) acts without one.

    :raises RightsError: a user without the write right in ``authority``.
    """
    if actor.user is None:
        return
    from bouquet.marches.services.common import require_write as require_user_write

    require_user_write(actor.user, authority)


def as_date(value) -> date:
    """A date from a date or an aware datetime (taken in Europe/Paris)."""
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def event(consultation, kind: str, message: str, actor: Actor, **data) -> None:
    """Append to the consultation's history (the marches app's service), in the caller's transaction."""
    from bouquet.marches.services.history import add_event

    add_event(consultation, f"contracts.{kind}", message, actor, **data)


def journal(actor: Actor, action: str, obj, **details) -> None:
    record(
        actor=actor, action=f"marches_contracts.{action}", authority=obj.authority, obj=obj, details=details
    )


def clean_holders(holders: list[dict]) -> list[dict]:
    """Holders as stored: ``{"id", "type", "name"}``, SIRETs checked.

    :raises ContractError: no holder, or an invalid SIRET.
    """
    cleaned = []
    for holder in holders:
        ident = str(holder.get("id", "")).replace(" ", "")
        kind = holder.get("type") or "SIRET"
        if kind == "SIRET" and not siret_is_valid(ident):
            raise ContractError(
                f"Le SIRET du titulaire « {ident} » n'est pas valide (14 chiffres, clé de contrôle)."
            )
        if not ident:
            raise ContractError("Chaque titulaire doit avoir un identifiant (SIRET de préférence).")
        cleaned.append({"id": ident, "type": kind, "name": str(holder.get("name", "")).strip()[:300]})
    return cleaned
