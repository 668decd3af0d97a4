"""S²LOW's common endpoints (A1–A3 of the client specification)."""

from django.contrib.auth import login
from django.views.decorators.csrf import csrf_exempt

from bouquet.core.audit import Actor, record
from bouquet.pki.client_auth import basic_credentials, certificate_accounts
from bouquet.s2low_api.auth import ko, require_basic, s2low_auth, text_response
from bouquet.s2low_api.responses import php_json
from bouquet.s2low_api.services import consume_nonce, issue_nonce

BACKEND = "bouquet.core.auth.EmailBackend"


@csrf_exempt
def test_connexion(request):
    """A1: ``OK`` once authenticated; with ``nounce``/``login``/``hash`` it logs a browser in."""
    if "nounce" in request.GET:
        return _nonce_login(request)
    return _certificate_ok(request)


@s2low_auth
def _certificate_ok(request):
    return text_response("OK")


def _nonce_login(request):
    user, error = consume_nonce(
        value=request.GET.get("nounce", ""),
        login=request.GET.get("login", ""),
        hash_hex=request.GET.get("hash", ""),
    )
    if error:
        return ko(error)
    login(request, user, backend=BACKEND)
    record(actor=Actor.of_user(user), action="auth.nonce", obj=user, details={"path": request.path[:200]})
    return text_response("OK")


@csrf_exempt
def list_login(request):
    """A2: the login (e-mail) of every account bound to the presented certificate, one per line."""
    accounts, error = certificate_accounts(request)
    if error:
        return ko(error)
    return text_response("".join(f"{user.email}\n" for user in accounts))


@require_basic
@s2low_auth
def get_nounce(request):
    """A3: a single-use nonce for a browser redirect (HTTP Basic required)."""
    _login, password = basic_credentials(request)
    nonce = issue_nonce(user=request.user, password=password)
    return php_json({"nounce": nonce.value})
