"""The authority's classification: current version, raw XML (byte-identical) and refresh requests."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from bouquet.actes.models import Classification
from bouquet.actes.protocol.messages.classification import Matiere
from bouquet.actes.services.request_classification import request_classification
from bouquet.api.serializers import (
    ClassificationRequestSerializer,
    ClassificationSerializer,
    TransactionDetailSerializer,
)
from bouquet.api.views.base import DownloadMixin, TenantView, error_responses
from bouquet.api.views.transactions import DetailMixin

__all__ = ["ClassificationRawView", "ClassificationRequestView", "ClassificationView"]

NONE_YET = "La classification de la collectivité n'a pas encore été reçue : demandez-la d'abord."


def _flatten(matieres: tuple[Matiere, ...], prefix: str = "") -> list[dict]:
    rows = []
    for matiere in matieres:
        code = f"{prefix}{matiere.code}"
        rows.append({"code": code, "label": matiere.libelle})
        rows += _flatten(matiere.children, f"{code}.")
    return rows


class CurrentMixin:
    def current(self) -> Classification:
        current = Classification.current_for(self.context.authority)
        if current is None:
            raise exceptions.NotFound(NONE_YET, code="classification_missing")
        return current


class ClassificationView(CurrentMixin, TenantView):
    serializer_class = ClassificationSerializer

    @extend_schema(
        summary="Classification en vigueur (natures, typologies, matières)",
        responses={200: ClassificationSerializer, **error_responses(404)},
    )
    def get(self, request):
        current = self.current()
        parsed = current.parsed
        data = {
            "version": current.version,
            "received_at": current.received_at,
            "sha256": current.sha256,
            "size": len(current.raw),
            "natures": [
                {
                    "code": n.code,
                    "label": n.libelle,
                    "short": n.type_abrege,
                    "typologies": [{"code": t.code, "label": t.libelle} for t in n.types_pj],
                }
                for n in parsed.natures
            ],
            "subjects": _flatten(parsed.matieres),
            "raw_url": request.build_absolute_uri(reverse("api:classification_raw")),
        }
        return Response(ClassificationSerializer(data).data)


class ClassificationRawView(DownloadMixin, CurrentMixin, TenantView):
    @extend_schema(
        summary="XML de la classification, octet pour octet tel que reçu (7-2)",
        responses={(200, "application/xml"): OpenApiTypes.BINARY, **error_responses(404)},
    )
    def get(self, request):
        current = self.current()
        response = self.raw_response(
            bytes(current.raw), "application/xml", f"classification-{current.version}.xml"
        )
        response["ETag"] = f'"{current.sha256}"'
        return response


class ClassificationRequestView(DetailMixin, TenantView):
    serializer_class = ClassificationRequestSerializer

    @extend_schema(
        summary="Demander la classification à la préfecture (7-1)",
        request=ClassificationRequestSerializer,
        responses={
            201: OpenApiResponse(TransactionDetailSerializer, description="La demande (type 7)."),
            **error_responses(400),
        },
    )
    def post(self, request):
        form = ClassificationRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        transaction = request_classification(
            authority=self.context.authority, actor=self.context.actor, force=form.validated_data["force"]
        )
        return self.detail_response(transaction.pk, status.HTTP_201_CREATED)
