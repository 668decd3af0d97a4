"""Demo data for `bouquet demo` (after the marches demo): deposits on the closed demo consultation
BEAUNE-2026-03, still sealed so that a newcomer can open them, with one replaced deposit, one late
deposit and a backup copy. Idempotent: nothing is added once that consultation has deposits.

The deposits go through the real services (pieces, sealing, acknowledgement); the bids clock is
set back to their dates for the time of the load only.
"""

import io
from contextlib import contextmanager
from datetime import timedelta

from reportlab.pdfgen import canvas

from bouquet.core.audit import Actor
from bouquet.core.choices import Access
from bouquet.core.demo import DEMO_PASSWORD, demo_email
from bouquet.core.models import User
from bouquet.marches.bids import clock
from bouquet.marches.bids.models import BackupCopy, Deposit, DepositFile
from bouquet.marches.bids.pdf.common import local
from bouquet.marches.bids.services.backups import register_backup_copy
from bouquet.marches.bids.services.commit_deposit import commit_deposit
from bouquet.marches.bids.services.deposit_start import FileSpec, start_deposit
from bouquet.marches.bids.services.receive_piece import receive_piece
from bouquet.marches.models import Company, CompanyMembership, Consultation

REFERENCE = "BEAUNE-2026-03"
SECOND_COMPANY = {
    "siret": "44306184100047",
    "name": "Paysages de Côte-d'Or",
    "address": "3 chemin des Vignes",
    "postal_code": "21200",
    "city": "Beaune",
    "phone": "03 80 24 00 00",
}
SECOND_USER = ("paysages.demo", "Léa", "Fontaine")


@contextmanager
def _clock_at(moment):
    original = clock.now
    clock.now = lambda: moment
    try:
        yield
    finally:
        clock.now = original


def _pdf(title: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 760, title)
    page.drawString(72, 740, "Document de démonstration — Bouquet")
    page.save()
    return buffer.getvalue()


def _second_company() -> tuple[Company, User]:
    local_part, first, last = SECOND_USER
    user = User.objects.filter(email=demo_email(local_part)).first()
    if user is None:
        user = User.objects.create_user(
            demo_email(local_part), DEMO_PASSWORD, first_name=first, last_name=last
        )
    company, _ = Company.objects.update_or_create(
        siret=SECOND_COMPANY["siret"], defaults={**SECOND_COMPANY, "email": demo_email(local_part)}
    )
    CompanyMembership.objects.update_or_create(user=user, company=company, defaults={"is_active": True})
    return company, user


def _deposit(consultation, company, user, files: list[tuple[str, str]], at) -> Deposit:
    """``files``: (slot, title) pairs; each becomes a small PDF sent in one piece."""
    actor = Actor.of_user(user)
    contents = [(slot, f"{title}.pdf", _pdf(f"{company.name} — {title}")) for slot, title in files]
    with _clock_at(at - timedelta(minutes=3)):
        started = start_deposit(
            consultation=consultation,
            company=company,
            actor=actor,
            files=[FileSpec(slot, name, len(data)) for slot, name, data in contents],
            user_agent="démonstration",
        )
    stored = DepositFile.objects.filter(envelope__deposit=started).order_by("position")
    with _clock_at(at - timedelta(seconds=20)):
        for file, (_, _, data) in zip(stored, contents, strict=True):
            receive_piece(deposit=started, file=file, offset=0, data=data)
    with _clock_at(at):
        return commit_deposit(deposit=started, actor=actor)


def load() -> list[str]:
    consultation = Consultation.objects.filter(reference=REFERENCE, bid_deadline__isnull=False).first()
    demo_company = Company.objects.filter(siret="73282932000074").first()
    if consultation is None or demo_company is None:
        return ["Dépôts : consultation de démonstration absente, rien à ajouter."]
    if Deposit.objects.filter(consultation=consultation).exists():
        return [f"Dépôts : déjà présents sur {REFERENCE}."]
    demo_user = demo_company.memberships.filter(is_active=True).first().user
    company, user = _second_company()
    deadline = consultation.bid_deadline
    offer = [
        ("candidature", "DC1 - lettre de candidature"),
        ("candidature", "DC2 - déclaration du candidat"),
        ("offre", "Acte d'engagement"),
        ("offre", "Mémoire technique"),
    ]
    _deposit(consultation, demo_company, demo_user, offer[:3], deadline - timedelta(days=2, hours=3))
    _deposit(consultation, demo_company, demo_user, offer, deadline - timedelta(hours=5, minutes=12))
    _deposit(consultation, company, user, offer, deadline - timedelta(minutes=47, seconds=13))
    late = _deposit(
        consultation, company, user, [("offre", "Offre corrigée")], deadline + timedelta(seconds=42)
    )
    # The first active agent who may write in MARCHES (a read-only elected official may not register
    # a backup copy); ordered, so that every database picks the same one.
    members = consultation.authority.memberships.filter(is_active=True, user__is_active=True).order_by("id")
    agent = next(
        (m.user for m in members if (right := m.right("MARCHES")) and right.access == Access.WRITE),
        None,
    )
    if agent is not None and not BackupCopy.objects.filter(consultation=consultation).exists():
        with _clock_at(deadline + timedelta(hours=20)):
            register_backup_copy(
                consultation=consultation,
                actor=Actor.of_user(agent),
                company_name=company.name,
                company_siret=company.siret,
                medium="clé USB sous pli scellé",
                received_at=deadline - timedelta(days=1),
            )
    return [
        f"Dépôts : 4 plis sur {REFERENCE} (dont un remplacé et un hors délai, "
        f"reçu le {local(late.received_at)}), "
        f"scellés jusqu'à l'ouverture ; compte entreprise {user.email} ({company.name})."
    ]
