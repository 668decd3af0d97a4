"""Who calls the API and for which authority: decided here once, then read from ``request.auth``.

Three ways in, tried in order:

* ``Authorization: Bearer <token>``: the token's membership (user + authority);
* a client certificate forwarded by the TLS terminator, with S²LOW's rule (HTTP Basic names the
  account when the certificate is shared, see ``bouquet.pki.client_auth``);
* the web session (CSRF enforced), working for the authority chosen in the web interface.

A certificate or session account with several active memberships must name the authority with
``X-Bouquet-Authority: <SIREN>`` (400 ``authority_required`` otherwise). A token is bound to one
authority: the header, when sent, must name that one.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from bouquet.api.models import ApiToken, hash_token
from bouquet.core.audit import Actor
from bouquet.core.choices import ActorKind, AuthorityStatus
from bouquet.core.models import Membership
from bouquet.pki.client_auth import authenticate_client

__all__ = [
    "AUTHORITY_HEADER",
    "ApiContext",
    "BearerTokenAuthentication",
    "ClientCertificateAuthentication",
    "WebSessionAuthentication",
]

AUTHORITY_HEADER = "X-Bouquet-Authority"
_TOUCH_EVERY = timedelta(minutes=1)
INVALID_TOKEN = "Jeton d'API invalide ou révoqué."


@dataclass(frozen=True)
class ApiContext:
    """The caller's membership (hence the tenant), how it authenticated and its certificate's RGS level."""

    membership: Membership
    actor: Actor
    method: str
    rgs_level: str = ""

    @property
    def authority(self):
        return self.membership.authority


def _memberships(user):
    return (
        Membership.objects.filter(user=user, is_active=True, authority__status=AuthorityStatus.ACTIVE)
        .select_related("authority", "user")
        .prefetch_related("rights__module")
    )


def choose_membership(request, user, default: Membership | None = None) -> Membership:
    """The membership named by ``X-Bouquet-Authority``, else the only one (or ``default``)."""
    siren = request.headers.get(AUTHORITY_HEADER, "").strip()
    memberships = list(_memberships(user))
    if siren:
        chosen = next((m for m in memberships if m.authority.siren == siren), None)
        if chosen is None:
            raise exceptions.AuthenticationFailed(
                f"Ce compte n'est rattaché à aucune collectivité active de SIREN {siren[:20]}.",
                code="authority_unknown",
            )
        return chosen
    if default is not None and any(m.pk == default.pk for m in memberships):
        return next(m for m in memberships if m.pk == default.pk)
    if len(memberships) == 1:
        return memberships[0]
    if not memberships:
        raise exceptions.AuthenticationFailed(
            "Ce compte n'est rattaché à aucune collectivité active.", code="no_membership"
        )
    raise exceptions.ParseError(
        "Ce compte est rattaché à plusieurs collectivités : indiquez le SIREN dans l'en-tête"
        f" {AUTHORITY_HEADER}.",
        code="authority_required",
    )


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        value = value.strip()
        if not value or " " in value:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN, code="token_invalid")
        token = (
            ApiToken.objects.active()
            .filter(key_hash=hash_token(value), user__is_active=True)
            .select_related("user", "authority")
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID_TOKEN, code="token_invalid")
        membership = next((m for m in _memberships(token.user) if m.authority_id == token.authority_id), None)
        if membership is None:
            raise exceptions.AuthenticationFailed(
                "Le rattachement de ce jeton à sa collectivité n'est plus actif.", code="token_invalid"
            )
        siren = request.headers.get(AUTHORITY_HEADER, "").strip()
        if siren and siren != membership.authority.siren:
            raise exceptions.AuthenticationFailed(
                "Ce jeton n'est pas valable pour la collectivité demandée.", code="authority_mismatch"
            )
        self._touch(token)
        user = token.user
        actor = Actor(ActorKind.USER, f"{user.full_name} <{user.email}> (jeton d'API {token.prefix}…)", user)
        return user, ApiContext(membership, actor, "token")

    @staticmethod
    def _touch(token: ApiToken) -> None:
        # At most one write a minute per token: reads should not all turn into writes.
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ClientCertificateAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        cert = getattr(request._request, "client_certificate", None)
        if cert is None:
            return None
        user, error = authenticate_client(request._request)
        if error:
            raise exceptions.AuthenticationFailed(error, code="certificate_refused")
        membership = choose_membership(request, user)
        actor = Actor.of_certificate(cert.fingerprint, user)
        return user, ApiContext(membership, actor, "certificate", cert.validation.rgs_level)


class WebSessionAuthentication(authentication.SessionAuthentication):
    """The web interface's login, for the authority chosen there (CSRF checked on writes)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, _ = result
        membership = choose_membership(request, user, getattr(request._request, "membership", None))
        return user, ApiContext(membership, Actor.of_user(user), "session")


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "jeton"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Jeton créé par `bouquet api token create`.",
        }


class ClientCertificateScheme(OpenApiAuthenticationExtension):
    target_class = ClientCertificateAuthentication
    name = "certificat"

    def get_security_definition(self, auto_schema):
        # OpenAPI 3.0 has no mutualTLS type: Basic is what the client may have to add.
        return {
            "type": "http",
            "scheme": "basic",
            "description": "Certificat client TLS ; identifiant et mot de passe HTTP Basic seulement quand"
            " le certificat est partagé entre plusieurs comptes.",
        }


class WebSessionScheme(OpenApiAuthenticationExtension):
    target_class = WebSessionAuthentication
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
