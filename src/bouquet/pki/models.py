"""The certificates registry, the operator's trust store, cached CRLs, RGS policies and expiry alerts."""

from django.conf import settings
from django.db import models


class RgsLevel(models.TextChoices):
    ONE_STAR = "RGS*", "RGS*"
    TWO_STARS = "RGS**", "RGS**"
    THREE_STARS = "RGS***", "RGS***"


class RgsPolicy(models.Model):
    """An editable link from a certification policy OID to the RGS level it grants."""

    oid = models.CharField("OID de la politique", max_length=200, unique=True)
    level = models.CharField("niveau RGS", max_length=6, choices=RgsLevel.choices)
    label = models.CharField("libellé", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "politique de certification RGS"
        verbose_name_plural = "politiques de certification RGS"
        ordering = ["oid"]

    def __str__(self) -> str:
        return f"{self.oid} ({self.level})"


class TrustedCA(models.Model):
    """A CA of the operator's trust store: self-signed ones are trust anchors, others intermediates."""

    name = models.CharField("nom", max_length=300)
    der = models.BinaryField("certificat (DER)")
    fingerprint_sha256 = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    subject = models.CharField("sujet", max_length=1000, blank=True)
    not_after = models.DateTimeField("fin de validité", null=True, blank=True)
    is_active = models.BooleanField("active", default=True)
    crl_url = models.URLField("adresse de la liste de révocation", max_length=500, blank=True)
    added_at = models.DateTimeField("ajoutée le", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "autorité de certification de confiance"
        verbose_name_plural = "autorités de certification de confiance"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CrlSource(models.TextChoices):
    FILE = "fichier", "Fichier"
    NETWORK = "réseau", "Réseau"


class CrlCache(models.Model):
    """The latest CRL known for one trusted CA (loaded from a file or fetched)."""

    issuer_fingerprint = models.CharField("empreinte de l'émetteur", max_length=64, unique=True)
    issuer_name = models.CharField("émetteur", max_length=1000, blank=True)
    der = models.BinaryField("liste (DER)")
    this_update = models.DateTimeField("émise le")
    next_update = models.DateTimeField("prochaine mise à jour", null=True, blank=True)
    revoked_count = models.PositiveIntegerField("certificats révoqués", default=0)
    fetched_at = models.DateTimeField("chargée le", auto_now=True)
    source = models.CharField(max_length=10, choices=CrlSource.choices, default=CrlSource.FILE)

    class Meta:
        verbose_name = "liste de révocation"
        verbose_name_plural = "listes de révocation"
        ordering = ["issuer_name"]

    def __str__(self) -> str:
        return f"LCR {self.issuer_name}"


class CertificateQuerySet(models.QuerySet):
    def search(self, q: str) -> "CertificateQuerySet":
        q = q.strip()
        if not q:
            return self
        return self.filter(
            models.Q(subject__icontains=q)
            | models.Q(email__icontains=q)
            | models.Q(common_name__icontains=q)
            | models.Q(fingerprint_sha256__startswith=q.lower().replace(":", ""))
        )


class Certificate(models.Model):
    """A natural person's certificate known to the platform; it may serve several accounts."""

    fingerprint_sha256 = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    fingerprint_sha1 = models.CharField("empreinte SHA-1", max_length=40)
    subject = models.CharField("sujet", max_length=1000)
    common_name = models.CharField("nom commun", max_length=300, blank=True)
    email = models.EmailField("courriel", blank=True)
    issuer = models.CharField("émetteur", max_length=1000)
    serial_hex = models.CharField("numéro de série", max_length=80)
    not_before = models.DateTimeField("début de validité")
    not_after = models.DateTimeField("fin de validité", db_index=True)
    key_usage = models.JSONField("usages de la clé", default=list)
    policy_oids = models.JSONField("politiques de certification", default=list)
    rgs_level = models.CharField("niveau RGS", max_length=6, choices=RgsLevel.choices, blank=True)
    qualified = models.BooleanField("qualifié (eIDAS)", default=False)
    der = models.BinaryField("certificat (DER)")
    holder_name = models.CharField("titulaire", max_length=200, blank=True)
    # A certificate serves all its holder's accounts unless a restriction is recorded: then one only.
    restricted = models.BooleanField("limité à un seul compte", default=False)
    imported_at = models.DateTimeField("importé le", auto_now_add=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CertificateBinding", related_name="certificates", blank=True
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = "certificat"
        ordering = ["not_after"]

    def __str__(self) -> str:
        return self.common_name or self.subject

    def accounts(self):
        """The active user accounts that may log in with this certificate."""
        return self.users.filter(is_active=True).order_by("email")


class CertificateBinding(models.Model):
    """One account a certificate may be used for."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="bindings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificate_bindings"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "rattachement de certificat"
        constraints = [
            models.UniqueConstraint(fields=["certificate", "user"], name="one_binding_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.certificate} → {self.user}"


class ExpiryAlert(models.Model):
    """An expiry warning already sent, so that each threshold is announced once."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="expiry_alerts")
    threshold_days = models.PositiveSmallIntegerField("seuil (jours)")
    sent_at = models.DateTimeField("envoyée le", auto_now_add=True)

    class Meta:
        verbose_name = "alerte d'expiration"
        constraints = [
            models.UniqueConstraint(fields=["certificate", "threshold_days"], name="one_alert_per_threshold")
        ]

    def __str__(self) -> str:
        return f"{self.certificate} J-{self.threshold_days}"
