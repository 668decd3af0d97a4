"""A17: the browser step of Pastell's RGS mode, posting acts parked in status 17.

Pastell sends the user's browser with ``nounce``/``login``/``hash`` (from A3) and ``url_return``;
the browser's own certificate must reach ``PKI_TRANSMISSION_REQUIRED_RGS`` and belong to that
account. Without nonce parameters the caller authenticates like any API client. The browser is
sent back to ``url_return`` with ``%%ERROR%%`` (0/1) and ``%%MESSAGE%%`` replaced, but only once
the caller is authenticated: an anonymous link never turns the site into an open redirector.
"""

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from bouquet.actes.errors import ActesServiceError
from bouquet.actes.services.post_act import post_act
from bouquet.core.audit import Actor
from bouquet.pki.client_auth import NOT_BOUND, authenticate_client, certificate_accounts
from bouquet.s2low_api import params
from bouquet.s2low_api.auth import ko, text_response
from bouquet.s2low_api.responses import redirect
from bouquet.s2low_api.scope import transactions_of
from bouquet.s2low_api.services import consume_nonce
from bouquet.s2low_api.views.actes_create import INVALID_ID, request_rgs

__all__ = ["post_confirm", "post_confirm_multi"]


def _caller(request: HttpRequest) -> tuple[object | None, str | None]:
    required = settings.PKI_TRANSMISSION_REQUIRED_RGS
    if "nounce" not in request.GET:
        return authenticate_client(request, required_rgs=required)
    user, error = consume_nonce(
        value=params.query(request, "nounce"),
        login=params.query(request, "login"),
        hash_hex=params.query(request, "hash"),
    )
    if error:
        return None, error
    accounts, error = certificate_accounts(request, required_rgs=required)
    if error:
        return None, error
    if user.pk not in {account.pk for account in accounts}:
        return None, NOT_BOUND
    return user, None


def _post(request: HttpRequest, user, ids: list[str]) -> tuple[bool, str]:
    """Post every id; (success, message). Unknown ids and others' ids read the same."""
    actor = Actor.of_user(user)
    done = []
    for raw in ids:
        pk = params.as_int(raw)
        act = transactions_of(user).filter(pk=pk).first() if pk else None
        if act is None:
            return False, f"{INVALID_ID} ({raw})"
        try:
            post_act(transaction=act, actor=actor, rgs_level=request_rgs(request))
        except ActesServiceError as exc:
            return False, f"Transaction {act.pk} : {exc.message}"
        done.append(str(act.pk))
    return True, f"La transaction {', '.join(done)} a été postée." if len(done) == 1 else (
        f"Les transactions {', '.join(done)} ont été postées."
    )


def _answer(request: HttpRequest, success: bool, message: str) -> HttpResponse:
    target = params.query(request, "url_return")
    if not target or urlsplit(target).scheme not in ("http", "https"):
        return text_response(f"OK\n{message}\n") if success else ko(message)
    location = target.replace("%%ERROR%%", "0" if success else "1").replace("%%MESSAGE%%", quote(message))
    return redirect(location)


def _confirm(request: HttpRequest, ids: list[str]) -> HttpResponse:
    request.encoding = "iso-8859-1"
    user, error = _caller(request)
    if error:
        return ko(error)
    if not ids:
        return _answer(request, False, INVALID_ID)
    return _answer(request, *_post(request, user, ids))


@csrf_exempt
def post_confirm(request: HttpRequest) -> HttpResponse:
    """``?id=<t>&url_return=…&nounce=…&login=…&hash=…``: 17 → 1, then back to Pastell."""
    ids = params.query_list(request, "id")
    return _confirm(request, ids[:1])


@csrf_exempt
def post_confirm_multi(request: HttpRequest) -> HttpResponse:
    """``?id[]=<t1>&id[]=<t2>…``: the batch variant; stops at the first failure."""
    return _confirm(request, params.query_list(request, "id"))
