"""Output and input shapes of the HELIOS part of the API (``/api/v1/helios/…``)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bouquet.helios.models import Acquit, AcquitElement, Retour, Transaction, TransactionHistory

__all__ = [
    "HeliosFilterSerializer",
    "HeliosTransactionDetailSerializer",
    "HeliosTransactionSerializer",
    "HeliosUploadSerializer",
    "PreflightSerializer",
    "RetourFilterSerializer",
    "RetourSerializer",
]

STATUS_HELP = (
    "Code S²LOW : -1 erreur, 0 annulé, 1 posté, 2 en attente de transmission, 3 transmis, 8 information "
    "disponible (acquittement reçu), 13 en attente d'être signé, 14 en attente d'être télétransmis, "
    "24 transmis sans acquittement."
)


def _absolute(serializer: serializers.Serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class HeliosHistorySerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = TransactionHistory
        fields = ["status", "status_label", "at", "message"]


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(["error", "warning", "info"])
    message = serializers.CharField()
    line = serializers.IntegerField(allow_null=True)


class SignatureSerializer(serializers.Serializer):
    signature_id = serializers.CharField(allow_null=True)
    signed_element = serializers.CharField(allow_null=True)
    valid = serializers.BooleanField()
    message = serializers.CharField()
    signer = serializers.CharField(allow_null=True)
    signing_time = serializers.CharField(allow_null=True, help_text="ISO 8601")
    signer_message = serializers.CharField(allow_null=True)
    line = serializers.IntegerField(allow_null=True)


class AckErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="NumAnoAck, tel que reçu.")
    label = serializers.CharField(allow_null=True, help_text="LibelleAnoAck, tel que reçu.")
    explanation = serializers.CharField(help_text="Explication en français du code.")
    piece = serializers.CharField(allow_null=True)
    line_number = serializers.CharField(allow_null=True)


class AcquitElementSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(read_only=True)
    errors = AckErrorSerializer(many=True, read_only=True)

    class Meta:
        model = AcquitElement
        fields = [
            "domain",
            "domain_label",
            "accepted",
            "subject",
            "num_bord",
            "exercice_bord",
            "id_unique",
            "id_marche",
            "errors",
        ]
        read_only_fields = fields


class AcquitSerializer(serializers.ModelSerializer):
    elements = AcquitElementSerializer(many=True, read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Acquit
        fields = [
            "filename",
            "received_at",
            "root",
            "schema_valid",
            "all_accepted",
            "elements",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj: Acquit) -> str:
        return _absolute(self, reverse("api:helios_transaction_acquit", kwargs={"pk": obj.transaction_id}))


class HeliosTransactionSerializer(serializers.ModelSerializer):
    status = serializers.IntegerField(read_only=True, help_text=STATUS_HELP)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="PES_Aller, ou PES_ACQUIT_RETOUR.")

    class Meta:
        model = Transaction
        fields = [
            "id",
            "status",
            "status_label",
            "kind",
            "filename",
            "nom_fic",
            "cod_col",
            "id_coll",
            "id_post",
            "cod_bud",
            "size",
            "sha256",
            "transmitted_name",
            "created_at",
            "last_status_at",
            "sent_at",
        ]
        read_only_fields = fields


class HeliosTransactionDetailSerializer(HeliosTransactionSerializer):
    history = HeliosHistorySerializer(many=True, read_only=True)
    findings = serializers.SerializerMethodField(help_text="Avertissements relevés au dépôt.")
    signatures = serializers.SerializerMethodField()
    acquit = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta(HeliosTransactionSerializer.Meta):
        fields = [
            *HeliosTransactionSerializer.Meta.fields,
            "history",
            "findings",
            "signatures",
            "acquit",
            "file_url",
        ]
        read_only_fields = fields

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, obj: Transaction) -> list:
        return list((obj.intake_report or {}).get("items", []))

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, obj: Transaction) -> list:
        return list((obj.intake_report or {}).get("signatures", []))

    @extend_schema_field(AcquitSerializer(allow_null=True))
    def get_acquit(self, obj: Transaction) -> dict | None:
        current = obj.current_acquit
        return AcquitSerializer(current, context=self.context).data if current else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_file_url(self, obj: Transaction) -> str:
        return _absolute(self, reverse("api:helios_transaction_file", kwargs={"pk": obj.pk}))


class HeliosFilterSerializer(serializers.Serializer):
    """Query parameters of the list of PES transactions."""

    status = serializers.ListField(
        child=serializers.IntegerField(min_value=-1, max_value=24), required=False, help_text=STATUS_HELP
    )
    nom_fic = serializers.CharField(max_length=100, required=False)
    created_after = serializers.DateField(required=False, help_text="Date de dépôt ≥ (AAAA-MM-JJ).")
    created_before = serializers.DateField(required=False, help_text="Date de dépôt ≤ (AAAA-MM-JJ).")


class HeliosUploadSerializer(serializers.Serializer):
    """Multipart form of a PES deposit (S²LOW's ``enveloppe`` and ``must_signed``)."""

    file = serializers.FileField(
        help_text="Le fichier PES (PES_Aller ou PES_ACQUIT_RETOUR), 128 Mio au plus."
    )
    must_sign = serializers.BooleanField(
        required=False, default=False, help_text="Attendre la version signée du fichier (état 13)."
    )
    wait = serializers.BooleanField(
        required=False, default=False, help_text="Attendre l'ordre d'un agent télétransmetteur (état 14)."
    )


class PreflightFileSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Le fichier PES à analyser ; rien n'est enregistré.")


class PreflightSerializer(serializers.Serializer):
    accepted = serializers.BooleanField(help_text="Le dépôt serait accepté (aucune erreur).")
    kind = serializers.CharField(allow_null=True)
    size = serializers.IntegerField()
    sha256 = serializers.CharField(allow_null=True)
    nom_fic = serializers.CharField(allow_null=True)
    cod_col = serializers.CharField(allow_null=True)
    findings = FindingSerializer(many=True)
    checked_parts = serializers.ListField(
        child=serializers.CharField(), help_text="Parties validées par le schéma."
    )
    unchecked_parts = serializers.ListField(
        child=serializers.CharField(), help_text="Parties que le schéma officiel disponible ne couvre pas."
    )
    signatures = SignatureSerializer(many=True)


class RetourSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Retour
        fields = [
            "id",
            "filename",
            "siret",
            "nom_fic",
            "typ_fic",
            "cod_col",
            "cod_bud",
            "id_post",
            "size",
            "sha256",
            "received_at",
            "is_read",
            "read_at",
            "download_url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj: Retour) -> str:
        return _absolute(self, reverse("api:helios_retour_file", kwargs={"pk": obj.pk}))


class RetourFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False,
        default=None,
        allow_null=True,
        help_text="true : non lus seulement ; false : lus seulement.",
    )
