"""Documents received from the préfecture (letters, requests for documents, referrals) and answers."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser

from bouquet.actes.services.answer_letter import answer_letter
from bouquet.actes.services.mark_document_read import RECEIVED_TYPES, mark_document_read
from bouquet.api.serializers import (
    AnswerSerializer,
    LetterFilterSerializer,
    TransactionDetailSerializer,
    TransactionSerializer,
)
from bouquet.api.views.base import TenantView, as_document, error_responses
from bouquet.api.views.transactions import DetailMixin

__all__ = ["LetterAnswerView", "LetterListView", "LetterReadView"]


class LetterMixin:
    def letters(self):
        """Received préfecture documents (an answer of ours has a response kind)."""
        return self.transactions().filter(type__in=RECEIVED_TYPES, response_kind__isnull=True)


class LetterListView(LetterMixin, TenantView):
    serializer_class = TransactionSerializer

    @extend_schema(
        summary="Documents reçus de la préfecture",
        parameters=[LetterFilterSerializer],
        responses={200: TransactionSerializer(many=True), **error_responses(400)},
    )
    def get(self, request):
        params = LetterFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        queryset = self.letters().newest_first()
        if params.validated_data.get("type"):
            queryset = queryset.filter(type=params.validated_data["type"])
        if params.validated_data.get("unread") is not None:
            queryset = queryset.filter(is_read=not params.validated_data["unread"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(TransactionSerializer(page, many=True).data)


class LetterAnswerView(LetterMixin, DetailMixin, TenantView):
    serializer_class = AnswerSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Répondre à un courrier de la préfecture",
        description="Refus (3) ou envoi (4) : 2-2, 3-3, 3-4, 4-3, 4-4 selon le courrier.",
        request={"multipart/form-data": AnswerSerializer},
        responses={
            201: OpenApiResponse(TransactionDetailSerializer, description="La transaction de réponse."),
            **error_responses(400, 404, 409),
        },
    )
    def post(self, request, pk: int):
        letter = get_object_or_404(self.letters(), pk=pk)
        form = AnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        answer = answer_letter(
            letter=letter,
            actor=self.context.actor,
            kind=data["kind"],
            document=as_document(data["document"], data.get("document_typology")),
            annexes=[as_document(f) for f in data["annexes"]],
        )
        return self.detail_response(answer.pk, status.HTTP_201_CREATED)


class LetterReadView(LetterMixin, DetailMixin, TenantView):
    @extend_schema(
        summary="Marquer un document de la préfecture comme lu",
        request=None,
        responses={200: TransactionDetailSerializer, **error_responses(404)},
    )
    def post(self, request, pk: int):
        letter = get_object_or_404(self.letters(), pk=pk)
        mark_document_read(transaction=letter, actor=self.context.actor)
        return self.detail_response(pk)
