"""E-mail + password authentication with lockout; the TOTP step is handled by the login view."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from bouquet.core.models import User


class AccountLocked(Exception):
    """Raised when the account is locked; the login view turns it into a French message."""

    def __init__(self, until):
        super().__init__(f"locked until {until}")
        self.until = until


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = (username or kwargs.get("email") or "").strip().lower()
        user = User.objects.filter(email=email).first()
        if user is None:
            # Same cost as a real check, so timing does not reveal which e-mails exist.
            User().set_password(password)
            return None
        now = timezone.now()
        if user.locked_until and user.locked_until > now:
            raise AccountLocked(user.locked_until)
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            return user
        failures = user.failed_logins + 1
        locked_until = None
        if failures >= settings.LOGIN_MAX_FAILURES:
            locked_until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            failures = 0
        User.objects.filter(pk=user.pk).update(failed_logins=failures, locked_until=locked_until)
        return None

    def get_user(self, user_id):
        user = User.objects.filter(pk=user_id, is_active=True).first()
        return user
