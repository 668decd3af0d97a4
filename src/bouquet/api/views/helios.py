"""HELIOS: deposit and follow PES files, their acquittements, and the PES_Retour (``/api/v1/helios/…``).

The REST twins of S²LOW's HELIOS paths; every rule is the services' (the same as the pages').
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from bouquet.api.helios_serializers import (
    HeliosFilterSerializer,
    HeliosTransactionDetailSerializer,
    HeliosTransactionSerializer,
    HeliosUploadSerializer,
    PreflightFileSerializer,
    PreflightSerializer,
    RetourFilterSerializer,
    RetourSerializer,
)
from bouquet.api.permissions import HeliosReader
from bouquet.api.views.base import DownloadMixin, TenantView, error_responses, may_transmit
from bouquet.helios.models import Retour, Transaction, TransactionHistory
from bouquet.helios.services import (
    cancel_transaction,
    mark_retour_read,
    post_transaction,
    preflight,
    upload_pes,
)

__all__ = [
    "HeliosCancelView",
    "HeliosPostView",
    "HeliosPreflightView",
    "HeliosTransactionAcquitView",
    "HeliosTransactionDetailView",
    "HeliosTransactionFileView",
    "HeliosTransactionListView",
    "RetourFileView",
    "RetourListView",
    "RetourReadView",
]

TAGS = ["helios"]


class HeliosView(TenantView):
    """Querysets narrowed to the caller's authority; another tenant's id gives 404."""

    permission_classes = [HeliosReader]
    serializer_class = HeliosTransactionDetailSerializer

    def helios_transactions(self):
        if getattr(self, "swagger_fake_view", False):
            return Transaction.objects.none()
        return Transaction.objects.for_tenant(self.context.authority)

    def retours(self):
        if getattr(self, "swagger_fake_view", False):
            return Retour.objects.none()
        return Retour.objects.for_tenant(self.context.authority)

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        queryset = self.helios_transactions().prefetch_related(
            Prefetch("history", queryset=TransactionHistory.objects.order_by("at", "id"))
        )
        transaction = get_object_or_404(queryset, pk=pk)
        data = HeliosTransactionDetailSerializer(transaction, context={"request": self.request}).data
        response = Response(data, status=code)
        if code == status.HTTP_201_CREATED:
            response["Location"] = reverse("api:helios_transaction_detail", kwargs={"pk": pk})
        return response


class HeliosTransactionListView(HeliosView):
    serializer_class = HeliosUploadSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="Lister les fichiers PES",
        parameters=[HeliosFilterSerializer],
        responses={200: HeliosTransactionSerializer(many=True), **error_responses(400)},
    )
    def get(self, request):
        params = HeliosFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        queryset = self.helios_transactions().newest_first()
        if data.get("status"):
            queryset = queryset.filter(status__in=data["status"])
        if data.get("nom_fic"):
            queryset = queryset.filter(nom_fic=data["nom_fic"])
        if "created_after" in data:
            queryset = queryset.filter(created_at__date__gte=data["created_after"])
        if "created_before" in data:
            queryset = queryset.filter(created_at__date__lte=data["created_before"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(HeliosTransactionSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Déposer un fichier PES",
        description="Toutes les vérifications ont lieu avant l'enregistrement (contrôles de S²LOW, schéma "
        "officiel, signatures, site destinataire) ; un fichier refusé n'est pas conservé et la réponse 400 "
        "en donne les raisons (``findings``, avec leur ligne). État 1 pour un agent télétransmetteur "
        "authentifié par un certificat du niveau RGS exigé ; sinon 14 (ou 13 avec ``must_sign``).",
        request={"multipart/form-data": HeliosUploadSerializer},
        responses={201: HeliosTransactionDetailSerializer, **error_responses(400, 409)},
    )
    def post(self, request):
        form = HeliosUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        upload = data["file"]
        transaction = upload_pes(
            authority=self.context.authority,
            actor=self.context.actor,
            filename=upload.name or "pes.xml",
            data=upload,
            must_sign=data["must_sign"],
            wait=data["wait"] or not may_transmit(self.context),
        )
        return self.detail_response(transaction.pk, status.HTTP_201_CREATED)


class HeliosPreflightView(HeliosView):
    serializer_class = PreflightFileSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="Analyser un fichier PES sans le déposer",
        request={"multipart/form-data": PreflightFileSerializer},
        responses={200: PreflightSerializer, **error_responses(400)},
    )
    def post(self, request):
        form = PreflightFileSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        report = preflight(upload, filename=upload.name or "", authority=self.context.authority)
        doc = report.document
        data = {
            "accepted": report.accepted,
            "kind": report.kind,
            "size": report.size,
            "sha256": report.sha256,
            "nom_fic": doc.envelope.nom_fic if doc else None,
            "cod_col": doc.header.cod_col if doc else None,
            "findings": [
                {"code": i.code, "severity": i.severity, "message": i.message, "line": i.line}
                for i in report.items
            ],
            "checked_parts": list(report.checked_parts),
            "unchecked_parts": list(report.unchecked_parts),
            "signatures": [vars(s) for s in report.signatures],
        }
        return Response(PreflightSerializer(data).data)


class HeliosTransactionDetailView(HeliosView):
    @extend_schema(
        tags=TAGS,
        summary="Détail d'un fichier PES : historique, vérifications, acquittement élément par élément",
        responses={200: HeliosTransactionDetailSerializer, **error_responses(404)},
    )
    def get(self, request, pk: int):
        return self.detail_response(pk)


class HeliosTransactionFileView(DownloadMixin, HeliosView):
    @extend_schema(
        tags=TAGS,
        summary="Télécharger le fichier PES (octets reçus, inchangés)",
        responses={(200, "application/xml"): OpenApiTypes.BINARY, **error_responses(404)},
    )
    def get(self, request, pk: int):
        transaction = get_object_or_404(self.helios_transactions().select_related("file"), pk=pk)
        return self.raw_response(transaction.file.read(), "application/xml", transaction.filename)


class HeliosTransactionAcquitView(DownloadMixin, HeliosView):
    @extend_schema(
        tags=TAGS,
        summary="Télécharger l'acquittement de la DGFiP (octets reçus, inchangés)",
        responses={(200, "application/xml"): OpenApiTypes.BINARY, **error_responses(404)},
    )
    def get(self, request, pk: int):
        transaction = get_object_or_404(self.helios_transactions(), pk=pk)
        acquit = transaction.current_acquit
        if acquit is None:
            raise exceptions.NotFound(
                "Aucun acquittement n'a encore été reçu pour ce fichier.", code="no_acquit"
            )
        return self.raw_response(acquit.read(), "application/xml", acquit.filename)


class HeliosPostView(HeliosView):
    @extend_schema(
        tags=TAGS,
        summary="Ordonner la transmission d'un fichier en attente (14 → 1)",
        description="Droit TT et certificat client du niveau RGS exigé (PKI_TRANSMISSION_REQUIRED_RGS).",
        request=None,
        responses={200: HeliosTransactionDetailSerializer, **error_responses(404, 409)},
    )
    def post(self, request, pk: int):
        transaction = get_object_or_404(self.helios_transactions(), pk=pk)
        post_transaction(transaction=transaction, actor=self.context.actor, rgs_level=self.context.rgs_level)
        return self.detail_response(pk)


class HeliosCancelView(HeliosView):
    @extend_schema(
        tags=TAGS,
        summary="Annuler un fichier qui n'est pas encore parti (13, 14 ou 1 → 0)",
        request=None,
        responses={200: HeliosTransactionDetailSerializer, **error_responses(404, 409)},
    )
    def post(self, request, pk: int):
        transaction = get_object_or_404(self.helios_transactions(), pk=pk)
        cancel_transaction(transaction=transaction, actor=self.context.actor)
        return self.detail_response(pk)


class RetourListView(HeliosView):
    serializer_class = RetourSerializer

    @extend_schema(
        tags=TAGS,
        summary="PES Retour reçus de la DGFiP",
        parameters=[RetourFilterSerializer],
        responses={200: RetourSerializer(many=True), **error_responses(400)},
    )
    def get(self, request):
        params = RetourFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        queryset = self.retours().newest_first()
        unread = params.validated_data.get("unread")
        if unread is not None:
            queryset = queryset.filter(is_read=not unread)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(
            RetourSerializer(page, many=True, context={"request": request}).data
        )


class RetourFileView(DownloadMixin, HeliosView):
    @extend_schema(
        tags=TAGS,
        summary="Télécharger un PES Retour (octets reçus, inchangés)",
        responses={(200, "application/xml"): OpenApiTypes.BINARY, **error_responses(404)},
    )
    def get(self, request, pk: int):
        retour = get_object_or_404(self.retours().select_related("file"), pk=pk)
        return self.raw_response(retour.read(), "application/xml", retour.filename)


class RetourReadView(HeliosView):
    serializer_class = RetourSerializer

    @extend_schema(
        tags=TAGS,
        summary="Marquer un PES Retour comme lu",
        request=None,
        responses={200: RetourSerializer, **error_responses(404)},
    )
    def post(self, request, pk: int):
        retour = get_object_or_404(self.retours(), pk=pk)
        retour = mark_retour_read(retour=retour, actor=self.context.actor)
        return Response(RetourSerializer(retour, context={"request": request}).data)
