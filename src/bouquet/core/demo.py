"""Demo data for `bouquet demo`: the operator, six Côte-d'Or members, users in every role.

Idempotent: every object is looked up by a natural key and updated, never duplicated.
"""

from datetime import date

from django.db import transaction

from bouquet.core.audit import Actor, record
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
from bouquet.core.validators import luhn_ok

DEMO_PASSWORD = "Bouquet-demo-2026"
DOMAIN = "demo.bouquet.test"

OPERATOR = {
    "name": "Ingénierie Côte-d'Or",
    "legal_nature": "Établissement public administratif",
    "address": "Hôtel du Département\n53 bis rue de la Préfecture\nCS 13501\n21000 Dijon",
    "phone": "03 80 63 27 00",
    "email": "mission.conseil@cotedor.fr",
}

# (key, name, kind, SIREN stem of 8 digits, arrondissement, population, modules, parent key)
AUTHORITIES = [
    (
        "ccvti",
        "Communauté de communes des Vallées de la Tille et de l'Ignon",
        AuthorityKind.COMMUNAUTE_COMMUNES,
        "20000702",
        "1",
        26000,
        ["ACTES", "HELIOS", "MARCHES"],
        None,
    ),
    (
        "beaune",
        "Commune de Beaune",
        AuthorityKind.COMMUNE,
        "21210054",
        "2",
        20300,
        ["ACTES", "HELIOS", "MARCHES"],
        None,
    ),
    (
        "nuits",
        "Commune de Nuits-Saint-Georges",
        AuthorityKind.COMMUNE,
        "21210462",
        "2",
        5400,
        ["ACTES", "HELIOS"],
        None,
    ),
    (
        "is",
        "Commune d'Is-sur-Tille",
        AuthorityKind.COMMUNE,
        "21210317",
        "1",
        4400,
        ["ACTES", "HELIOS", "MARCHES"],
        "ccvti",
    ),
    (
        "vitteaux",
        "Commune de Vitteaux",
        AuthorityKind.COMMUNE,
        "21210690",
        "3",
        1100,
        ["ACTES", "HELIOS"],
        None,
    ),
    (
        "sivos",
        "SIVOS de la Vallée de l'Ouche",
        AuthorityKind.SYNDICAT_FERME,
        "25210011",
        "1",
        None,
        ["ACTES", "HELIOS"],
        None,
    ),
]

WRITE_ALL = {"ACTES": (Access.WRITE, True, True), "HELIOS": (Access.WRITE, True, True)}
PREPARE_ONLY = {"ACTES": (Access.WRITE, True, False), "HELIOS": (Access.WRITE, True, False)}
READ_ALL = {"ACTES": (Access.READ, False, False), "HELIOS": (Access.READ, False, False)}

# (e-mail local part, first name, last name, [(authority key, role, rights)])
USERS = [
    ("secretariat.beaune", "Sophie", "Martin", [("beaune", Role.ADMIN, WRITE_ALL)]),
    ("agent.beaune", "Lucas", "Bernard", [("beaune", Role.AGENT, PREPARE_ONLY)]),
    ("elu.beaune", "Claire", "Petit", [("beaune", Role.READ_ONLY, READ_ALL)]),
    ("archives.beaune", "Paul", "Robert", [("beaune", Role.ARCHIVIST, READ_ALL)]),
    ("mairie.nuits", "Nadia", "Richard", [("nuits", Role.ADMIN, WRITE_ALL)]),
    # A secretary working for several members, as is common in rural Côte-d'Or: one account
    # for two communes (the authority switcher), and a second account with the syndicat, which
    # employs her separately; her one certificate serves both accounts (S²LOW's shared case).
    (
        "secretaire.vitteaux",
        "Marie",
        "Durand",
        [("vitteaux", Role.ADMIN, WRITE_ALL), ("is", Role.AGENT, PREPARE_ONLY)],
    ),
    ("secretariat.sivos", "Marie", "Durand", [("sivos", Role.ADMIN, WRITE_ALL)]),
    ("dgs.ccvti", "Thomas", "Moreau", [("ccvti", Role.ADMIN, WRITE_ALL)]),
]
STAFF = [
    ("admin.operateur", "Anne", "Lefebvre", OperatorRole.ADMIN),
    ("support.operateur", "Julien", "Garnier", OperatorRole.SUPPORT),
]


def siren_from_stem(stem: str) -> str:
    """Append the Luhn key digit to an 8-digit stem."""
    return next(stem + str(d) for d in range(10) if luhn_ok(stem + str(d)))


def demo_email(local: str) -> str:
    return f"{local}@{DOMAIN}"


@transaction.atomic
def load() -> list[str]:
    """Create or refresh the demo data; return the lines to print (logins)."""
    operator, _ = Operator.objects.update_or_create(name=OPERATOR["name"], defaults=OPERATOR)
    modules = {
        code: Module.objects.update_or_create(code=code, defaults={"name": label})[0]
        for code, label in ModuleCode.choices
    }
    authorities: dict[str, Authority] = {}
    for key, name, kind, stem, arrondissement, population, codes, parent in AUTHORITIES:
        authority, created = Authority.objects.update_or_create(
            siren=siren_from_stem(stem),
            defaults={
                "operator": operator,
                "name": name,
                "kind": kind,
                "departement": "021",
                "arrondissement": arrondissement,
                "population": population,
                "email": f"contact.{key}@{DOMAIN}",
                "phone": "03 80 00 00 00",
                "parent": authorities.get(parent) if parent else None,
            },
        )
        authorities[key] = authority
        for code in codes:
            Subscription.objects.get_or_create(
                authority=authority, module=modules[code], defaults={"start_date": date(2024, 1, 1)}
            )
        if created:
            record(
                actor=Actor.system("données de démonstration"),
                action="authority.create",
                authority=authority,
                obj=authority,
                details={"siren": authority.siren},
            )
    for local, first, last, links in USERS:
        user = _user(local, first, last)
        for key, role, rights in links:
            membership, _ = Membership.objects.update_or_create(
                user=user, authority=authorities[key], defaults={"role": role, "is_active": True}
            )
            for code, (access, cs, tt) in rights.items():
                ModuleRight.objects.update_or_create(
                    membership=membership,
                    module=modules[code],
                    defaults={"access": access, "can_prepare": cs, "can_transmit": tt},
                )
    for local, first, last, role in STAFF:
        OperatorStaff.objects.update_or_create(
            user=_user(local, first, last), operator=operator, defaults={"role": role}
        )
    lines = [f"Mot de passe de toutes les démonstrations : {DEMO_PASSWORD}"]
    lines += [f"  {demo_email(local):40} {first} {last}" for local, first, last, _ in USERS + STAFF]
    return lines


def _user(local: str, first: str, last: str) -> User:
    user = User.objects.filter(email=demo_email(local)).first()
    if user is None:
        user = User.objects.create_user(demo_email(local), DEMO_PASSWORD, first_name=first, last_name=last)
    return user
