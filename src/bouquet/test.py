"""Shared test base (STYLE 3.5): two authorities, a read-write and a read-only user in the first,
a user in the second, and the operator's staff. Built once per test class."""

from datetime import date

from django.test import TestCase

from bouquet.core.choices import Access, AuthorityKind, ModuleCode, OperatorRole, Role
from bouquet.core.models import (
    Authority,
    Membership,
    Module,
    ModuleRight,
    Operator,
    OperatorStaff,
    Subscription,
    User,
)

PASSWORD = "mot-de-passe-de-test-1"


def make_operator() -> Operator:
    return Operator.objects.create(
        name="Opérateur de test",
        legal_nature="EPA",
        address="1 rue du Test, 21000 Dijon",
        phone="03 00 00 00 00",
        email="operateur@example.test",
    )


def make_modules() -> dict[str, Module]:
    return {
        code: Module.objects.get_or_create(code=code, defaults={"name": label})[0]
        for code, label in ModuleCode.choices
    }


def make_authority(operator, name: str, siren: str, **fields) -> Authority:
    fields = {"kind": AuthorityKind.COMMUNE, "departement": "021", "arrondissement": "1", **fields}
    return Authority.objects.create(operator=operator, name=name, siren=siren, **fields)


def make_user(email: str, authority=None, role=Role.AGENT, rights=None, **fields) -> User:
    """``rights`` maps module code → (access, can_prepare, can_transmit)."""
    user = User.objects.create_user(
        email, PASSWORD, first_name=fields.pop("first_name", email.split("@")[0]), last_name="Test", **fields
    )
    if authority is not None:
        membership = Membership.objects.create(user=user, authority=authority, role=role)
        for code, (access, cs, tt) in (rights or {}).items():
            ModuleRight.objects.create(
                membership=membership,
                module=Module.objects.get(code=code),
                access=access,
                can_prepare=cs,
                can_transmit=tt,
            )
    return user


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.operator = make_operator()
        cls.modules = make_modules()
        # Luhn-valid SIRENs, different departments to catch any département-based leak.
        cls.authority_a = make_authority(cls.operator, "Commune A", "210100012")
        cls.authority_b = make_authority(cls.operator, "Commune B", "210200010", departement="02A")
        for authority in (cls.authority_a, cls.authority_b):
            for module in cls.modules.values():
                Subscription.objects.create(authority=authority, module=module, start_date=date(2024, 1, 1))
        full = {ModuleCode.ACTES: (Access.WRITE, True, True), ModuleCode.HELIOS: (Access.WRITE, True, True)}
        read = {ModuleCode.ACTES: (Access.READ, False, False), ModuleCode.HELIOS: (Access.READ, False, False)}
        cls.alice = make_user("alice@a.example.test", cls.authority_a, Role.ADMIN, full)
        cls.bob = make_user("bob@a.example.test", cls.authority_a, Role.READ_ONLY, read)
        cls.charlie = make_user("charlie@b.example.test", cls.authority_b, Role.ADMIN, full)
        cls.olga = make_user("olga@operateur.example.test")
        OperatorStaff.objects.create(user=cls.olga, operator=cls.operator, role=OperatorRole.ADMIN)
        cls.sam = make_user("sam@operateur.example.test")
        OperatorStaff.objects.create(user=cls.sam, operator=cls.operator, role=OperatorRole.SUPPORT)

    def login(self, user) -> None:
        self.client.force_login(user)
