"""Revoke an API token (idempotent); the row stays for the journal."""

from django.db import transaction as db
from django.utils import timezone

from bouquet.api.models import ApiToken
from bouquet.core.audit import Actor, record

__all__ = ["revoke_api_token"]


def revoke_api_token(*, token: ApiToken, actor: Actor) -> ApiToken:
    """Set ``revoked_at``; a revoked token authenticates nothing from then on."""
    with db.atomic():
        if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now()):
            record(
                actor=actor,
                action="api.token_revoke",
                authority=token.authority,
                obj=token,
                details={"name": token.name, "prefix": token.prefix},
            )
    token.refresh_from_db()
    return token
