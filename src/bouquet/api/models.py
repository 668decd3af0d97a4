"""API tokens: a secret bound to one membership (user + authority), stored only as its SHA-256."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet

__all__ = ["ApiToken", "hash_token"]


def hash_token(raw: str) -> str:
    """SHA-256 of the token, hex: what the database keeps (a leaked table gives no usable token)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiTokenQuerySet(TenantQuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A bearer token for the REST API, acting as ``user`` within ``authority`` only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    authority = models.ForeignKey("core.Authority", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    key_hash = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    prefix = models.CharField("début du jeton", max_length=16)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "jeton d'API"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
