from django.conf import settings
from django.db import models
from django.utils import timezone

from bouquet.helios.choices import IncomingKind, IncomingState
from bouquet.helios.querysets import RetourQuerySet


class IncomingFile(models.Model):
    """A file taken from the DGFiP's ``sortie`` directory, and what became of it.

    (name, sha256) is unique: a file fetched twice (the worker died before moving it away) is
    applied once. Those ``unassigned`` (a PES_Retour whose SIRET no member sent) or in ``error``
    (an acquittement matching no transaction, an unreadable file) form the list operator staff review.
    """

    name = models.CharField("nom du fichier", max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField("taille")
    file = models.ForeignKey("helios.StoredFile", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField("reçu le", default=timezone.now)
    kind = models.CharField("nature", max_length=10, choices=IncomingKind.choices)
    state = models.CharField("état", max_length=12, choices=IncomingState.choices)
    reason = models.TextField("motif", blank=True)
    # What the file names (for acquits: NomFic/CodCol; for retours: the SIRET IdColl).
    nom_fic = models.CharField("NomFic", max_length=100, blank=True)
    cod_col = models.CharField("CodCol", max_length=10, blank=True)
    siret = models.CharField("SIRET (IdColl)", max_length=14, blank=True)
    authority = models.ForeignKey(
        "core.Authority", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transaction = models.ForeignKey(
        "helios.Transaction", on_delete=models.SET_NULL, null=True, blank=True, related_name="incoming_files"
    )

    class Meta:
        verbose_name = "fichier reçu de la DGFiP"
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["name", "sha256"], name="helios_incoming_once")]
        indexes = [models.Index(fields=["state", "-received_at"], name="helios_incoming_state")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_state_display()})"

    def read(self) -> bytes:
        return self.file.read()


class Retour(models.Model):
    """A PES_Retour routed to an authority through the SIRET it carries (S²LOW ``helios_retour``)."""

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="helios_retours")
    siret = models.CharField("SIRET (IdColl)", max_length=14)
    filename = models.CharField("nom du fichier", max_length=255)
    file = models.ForeignKey("helios.StoredFile", on_delete=models.PROTECT, related_name="+")
    size = models.PositiveBigIntegerField("taille")
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField("reçu le", default=timezone.now)
    nom_fic = models.CharField("NomFic", max_length=100, blank=True)
    typ_fic = models.CharField("TypFic", max_length=30, blank=True)
    cod_col = models.CharField("CodColl", max_length=10, blank=True)
    cod_bud = models.CharField("CodBud", max_length=10, blank=True)
    id_post = models.CharField("IdPost", max_length=10, blank=True)
    #: Domain blocks with their restitution type: ``[{"tag", "typ_restit", "bordereaux"}]``.
    blocks = models.JSONField("contenu", default=list, blank=True)
    schema_valid = models.BooleanField("conforme au schéma", default=False)
    # S²LOW ``status``: 0 non lu, 1 lu (per authority: a retour belongs to one).
    is_read = models.BooleanField("lu", default=False)
    read_at = models.DateTimeField("lu le", null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    incoming = models.OneToOneField(
        IncomingFile, on_delete=models.PROTECT, null=True, blank=True, related_name="retour"
    )

    objects = RetourQuerySet.as_manager()

    class Meta:
        verbose_name = "PES Retour"
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["authority", "is_read", "-received_at"], name="helios_retour_inbox")]

    def __str__(self) -> str:
        return self.filename

    @property
    def siren(self) -> str:
        """S²LOW stores the first 9 digits of the SIRET."""
        return self.siret[:9]

    def read(self) -> bytes:
        return self.file.read()
