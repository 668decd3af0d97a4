"""Authentication and response helpers of the S²LOW-compatible endpoints."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from bouquet.pki.client_auth import authenticate_client, basic_credentials

__all__ = ["BASIC_REALM", "ko", "latin1", "require_basic", "s2low_auth", "text_response"]

BASIC_REALM = 'Basic realm="API S2low"'
# Characters our French messages use that ISO-8859-1 lacks.
_LATIN1_FALLBACKS = str.maketrans(
    {"…": "...", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "œ": "oe", "Œ": "OE", "–": "-"}
)


def latin1(text: str) -> bytes:
    """``text`` in ISO-8859-1, typographic signs Latin-1 lacks replaced by plain ones."""
    return text.translate(_LATIN1_FALLBACKS).encode("iso-8859-1", errors="replace")


def text_response(body: str | bytes, status: int = 200) -> HttpResponse:
    """A ``text/plain`` answer in ISO-8859-1, as S²LOW sends (the client converts it to UTF-8)."""
    data = body if isinstance(body, bytes) else latin1(body)
    return HttpResponse(data, status=status, content_type="text/plain; charset=ISO-8859-1")


def ko(message: str) -> HttpResponse:
    """S²LOW's refusal: HTTP 200 and ``KO\\n<message>\\n`` (the client shows line 2)."""
    return text_response(f"KO\n{message}\n")


def s2low_auth(
    view: Callable | None = None,
    *,
    transmission: bool = False,
    refusal: Callable[[HttpRequest, str], HttpResponse] | None = None,
):
    """Authenticate by client certificate (plus HTTP Basic when it is shared) or answer ``KO``.

    The view gets ``request.user`` set to the account (no session is opened). With
    ``transmission=True`` the certificate must reach ``settings.PKI_TRANSMISSION_REQUIRED_RGS``.
    ``refusal(request, message)`` builds the answer to a failed authentication when the endpoint
    answers errors in its own shape (some HELIOS endpoints answer XML); default ``KO\n<message>``.
    """

    def decorator(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # Pastell posts its text fields in ISO-8859-1.
            request.encoding = "iso-8859-1"
            required = settings.PKI_TRANSMISSION_REQUIRED_RGS if transmission else ""
            user, error = authenticate_client(request, required_rgs=required)
            if error:
                return refusal(request, error) if refusal else ko(error)
            request.user = user
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def require_basic(view: Callable) -> Callable:
    """401 with ``WWW-Authenticate: Basic realm="API S2low"`` when no Basic credentials are sent."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if basic_credentials(request) is None:
            response = text_response("KO\nAuthentification HTTP Basic nécessaire.", status=401)
            response["WWW-Authenticate"] = BASIC_REALM
            return response
        return view(request, *args, **kwargs)

    return wrapper
