"""What every API view shares: the tenant from ``request.auth``, documents from uploads, error schemas."""

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from rest_framework.generics import GenericAPIView

from bouquet.actes.models import Transaction
from bouquet.actes.services.common import Document
from bouquet.api.authentication import ApiContext
from bouquet.api.serializers import ErrorSerializer, TransactionDetailSerializer
from bouquet.pki.x509 import rgs_rank

__all__ = ["DownloadMixin", "TenantView", "as_document", "error_responses", "may_transmit"]


def error_responses(*codes: int) -> dict[int, type[ErrorSerializer]]:
    return {code: ErrorSerializer for code in (401, 403, *codes)}


def as_document(upload, typology: str | None = None) -> Document:
    """A service ``Document`` from an uploaded file (read whole: acts stay under 150 MiB)."""
    return Document(name=upload.name or "document", content=upload.read(), typology=typology or None)


def may_transmit(context: ApiContext) -> bool:
    """Whether the caller's certificate reaches ``PKI_TRANSMISSION_REQUIRED_RGS`` (S²LOW's RGS** rule).

    Tokens and sessions carry no certificate: their acts wait in state 17 for an agent to post them.
    """
    required = settings.PKI_TRANSMISSION_REQUIRED_RGS
    return not required or rgs_rank(context.rgs_level) >= rgs_rank(required)


class TenantView(GenericAPIView):
    """Querysets narrowed to the authority the authentication chose: another tenant's id gives 404.

    ``serializer_class`` also feeds DRF's answer to OPTIONS (it describes the writable form).
    """

    serializer_class = TransactionDetailSerializer

    @property
    def context(self) -> ApiContext:
        return self.request.auth

    def transactions(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            return Transaction.objects.none()
        return Transaction.objects.for_tenant(self.context.authority)


class DownloadMixin:
    """Raw bytes whatever the ``Accept`` header; errors still come out as JSON."""

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)

    @staticmethod
    def raw_response(data: bytes, content_type: str, filename: str | None = None) -> HttpResponse:
        response = HttpResponse(data, content_type=content_type or "application/octet-stream")
        if filename:
            response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
