from django.conf import settings
from django.db import models


class Nonce(models.Model):
    """A single-use "nounce" issued to an API client, for one browser redirect (S²LOW §2.4).

    ``expected_hash`` is sha256_hex("<password>:<nounce>"), computed at issue time from the HTTP Basic
    password just verified (only argon2 hashes of passwords are stored); it is erased once used.
    """

    value = models.CharField("valeur", max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    expected_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("émis le", auto_now_add=True, db_index=True)
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)

    class Meta:
        verbose_name = "jeton de redirection (nounce)"

    def __str__(self) -> str:
        return f"{self.value[:8]}… ({self.user_id})"
