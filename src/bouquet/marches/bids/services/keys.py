"""The consultation's sealing key: created at the first deposit, unsealed only after the deadline.

Every unsealing, and every refused attempt, is written to the audit journal (and to the vault's own
``access.log``).
"""

from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from bouquet.core.audit import Actor, record
from bouquet.marches.bids import clock
from bouquet.marches.bids.errors import TooEarly
from bouquet.marches.bids.models import SealingKey
from bouquet.marches.bids.sealing.crypto import ALGORITHM
from bouquet.marches.bids.sealing.errors import SealedError
from bouquet.marches.bids.sealing.vault import FileKeyVault
from bouquet.marches.models import Consultation

__all__ = ["ensure_sealing_key", "unseal_private_key", "vault"]

_vaults: dict[tuple[str, str], FileKeyVault] = {}


def vault_directory() -> Path:
    return Path(settings.MARCHES_BIDS_KEY_VAULT_DIR or Path(settings.VAR_DIR) / "keyvault")


def vault() -> FileKeyVault:
    """The configured vault; its clock is the bids clock (the server's)."""
    key = (str(vault_directory()), settings.MARCHES_BIDS_VAULT_SECRET)
    if key not in _vaults:
        secret = key[1].encode() if key[1] else None
        _vaults[key] = FileKeyVault(Path(key[0]), secret, clock=lambda: clock.now())
    return _vaults[key]


def ensure_sealing_key(consultation: Consultation) -> SealingKey:
    """The consultation's key, created in the vault (sealed until the bid deadline) if needed."""
    found = SealingKey.objects.filter(consultation=consultation).first()
    if found is not None:
        return found
    sealed_until = consultation.bid_deadline or clock.now()
    candidate = SealingKey(
        authority_id=consultation.authority_id,
        consultation=consultation,
        algorithm=ALGORITHM,
        sealed_until=sealed_until,
    )
    # The vault file first: a rolled-back row leaves an unused sealed key, never a row without key.
    candidate.public_key = vault().create(str(candidate.key_id), sealed_until)
    try:
        with transaction.atomic():
            candidate.save()
            record(
                actor=Actor.system(),
                action="marches_bids.key.created",
                authority=consultation.authority,
                obj=candidate,
                details={
                    "consultation": consultation.pk,
                    "sealed_until": sealed_until,
                    "algorithm": ALGORITHM,
                },
            )
    except IntegrityError:
        vault().discard(str(candidate.key_id))
        return SealingKey.objects.get(consultation=consultation)
    return candidate


def unseal_private_key(key: SealingKey, *, actor: Actor, purpose: str) -> bytes:
    """The private key, if the vault agrees that the deadline has passed; journaled either way.

    :raises TooEarly: the deadline has not passed (the refused attempt is journaled).
    """
    consultation = key.consultation
    details = {"consultation": consultation.pk, "key_id": str(key.key_id), "purpose": purpose}
    try:
        private = vault().unseal(str(key.key_id), not_before=consultation.bid_deadline, purpose=purpose)
    except SealedError as exc:
        with transaction.atomic():
            record(
                actor=actor,
                action="marches_bids.key.refused",
                authority=key.authority,
                obj=key,
                details=details,
            )
        raise TooEarly(str(exc)) from exc
    with transaction.atomic():
        record(
            actor=actor, action="marches_bids.key.unsealed", authority=key.authority, obj=key, details=details
        )
        if key.first_unsealed_at is None:
            key.first_unsealed_at = clock.now()
            SealingKey.objects.filter(pk=key.pk, first_unsealed_at__isnull=True).update(
                first_unsealed_at=key.first_unsealed_at
            )
    return private
