"""Output and input shapes of the API (the OpenAPI document is generated from them)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bouquet.actes.choices import Nature, ResponseKind, Status, TransactionType
from bouquet.actes.models import Transaction, TransactionFile, TransactionHistory

__all__ = [
    "FileSerializer",
    "HistorySerializer",
    "TransactionDetailSerializer",
    "TransactionSerializer",
]


class HistorySerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = TransactionHistory
        fields = ["status", "status_label", "at", "message"]


class FileSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="stored_file.sha256", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = TransactionFile
        fields = [
            "id",
            "role",
            "original_name",
            "business_name",
            "mime_type",
            "size",
            "typology",
            "sha256",
            "download_url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, obj: TransactionFile) -> str:
        path = reverse("api:transaction_file", kwargs={"pk": obj.transaction_id, "file_id": obj.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class TransactionSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    nature_label = serializers.CharField(source="get_nature_display", read_only=True, allow_null=True)
    related = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Transaction
        fields = [
            "id",
            "type",
            "type_label",
            "status",
            "status_label",
            "nature",
            "nature_label",
            "number",
            "subject",
            "decision_date",
            "classification",
            "classification_date",
            "document_papier",
            "id_acte",
            "related",
            "response_kind",
            "letter_date",
            "is_read",
            "created_at",
            "last_status_at",
        ]
        read_only_fields = fields


class ChildSerializer(serializers.ModelSerializer):
    """A transaction born from this one: letter, answer, cancellation."""

    type_label = serializers.CharField(source="get_type_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Transaction
        fields = ["id", "type", "type_label", "status", "status_label", "response_kind", "created_at"]
        read_only_fields = fields


class TransactionDetailSerializer(TransactionSerializer):
    history = HistorySerializer(many=True, read_only=True)
    files = FileSerializer(many=True, read_only=True)
    children = ChildSerializer(many=True, read_only=True)

    class Meta(TransactionSerializer.Meta):
        fields = [*TransactionSerializer.Meta.fields, "history", "files", "children"]
        read_only_fields = fields


class TransactionFilterSerializer(serializers.Serializer):
    """Query parameters of the transaction list."""

    status = serializers.ListField(child=serializers.ChoiceField(Status.choices), required=False)
    type = serializers.ChoiceField(TransactionType.choices, required=False)
    nature = serializers.ChoiceField(Nature.choices, required=False)
    number = serializers.CharField(max_length=15, required=False)
    q = serializers.CharField(
        max_length=200, required=False, help_text="Texte cherché dans l'objet et le numéro."
    )
    decision_after = serializers.DateField(required=False, help_text="Date de décision ≥ (AAAA-MM-JJ).")
    decision_before = serializers.DateField(required=False, help_text="Date de décision ≤ (AAAA-MM-JJ).")
    created_after = serializers.DateField(required=False, help_text="Date de dépôt ≥ (AAAA-MM-JJ).")
    created_before = serializers.DateField(required=False, help_text="Date de dépôt ≤ (AAAA-MM-JJ).")


class LetterFilterSerializer(serializers.Serializer):
    """Query parameters of the list of préfecture documents."""

    type = serializers.ChoiceField(
        [c for c in TransactionType.choices if c[0] in (2, 3, 4, 5)], required=False
    )
    unread = serializers.BooleanField(required=False, default=None, allow_null=True)


class ActCreateSerializer(serializers.Serializer):
    """Multipart form of a new act: fields, the main document and annexes with their typologies."""

    nature = serializers.ChoiceField(Nature.choices)
    number = serializers.CharField(max_length=15, help_text="Numéro interne (majuscules, chiffres, _).")
    subject = serializers.CharField(max_length=500)
    decision_date = serializers.DateField()
    classification = serializers.RegexField(r"^\d+(\.\d+){0,4}$", max_length=30, help_text="Ex. 3.2")
    document = serializers.FileField(help_text="Document principal (PDF, ou XML pour un budget).")
    document_typology = serializers.CharField(max_length=5, required=False, allow_blank=True)
    annexes = serializers.ListField(child=serializers.FileField(), required=False, default=list)
    annexes_typologies = serializers.ListField(
        child=serializers.CharField(max_length=5, allow_blank=True), required=False, default=list
    )
    document_papier = serializers.BooleanField(required=False, default=False)
    wait = serializers.BooleanField(
        required=False, default=False, help_text="Laisser l'acte en attente d'être posté (état 17)."
    )

    def validate(self, attrs: dict) -> dict:
        typologies, annexes = attrs["annexes_typologies"], attrs["annexes"]
        if typologies and len(typologies) != len(annexes):
            raise serializers.ValidationError(
                {"annexes_typologies": "Donnez une typologie par annexe, dans l'ordre des annexes."}
            )
        return attrs


class AnswerSerializer(serializers.Serializer):
    """Multipart form of an answer to a préfecture letter."""

    kind = serializers.ChoiceField(ResponseKind.choices, help_text="3 : refus ; 4 : envoi (réponse, pièces).")
    document = serializers.FileField()
    document_typology = serializers.CharField(max_length=5, required=False, allow_blank=True)
    annexes = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ClassificationRequestSerializer(serializers.Serializer):
    force = serializers.BooleanField(
        required=False, default=False, help_text="Demander la classification complète (sans date de version)."
    )


class TypologySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class NatureSerializer(serializers.Serializer):
    code = serializers.IntegerField()
    label = serializers.CharField()
    short = serializers.CharField()
    typologies = TypologySerializer(many=True)


class ClassificationSerializer(serializers.Serializer):
    version = serializers.DateField()
    received_at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    natures = NatureSerializer(many=True)
    subjects = TypologySerializer(many=True, help_text="Matières à plat : code « 1.2.3 » et libellé.")
    raw_url = serializers.URLField()


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField()
    authority_siren = serializers.CharField()
    authority_name = serializers.CharField()
    method = serializers.ChoiceField(["token", "certificate", "session"])
    rgs_level = serializers.CharField()
    can_prepare = serializers.BooleanField()
    can_transmit = serializers.BooleanField()


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
