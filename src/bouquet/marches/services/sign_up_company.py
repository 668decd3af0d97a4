"""A company creates its account: the company (SIRET checked) and its first user, its administrator."""

from dataclasses import dataclass

from django.db import transaction

from bouquet.core.audit import Actor, record
from bouquet.core.models import User
from bouquet.marches.errors import InvalidData
from bouquet.marches.models import Company, CompanyMembership

__all__ = ["CompanySignUp", "sign_up_company"]


@dataclass(frozen=True)
class CompanySignUp:
    siret: str
    name: str
    address: str
    postal_code: str
    city: str
    phone: str
    email: str  # the user's login, also the company's contact address
    first_name: str
    last_name: str
    password: str


def sign_up_company(data: CompanySignUp) -> CompanyMembership:
    """:raises InvalidData: the SIRET or the e-mail already has an account."""
    email = data.email.strip().lower()
    if Company.objects.filter(siret=data.siret).exists():
        raise InvalidData(
            "Cette entreprise a déjà un compte : demandez à son administrateur de vous ajouter.",
            {"siret": ["Cette entreprise a déjà un compte."]},
        )
    if User.objects.filter(email=email).exists():
        raise InvalidData(
            "Un compte existe déjà avec cette adresse e-mail : connectez-vous.",
            {"email": ["Un compte existe déjà avec cette adresse."]},
        )
    with transaction.atomic():
        user = User.objects.create_user(
            email, data.password, first_name=data.first_name, last_name=data.last_name, phone=data.phone
        )
        company = Company.objects.create(
            siret=data.siret,
            name=data.name,
            address=data.address,
            postal_code=data.postal_code,
            city=data.city,
            email=email,
            phone=data.phone,
        )
        membership = CompanyMembership.objects.create(
            user=user, company=company, role=CompanyMembership.Role.ADMIN
        )
        record(
            actor=Actor.of_user(user),
            action="marches.company_sign_up",
            obj=company,
            details={"siret": company.siret, "name": company.name},
        )
    return membership
