"""Login (password, then the TOTP code when enabled), logout, and the second-factor settings page."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from bouquet.core import totp
from bouquet.core.auth import AccountLocked
from bouquet.core.models import User
from bouquet.web import services
from bouquet.web.forms import CodeForm, LoginForm

PENDING_KEY = "login_pending"  # {"user": pk, "failures": n, "next": url, "since": epoch}
SETUP_KEY = "totp_setup_secret"
MAX_CODE_FAILURES = 5
PENDING_TTL = 600  # seconds to type the code after the password
BAD_CREDENTIALS = "Adresse e-mail ou mot de passe incorrect."
BACKEND = "bouquet.core.auth.EmailBackend"


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """``candidate`` if it stays on this site, else the home page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def locked_message(until) -> str:
    return f"Compte verrouillé après plusieurs échecs. Réessayez après {timezone.localtime(until):%H:%M}."


def _check_password(request: HttpRequest, email: str, password: str) -> tuple[User | None, str]:
    """The user, or None and the French error message; journals failures."""
    try:
        user = authenticate(request, username=email, password=password)
    except AccountLocked as exc:
        services.journal_login_failure(email=email, reason="locked")
        return None, locked_message(exc.until)
    if user is not None:
        return user, ""
    services.journal_login_failure(email=email, reason="password")
    # This very failure may have locked the account: say so now rather than at the next try.
    until = User.objects.filter(email=email, locked_until__gt=timezone.now()).values_list(
        "locked_until", flat=True
    )
    if until:
        services.journal_lockout(email=email, until=until[0])
        return None, locked_message(until[0])
    return None, BAD_CREDENTIALS


def _finish_login(request: HttpRequest, user: User, method: str, next_url: str) -> HttpResponse:
    login(request, user, backend=BACKEND)
    services.journal_login_success(user=user, method=method)
    return redirect(safe_next(request, next_url))


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.user.is_authenticated:
        return redirect(safe_next(request, next_url))
    form = LoginForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        user, error = _check_password(request, email, form.cleaned_data["password"])
        if user is not None and user.totp_enabled:
            request.session[PENDING_KEY] = {
                "user": user.pk,
                "failures": 0,
                "next": next_url,
                "since": time.time(),
            }
            return redirect("web:login_code")
        if user is not None:
            return _finish_login(request, user, "password", next_url)
    certificate_url = f"{settings.PUBLIC_TLS_URL.rstrip('/')}/connexion/certificat/"
    context = {"form": form, "error": error, "next": next_url, "certificate_url": certificate_url}
    return render(request, "web/login.html", context)


def _pending_user(request: HttpRequest) -> tuple[dict | None, User | None]:
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > PENDING_TTL:
        return None, None
    return pending, User.objects.filter(pk=pending["user"], is_active=True, totp_enabled=True).first()


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Second step: not logged in until the code passes; too many wrong codes restart at step 1."""
    pending, user = _pending_user(request)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return redirect("web:login")
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        if totp.verify(user.totp_secret, form.cleaned_data["code"]):
            del request.session[PENDING_KEY]
            return _finish_login(request, user, "password+totp", pending["next"])
        pending["failures"] += 1
        if pending["failures"] >= MAX_CODE_FAILURES:
            del request.session[PENDING_KEY]
            services.journal_login_failure(email=user.email, reason="totp_exhausted")
            messages.error(request, "Trop de codes erronés. Reconnectez-vous.")
            return redirect("web:login")
        request.session[PENDING_KEY] = pending
        services.journal_login_failure(email=user.email, reason="totp")
        left = MAX_CODE_FAILURES - pending["failures"]
        error = f"Code incorrect. Il vous reste {left} essai{'s' if left > 1 else ''}."
    return render(request, "web/login_code.html", {"form": form, "error": error})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "Vous êtes déconnecté.")
    return redirect("web:login")


def _group(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
@require_http_methods(["GET", "POST"])
def totp_settings(request: HttpRequest) -> HttpResponse:
    """Enable the second factor (the secret waits in the session until a code confirms it) or disable it."""
    user = request.user
    form = CodeForm(request.POST or None)
    if user.totp_enabled:
        if request.method == "POST" and form.is_valid():
            if services.disable_totp(user=user, code=form.cleaned_data["code"]):
                messages.success(request, "La double authentification est désactivée.")
                return redirect("web:totp")
            form.add_error("code", "Code incorrect.")
        return render(request, "web/totp.html", {"form": form})
    secret = request.session.get(SETUP_KEY) or totp.new_secret()
    request.session[SETUP_KEY] = secret
    if request.method == "POST" and form.is_valid():
        if services.enable_totp(user=user, secret=secret, code=form.cleaned_data["code"]):
            del request.session[SETUP_KEY]
            messages.success(request, "La double authentification est activée.")
            return redirect("web:totp")
        form.add_error("code", "Code incorrect. Vérifiez l'heure de votre téléphone et réessayez.")
    context = {"form": form, "secret": _group(secret), "uri": totp.provisioning_uri(secret, user.email)}
    return render(request, "web/totp.html", context)
