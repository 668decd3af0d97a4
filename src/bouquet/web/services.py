"""Account use cases behind the web pages: each writes its journal entry in its own transaction.

They concern the user account, so they may move to ``core/services/`` when that package grows.
"""

from datetime import datetime

from django.db import transaction

from bouquet.core import totp
from bouquet.core.audit import Actor, record
from bouquet.core.models import User

__all__ = ["journal_login_success", "journal_login_failure", "journal_lockout", "enable_totp", "disable_totp"]


def journal_login_success(*, user: User, method: str) -> None:
    """:param method: ``password`` or ``password+totp``."""
    record(actor=Actor.of_user(user), action="login.success", obj=user, details={"method": method})


def journal_login_failure(*, email: str, reason: str) -> None:
    """:param reason: ``password``, ``locked`` (attempt while locked), ``totp`` or ``totp_exhausted``."""
    record(actor=Actor.system(), action="login.failure", details={"email": email, "reason": reason})


def journal_lockout(*, email: str, until: datetime) -> None:
    """The account has just been locked after too many failures."""
    record(actor=Actor.system(), action="login.locked", details={"email": email, "until": until})


def enable_totp(*, user: User, secret: str, code: str) -> bool:
    """Turn the second factor on once ``code`` proves the app holds ``secret``; False if the code is wrong."""
    if not totp.verify(secret, code):
        return False
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(totp_secret=secret, totp_enabled=True)
        record(actor=Actor.of_user(user), action="account.totp_enabled", obj=user)
    user.totp_secret, user.totp_enabled = secret, True
    return True


def disable_totp(*, user: User, code: str) -> bool:
    """Turn the second factor off; a current code is required. False if the code is wrong."""
    if not user.totp_enabled or not totp.verify(user.totp_secret, code):
        return False
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(totp_secret="", totp_enabled=False)
        record(actor=Actor.of_user(user), action="account.totp_disabled", obj=user)
    user.totp_secret, user.totp_enabled = "", False
    return True
