import uuid

from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet


class SealingKey(models.Model):
    """The public half of a consultation's key pair: every piece of every bid is encrypted to it
    on arrival. The private half never enters the database: it stays sealed in the key vault
    (``MARCHES_BIDS_KEY_VAULT_DIR``) until ``sealed_until``, and the vault refuses it before."""

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="+")
    consultation = models.OneToOneField(
        "marches.Consultation", on_delete=models.PROTECT, related_name="sealing_key"
    )
    key_id = models.UUIDField("identifiant dans le coffre", unique=True, default=uuid.uuid4, editable=False)
    algorithm = models.CharField("algorithme", max_length=100)
    public_key = models.BinaryField("clé publique")
    sealed_until = models.DateTimeField("scellée jusqu'au")
    created_at = models.DateTimeField(default=timezone.now)
    first_unsealed_at = models.DateTimeField("première ouverture", null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "clé de scellement"

    def __str__(self) -> str:
        return f"clé {self.key_id} ({self.consultation_id})"
