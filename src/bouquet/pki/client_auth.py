"""S²LOW's authentication rule for a client certificate, shared by the API and the web login.

Valid certificate bound to exactly one account → that account. Bound to several → the HTTP Basic
login (an e-mail) and password must name one of them. Anything else is refused with a French reason.
"""

import base64
import binascii
import logging

from django.contrib.auth import authenticate
from django.utils.timezone import localtime

from bouquet.core.audit import Actor, record
from bouquet.core.auth import AccountLocked
from bouquet.pki.middleware import ClientCertificate, validate_cached

__all__ = [
    "NO_CERTIFICATE",
    "basic_credentials",
    "authenticate_client",
    "certificate_accounts",
    "check_account_password",
    "journal_certificate_login",
]

log = logging.getLogger(__name__)

NO_CERTIFICATE = "Aucun certificat client n'a été présenté : connectez-vous avec votre certificat."
UNKNOWN = "Certificat inconnu de la plateforme : il n'est rattaché à aucun compte."
NO_ACTIVE_ACCOUNT = "Ce certificat n'est rattaché à aucun compte actif."
NEED_LOGIN = (
    "Plusieurs comptes utilisent ce certificat : indiquez l'identifiant (adresse électronique) "
    "et le mot de passe du compte à utiliser."
)
BAD_PASSWORD = "Identifiant ou mot de passe incorrect."
NOT_BOUND = "Ce compte n'est pas rattaché au certificat présenté."


def basic_credentials(request) -> tuple[str, str] | None:
    """(login, password) from an ``Authorization: Basic`` header, or None."""
    scheme, _, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("iso-8859-1")  # PHP clients may send Latin-1
    login, sep, password = text.partition(":")
    return (login.strip(), password) if sep else None


def certificate_accounts(request, *, required_rgs: str = "") -> tuple[list, str | None]:
    """The active accounts bound to the presented certificate if it is valid, else ([], reason)."""
    cert: ClientCertificate | None = getattr(request, "client_certificate", None)
    if cert is None:
        return [], NO_CERTIFICATE
    result = validate_cached(cert.der, cert.fingerprint, required_rgs) if required_rgs else cert.validation
    if not result.ok:
        return [], result.reason
    if cert.certificate is None:
        return [], UNKNOWN
    accounts = list(cert.certificate.accounts())
    return (accounts, None) if accounts else ([], NO_ACTIVE_ACCOUNT)


def check_account_password(
    request, accounts: list, login: str, password: str
) -> tuple[object | None, str | None]:
    """The account named by ``login`` if the password is right (lockout applies) and it is bound."""
    try:
        user = authenticate(request, username=login, password=password)
    except AccountLocked as exc:
        return None, f"Compte verrouillé après plusieurs échecs, jusqu'à {localtime(exc.until):%H:%M}."
    if user is None:
        return None, BAD_PASSWORD
    if user.pk not in {a.pk for a in accounts}:
        return None, NOT_BOUND
    return user, None


def authenticate_client(
    request, *, required_rgs: str = "", journal: bool = True
) -> tuple[object | None, str | None]:
    """(user, None) when the certificate (plus Basic credentials if needed) designates an account.

    Basic credentials, when sent, are always checked, even for a certificate with one account.
    """
    accounts, error = certificate_accounts(request, required_rgs=required_rgs)
    if error:
        return None, error
    credentials = basic_credentials(request)
    if credentials is None:
        if len(accounts) > 1:
            return None, NEED_LOGIN
        user = accounts[0]
    else:
        user, error = check_account_password(request, accounts, *credentials)
        if error:
            log.info(
                "certificate %s: login refused for %r",
                request.client_certificate.fingerprint[:16],
                credentials[0],
            )
            return None, error
    if journal:
        journal_certificate_login(request, user, "certificat + mot de passe" if credentials else "certificat")
    return user, None


def journal_certificate_login(request, user, method: str) -> None:
    cert: ClientCertificate = request.client_certificate
    record(
        actor=Actor.of_certificate(cert.fingerprint, user),
        action="auth.certificate",
        obj=user,
        details={
            "fingerprint": cert.fingerprint,
            "rgs_level": getattr(cert.validation, "rgs_level", ""),
            "method": method,
            "path": request.path[:200],
        },
    )
