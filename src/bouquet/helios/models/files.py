from django.db import models


class StoredFile(models.Model):
    """File content stored once in the default storage, addressed by its SHA-256 (``helios/…``).

    PES files are kept byte for byte: what we send to the DGFiP is exactly what was received
    (a signature covers the bytes, any re-serialisation would break it).
    """

    sha256 = models.CharField(max_length=64, unique=True)
    sha1 = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField("taille")
    path = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "fichier stocké (HELIOS)"

    def __str__(self) -> str:
        return self.sha256

    def read(self) -> bytes:
        """The content, checked against its SHA-256 (an altered file is an error, never data)."""
        from bouquet.helios.storage import read_bytes

        return read_bytes(self)

    def open(self):
        """A binary stream on the content (not checked: for large downloads)."""
        from bouquet.helios.storage import open_stream

        return open_stream(self)
