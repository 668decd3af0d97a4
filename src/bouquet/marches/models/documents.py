from django.conf import settings
from django.db import models
from django.utils import timezone


class DceFile(models.Model):
    """One version of one document of the DCE (dossier de consultation des entreprises).

    Replacing a document adds a new row with the same ``name`` and the next ``version``; the old
    row is kept with ``replaced_at`` set, so that every download in the register still points at
    the exact bytes it served. Content lives in the default storage under a path built from the
    SHA-256 only (``marches/dce/…``): the user's file name never reaches the file system.
    """

    consultation = models.ForeignKey(
        "marches.Consultation", on_delete=models.CASCADE, related_name="dce_files"
    )
    name = models.CharField("nom", max_length=180)
    version = models.PositiveSmallIntegerField("version", default=1)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("taille")
    mime_type = models.CharField("type", max_length=100)
    format_label = models.CharField("format", max_length=20)
    path = models.CharField(max_length=200)
    description = models.CharField("description", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Set when a newer version replaces this one, or when the document is withdrawn.
    replaced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "document du DCE"
        ordering = ["consultation", "name", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "name", "version"], name="marches_dce_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None

    def read(self) -> bytes:
        from bouquet.marches.storage import read_bytes

        return read_bytes(self.path, self.sha256)

    def open(self):
        """A binary file object on the content (for streaming)."""
        from django.core.files.storage import default_storage

        return default_storage.open(self.path, "rb")
