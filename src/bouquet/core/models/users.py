from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.db import models

from bouquet.core.choices import TRANSMISSION_MODULES, Access, OperatorRole, Role
from bouquet.core.querysets import TenantQuerySet


class UserManager(BaseUserManager):
    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A natural person's account. Rights come from memberships, never from a superuser flag."""

    email = models.EmailField("courriel", unique=True)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    is_active = models.BooleanField("actif", default=True)
    # Lockout after repeated failures (settings.LOGIN_MAX_FAILURES / LOGIN_LOCKOUT_MINUTES).
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Optional TOTP second factor (RFC 6238); the secret is base32.
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled = models.BooleanField("double authentification", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email

    def operator_role(self, operator) -> str | None:
        staff = self.operator_roles.filter(operator=operator).first()
        return staff.role if staff else None

    @property
    def is_operator_staff(self) -> bool:
        return self.operator_roles.exists()


class OperatorStaff(models.Model):
    """A user working for the operator: admin, or support (reads members' data, never sends for them)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="operator_roles")
    operator = models.ForeignKey("core.Operator", on_delete=models.CASCADE, related_name="staff")
    role = models.CharField("rôle", max_length=10, choices=OperatorRole.choices)

    class Meta:
        verbose_name = "membre de l'équipe de l'opérateur"
        constraints = [
            models.UniqueConstraint(fields=["user", "operator"], name="one_staff_role_per_operator")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class Membership(models.Model):
    """A user's account within one authority, with a role and per-module rights."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    authority = models.ForeignKey("core.Authority", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=10, choices=Role.choices, default=Role.AGENT)
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement"
        ordering = ["authority__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "authority"], name="one_membership_per_authority")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.authority.name}"

    def right(self, module_code: str) -> "ModuleRight | None":
        return next((r for r in self.rights.all() if r.module.code == module_code), None)


class ModuleRight(models.Model):
    """What a membership may do in one module; CS and TT are S²LOW's two transmission rights."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="rights")
    module = models.ForeignKey("core.Module", on_delete=models.PROTECT, related_name="rights")
    access = models.CharField("accès", max_length=5, choices=Access.choices, default=Access.NONE)
    can_prepare = models.BooleanField("CS : peut préparer", default=False)
    can_transmit = models.BooleanField("TT : peut télétransmettre", default=False)

    class Meta:
        verbose_name = "droit sur un module"
        constraints = [
            models.UniqueConstraint(fields=["membership", "module"], name="one_right_per_module"),
            # CS/TT only make sense with write access.
            models.CheckConstraint(
                condition=models.Q(access="write") | models.Q(can_prepare=False, can_transmit=False),
                name="cs_tt_need_write_access",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} — {self.module.code}: {self.access}"

    @property
    def carries_transmission_rights(self) -> bool:
        return self.module.code in TRANSMISSION_MODULES
