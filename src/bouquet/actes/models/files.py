from django.db import models

from bouquet.actes.choices import FileRole


class StoredFile(models.Model):
    """File content stored once in the default storage, addressed by its SHA-256."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField("taille")
    path = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "fichier stocké"

    def __str__(self) -> str:
        return self.sha256

    def read(self) -> bytes:
        from bouquet.actes.storage import read_bytes

        return read_bytes(self)


class TransactionFile(models.Model):
    """A file of a transaction: its name as uploaded, its @ctes name, its sniffed type."""

    transaction = models.ForeignKey("actes.Transaction", on_delete=models.CASCADE, related_name="files")
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    original_name = models.CharField("nom d'origine", max_length=255)
    business_name = models.CharField("nom @ctes", max_length=255, blank=True)
    mime_type = models.CharField("type", max_length=100, blank=True)
    size = models.PositiveBigIntegerField("taille")
    role = models.CharField("rôle", max_length=10, choices=FileRole.choices)
    typology = models.CharField("typologie", max_length=5, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "fichier de transaction"
        ordering = ["transaction", "position", "id"]

    def __str__(self) -> str:
        return self.business_name or self.original_name

    def read(self) -> bytes:
        return self.stored_file.read()
