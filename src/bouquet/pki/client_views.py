"""Web login with the TLS client certificate (over the HTTPS endpoint served by nginx)."""

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from bouquet.pki.client_auth import certificate_accounts, check_account_password, journal_certificate_login

BACKEND = "bouquet.core.auth.EmailBackend"
TEMPLATE = "pki/certificate_login.html"
SESSION_KEY = "client_certificate"  # {"fingerprint": …, "rgs_level": …} of the certificate used


class AccountChoiceForm(forms.Form):
    login = forms.ChoiceField(label="Compte", widget=forms.RadioSelect)
    password = forms.CharField(label="Mot de passe", strip=False, widget=forms.PasswordInput)

    def __init__(self, accounts: list, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].choices = [(u.email, f"{u.full_name} ({u.email})") for u in accounts]


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=True):
        return candidate
    return settings.LOGIN_REDIRECT_URL


def _log_in(request: HttpRequest, user, method: str, next_url: str) -> HttpResponse:
    login(request, user, backend=BACKEND)
    cert = request.client_certificate
    request.session[SESSION_KEY] = {"fingerprint": cert.fingerprint, "rgs_level": cert.validation.rgs_level}
    journal_certificate_login(request, user, method)
    return redirect(next_url)


@require_http_methods(["GET", "POST"])
def certificate_login(request: HttpRequest) -> HttpResponse:
    """One account → logged in; several → choose one and type its password; invalid → the reason."""
    next_url = _next_url(request)
    accounts, error = certificate_accounts(request, required_rgs=settings.PKI_LOGIN_REQUIRED_RGS)
    if error:
        return render(request, TEMPLATE, {"error": error}, status=403)
    if len(accounts) == 1:
        return _log_in(request, accounts[0], "certificat", next_url)
    form = AccountChoiceForm(accounts, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, error = check_account_password(
            request, accounts, form.cleaned_data["login"], form.cleaned_data["password"]
        )
        if user is not None:
            return _log_in(request, user, "certificat + mot de passe", next_url)
        form.add_error(None, error)
    return render(request, TEMPLATE, {"form": form, "next": next_url})
