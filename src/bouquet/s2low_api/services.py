"""Issue and consume the single-use nonces of S²LOW's browser redirects."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bouquet.s2low_api.models import Nonce

__all__ = ["NONCE_LIFETIME", "consume_nonce", "issue_nonce", "nonce_hash"]

NONCE_LIFETIME = timedelta(minutes=5)


def nonce_hash(password: str, nounce: str) -> str:
    """What the client sends as ``hash``: sha256_hex("<password>:<nounce>")."""
    return hashlib.sha256(f"{password}:{nounce}".encode()).hexdigest()


def issue_nonce(*, user, password: str) -> Nonce:
    """A new nonce for ``user``, whose ``password`` was just verified; purges expired ones."""
    now = timezone.now()
    value = secrets.token_hex(20)
    with transaction.atomic():
        Nonce.objects.filter(created_at__lt=now - NONCE_LIFETIME).delete()
        return Nonce.objects.create(value=value, user=user, expected_hash=nonce_hash(password, value))


def consume_nonce(*, value: str, login: str, hash_hex: str) -> tuple[object | None, str | None]:
    """(user, None) when the nonce is fresh, unused, issued to ``login`` and ``hash_hex`` matches.

    Any attempt uses the nonce up, so a wrong hash cannot be retried.
    """
    now = timezone.now()
    nonce = Nonce.objects.filter(value=value).select_related("user").first()
    if nonce is None:
        return None, "Jeton de connexion (nounce) inconnu."
    with transaction.atomic():
        claimed = Nonce.objects.filter(pk=nonce.pk, used_at__isnull=True).update(
            used_at=now, expected_hash=""
        )
    if not claimed:
        return None, "Ce jeton de connexion (nounce) a déjà été utilisé."
    if nonce.created_at < now - NONCE_LIFETIME:
        return None, "Ce jeton de connexion (nounce) a expiré."
    user = nonce.user
    same_login = login.strip().lower() == user.email.lower()
    if not (
        same_login and hmac.compare_digest(hash_hex.strip().lower().encode(), nonce.expected_hash.encode())
    ):
        return None, "Authentification refusée : identifiant ou empreinte (hash) incorrect."
    if not user.is_active:
        return None, "Ce compte est désactivé."
    return user, None
