"""Create an API token for one membership; the clear token is returned once and never stored."""

import secrets
from dataclasses import dataclass

from django.db import transaction as db

from bouquet.api.errors import ApiTokenError
from bouquet.api.models import ApiToken, hash_token
from bouquet.core.audit import Actor, record
from bouquet.core.models import Membership

__all__ = ["TOKEN_PREFIX", "IssuedToken", "create_api_token"]

#: Marks our tokens so that secret scanners (and people) recognise a leaked one.
TOKEN_PREFIX = "bqt_"
_DISPLAY_LENGTH = 12


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    #: The clear token: show it once, it cannot be recovered.
    raw: str


def create_api_token(*, email: str, siren: str, name: str, actor: Actor) -> IssuedToken:
    """Token acting as the account ``email`` within the authority ``siren``.

    :raises ApiTokenError: no active account with an active membership of that authority, or no name.
    """
    name = name.strip()
    if not name:
        raise ApiTokenError("Donnez un nom au jeton (le logiciel qui l'utilisera).")
    membership = (
        Membership.objects.filter(
            user__email__iexact=email.strip(), user__is_active=True, authority__siren=siren, is_active=True
        )
        .select_related("user", "authority")
        .first()
    )
    if membership is None:
        raise ApiTokenError(f"Aucun compte actif {email} rattaché à la collectivité de SIREN {siren}.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with db.atomic():
        token = ApiToken.objects.create(
            user=membership.user,
            authority=membership.authority,
            name=name[:100],
            key_hash=hash_token(raw),
            prefix=raw[:_DISPLAY_LENGTH],
        )
        record(
            actor=actor,
            action="api.token_create",
            authority=membership.authority,
            obj=token,
            details={"name": token.name, "prefix": token.prefix, "user": membership.user.email},
        )
    return IssuedToken(token, raw)
