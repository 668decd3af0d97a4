from django.db import models
from django.utils import timezone

from bouquet.core.querysets import TenantQuerySet


class Acquit(models.Model):
    """A PES_ACQUIT (or another answer carrying the NomFic) attached to a transaction, kept byte for byte.

    ``helios_download_acquit.php`` serves the last one received.
    """

    authority = models.ForeignKey("core.Authority", on_delete=models.PROTECT, related_name="helios_acquits")
    transaction = models.ForeignKey("helios.Transaction", on_delete=models.CASCADE, related_name="acquits")
    file = models.ForeignKey("helios.StoredFile", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("nom du fichier reçu", max_length=255)
    received_at = models.DateTimeField("reçu le", default=timezone.now)
    root = models.CharField("élément racine", max_length=60)
    nom_fic = models.CharField("NomFic", max_length=100, blank=True)
    cod_col = models.CharField("CodCol", max_length=10, blank=True)
    #: Valid against the official acquit schema (real acquits are not always: they are applied anyway).
    schema_valid = models.BooleanField("conforme au schéma", default=False)
    schema_errors = models.JSONField("écarts au schéma", default=list, blank=True)
    #: Every ``ElementACQUIT`` has ``EtatAck`` = 1.
    all_accepted = models.BooleanField("tout accepté", default=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "acquittement HELIOS"
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    def read(self) -> bytes:
        return self.file.read()

    @property
    def accepted_count(self) -> int:
        return sum(1 for e in self.elements.all() if e.accepted)

    @property
    def refused_count(self) -> int:
        return sum(1 for e in self.elements.all() if not e.accepted)


class AcquitElement(models.Model):
    """One ``ElementACQUIT``: a bordereau, an attachment, a marché or the whole file, accepted or not."""

    acquit = models.ForeignKey(Acquit, on_delete=models.CASCADE, related_name="elements")
    position = models.PositiveIntegerField()
    domain = models.CharField("DomaineAck", max_length=5, blank=True)
    domain_label = models.CharField("domaine", max_length=60)
    accepted = models.BooleanField("accepté (EtatAck = 1)")
    num_bord = models.CharField("numéro de bordereau", max_length=20, blank=True)
    exercice_bord = models.CharField("exercice", max_length=4, blank=True)
    id_marche = models.CharField("marché", max_length=60, blank=True)
    id_unique = models.CharField("pièce justificative (IdUnique)", max_length=60, blank=True)
    #: ``[{"code", "label", "explanation", "piece", "line_number"}]``: NumAnoAck, LibelleAnoAck (verbatim),
    #: the French explanation, and the piece / line numbers for errors of a piece or a line.
    errors = models.JSONField("erreurs", default=list, blank=True)
    line = models.PositiveIntegerField("ligne dans le fichier", null=True, blank=True)

    class Meta:
        verbose_name = "élément d'acquittement"
        ordering = ["acquit", "position"]

    def __str__(self) -> str:
        return f"{self.domain_label} {'accepté' if self.accepted else 'refusé'}"

    @property
    def subject(self) -> str:
        """What the element is about, in French: "Bordereau 12 (2026)", "Pièce jointe X"…"""
        if self.num_bord:
            year = f" ({self.exercice_bord})" if self.exercice_bord else ""
            return f"Bordereau {self.num_bord}{year}"
        if self.id_unique:
            return f"Pièce justificative {self.id_unique}"
        if self.id_marche:
            return f"Marché {self.id_marche}"
        return "Fichier entier"
