"""Who the API sees: lets software check its credentials and the rights they carry."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from bouquet.actes.services.common import actes_rights
from bouquet.api.serializers import MeSerializer
from bouquet.api.views.base import TenantView, error_responses, may_transmit

__all__ = ["MeView"]


class MeView(TenantView):
    serializer_class = MeSerializer

    @extend_schema(
        summary="Compte, collectivité et droits de l'appelant",
        responses={200: MeSerializer, **error_responses()},
    )
    def get(self, request):
        context = self.context
        rights = actes_rights(context.actor, context.authority)
        data = {
            "email": request.user.email,
            "name": request.user.full_name,
            "authority_siren": context.authority.siren,
            "authority_name": context.authority.name,
            "method": context.method,
            "rgs_level": context.rgs_level,
            "can_prepare": rights.can_prepare,
            "can_transmit": rights.can_transmit and may_transmit(context),
        }
        return Response(MeSerializer(data).data)
