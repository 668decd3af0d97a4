"""Transactions: list and filter, create an act, detail with history, files, post and cancel."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from bouquet.actes.models import TransactionHistory
from bouquet.actes.services.cancel_act import cancel_act
from bouquet.actes.services.create_act import create_act
from bouquet.actes.services.post_act import post_act
from bouquet.api.serializers import (
    ActCreateSerializer,
    FileSerializer,
    TransactionDetailSerializer,
    TransactionFilterSerializer,
    TransactionSerializer,
)
from bouquet.api.views.base import DownloadMixin, TenantView, as_document, error_responses, may_transmit

__all__ = [
    "TransactionCancelView",
    "TransactionDetailView",
    "TransactionFileView",
    "TransactionFilesView",
    "TransactionListView",
    "TransactionPostView",
]


class DetailMixin:
    def detail_queryset(self):
        return self.transactions().prefetch_related(
            Prefetch("history", queryset=TransactionHistory.objects.order_by("at", "id")),
            "files__stored_file",
            "children",
        )

    def detail_response(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        transaction = get_object_or_404(self.detail_queryset(), pk=pk)
        data = TransactionDetailSerializer(transaction, context={"request": self.request}).data
        response = Response(data, status=code)
        if code == status.HTTP_201_CREATED:
            response["Location"] = reverse("api:transaction_detail", kwargs={"pk": pk})
        return response


class TransactionListView(DetailMixin, TenantView):
    serializer_class = ActCreateSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        return self.transactions().newest_first()

    def filter(self, queryset, params: dict):
        if params.get("status"):
            queryset = queryset.filter(status__in=params["status"])
        exact = {name: params[name] for name in ("type", "nature", "number") if name in params}
        queryset = queryset.filter(**exact)
        if params.get("q"):
            queryset = queryset.filter(Q(subject__icontains=params["q"]) | Q(number__icontains=params["q"]))
        if "decision_after" in params:
            queryset = queryset.filter(decision_date__gte=params["decision_after"])
        if "decision_before" in params:
            queryset = queryset.filter(decision_date__lte=params["decision_before"])
        if "created_after" in params:
            queryset = queryset.filter(created_at__date__gte=params["created_after"])
        if "created_before" in params:
            queryset = queryset.filter(created_at__date__lte=params["created_before"])
        return queryset

    @extend_schema(
        summary="Lister les transactions",
        parameters=[TransactionFilterSerializer],
        responses={200: TransactionSerializer(many=True), **error_responses(400)},
    )
    def get(self, request):
        params = TransactionFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        queryset = self.filter(self.get_queryset(), params.validated_data)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(TransactionSerializer(page, many=True).data)

    @extend_schema(
        summary="Déposer un acte",
        description="État 1 (posté) pour un agent télétransmetteur authentifié par un certificat du niveau"
        " RGS exigé ; sinon 17 (en attente d'être posté).",
        request={"multipart/form-data": ActCreateSerializer},
        responses={201: TransactionDetailSerializer, **error_responses(400)},
    )
    def post(self, request):
        form = ActCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        typologies = data["annexes_typologies"] or [""] * len(data["annexes"])
        act = create_act(
            authority=self.context.authority,
            actor=self.context.actor,
            nature=data["nature"],
            number=data["number"],
            subject=data["subject"],
            decision_date=data["decision_date"],
            classification=data["classification"],
            document=as_document(data["document"], data.get("document_typology")),
            annexes=[as_document(f, t) for f, t in zip(data["annexes"], typologies, strict=True)],
            document_papier=data["document_papier"],
            wait=data["wait"] or not may_transmit(self.context),
        )
        return self.detail_response(act.pk, status.HTTP_201_CREATED)


class TransactionDetailView(DetailMixin, TenantView):
    serializer_class = TransactionDetailSerializer

    @extend_schema(
        summary="Détail d'une transaction, avec son historique et ses fichiers",
        responses={200: TransactionDetailSerializer, **error_responses(404)},
    )
    def get(self, request, pk: int):
        return self.detail_response(pk)


class TransactionFilesView(TenantView):
    serializer_class = FileSerializer
    pagination_class = None

    @extend_schema(
        summary="Fichiers d'une transaction",
        responses={200: FileSerializer(many=True), **error_responses(404)},
    )
    def get(self, request, pk: int):
        transaction = get_object_or_404(self.transactions(), pk=pk)
        files = transaction.files.select_related("stored_file")
        return Response(FileSerializer(files, many=True, context={"request": request}).data)


class TransactionFileView(DownloadMixin, TenantView):
    @extend_schema(
        summary="Télécharger un fichier (octets tels que stockés)",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **error_responses(404)},
    )
    def get(self, request, pk: int, file_id: int):
        transaction = get_object_or_404(self.transactions(), pk=pk)
        file = get_object_or_404(transaction.files.select_related("stored_file"), pk=file_id)
        return self.raw_response(file.read(), file.mime_type, file.business_name or file.original_name)


class TransactionPostView(DetailMixin, TenantView):
    @extend_schema(
        summary="Poster une transaction en attente (17 → 1)",
        description="Droit TT et certificat client du niveau RGS exigé (PKI_TRANSMISSION_REQUIRED_RGS).",
        request=None,
        responses={200: TransactionDetailSerializer, **error_responses(404, 409)},
    )
    def post(self, request, pk: int):
        transaction = get_object_or_404(self.transactions(), pk=pk)
        post_act(transaction=transaction, actor=self.context.actor, rgs_level=self.context.rgs_level)
        return self.detail_response(pk)


class TransactionCancelView(DetailMixin, TenantView):
    @extend_schema(
        summary="Annuler un acte acquitté (crée la transaction d'annulation 6-1)",
        request=None,
        responses={
            201: OpenApiResponse(TransactionDetailSerializer, description="La transaction d'annulation."),
            **error_responses(404, 409),
        },
    )
    def post(self, request, pk: int):
        act = get_object_or_404(self.transactions(), pk=pk)
        cancellation = cancel_act(act=act, actor=self.context.actor)
        return self.detail_response(cancellation.pk, status.HTTP_201_CREATED)
