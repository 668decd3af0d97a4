from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from bouquet.core.querysets import TenantQuerySet

#: P_DEST goes into an FTP command and an SFTP file name: letters, digits, ``_ . -`` only.
validate_p_dest = RegexValidator(
    r"^[A-Za-z0-9_.-]{1,30}$",
    "Le site destinataire s'écrit en lettres, chiffres, « _ », « . » ou « - » (ex. VHPCE11).",
    code="p_dest",
)


class HeliosParameters(models.Model):
    """An authority's Hélios settings: its "site destinataire" (``P_DEST``), given by its Trésorerie.

    Nothing is sent to the DGFiP for an authority without it (S²LOW ``helios_ftp_dest``).
    """

    authority = models.OneToOneField(
        "core.Authority", on_delete=models.CASCADE, related_name="helios_parameters"
    )
    p_dest = models.CharField(
        "site destinataire (P_DEST)",
        max_length=30,
        blank=True,
        validators=[validate_p_dest],
        help_text="Code fourni par la Trésorerie de la collectivité, par exemple VHPCE11.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "paramètres Hélios"
        verbose_name_plural = "paramètres Hélios"

    def __str__(self) -> str:
        return f"{self.authority_id}: {self.p_dest or '(site destinataire manquant)'}"


class TransmissionSlot(models.Model):
    """Bytes sent to the DGFiP during one hourly slot (budget ``HELIOS_WINDOW_BYTES_PER_HOUR``)."""

    slot = models.CharField(max_length=16, unique=True, help_text="AAAA-MM-JJTHH")
    bytes_used = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "créneau de transmission Hélios"
        ordering = ["-slot"]

    def __str__(self) -> str:
        return f"{self.slot}: {self.bytes_used}"


class SendCounter(models.Model):
    """The platform-wide counter of transmitted names ``PESALR2_<SIREN>_<aammjj>_<n>`` (row-locked)."""

    name = models.CharField(max_length=30, unique=True)
    last = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}: {self.last}"
