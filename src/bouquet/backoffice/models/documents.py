from django.db import models

from bouquet.backoffice.choices import DocumentKind


class DocumentTemplate(models.Model):
    """A staff-edited text of a kit document, with ``{placeholders}`` (without a row, the default applies)."""

    operator = models.ForeignKey("core.Operator", on_delete=models.CASCADE, related_name="document_templates")
    kind = models.CharField("document", max_length=20, choices=DocumentKind.choices)
    title = models.CharField("titre", max_length=200)
    body = models.TextField("texte")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "modèle de document"
        constraints = [models.UniqueConstraint(fields=["operator", "kind"], name="one_template_per_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class OperatorSettings(models.Model):
    """What the documents say about our transmission device, editable by the operator's admins.

    Kept in the database rather than in the environment: it changes with contracts, not with
    deployments, and each change is journaled. A missing row takes the values of the
    ``BACKOFFICE_*`` settings.
    """

    operator = models.OneToOneField(
        "core.Operator", on_delete=models.CASCADE, related_name="backoffice_settings"
    )
    transmission_device = models.CharField("dispositif de télétransmission", max_length=100)
    homologation_reference = models.CharField("référence de l'homologation", max_length=300)
    homologation_date = models.DateField("date de l'homologation")
    transmission_operator = models.CharField("opérateur de transmission", max_length=200)
    transmission_contract_date = models.DateField("date du contrat avec l'opérateur de transmission")
    prefecture_name = models.CharField("préfecture destinataire", max_length=200)
    prefecture_address = models.TextField("adresse de la préfecture", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        "core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "paramètres de l'opérateur"

    def __str__(self) -> str:
        return f"Paramètres de {self.operator}"
