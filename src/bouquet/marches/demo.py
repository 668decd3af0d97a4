"""Demo data for `bouquet demo`: consultations in every state of this app for the members
subscribed to MARCHES, and a demo company with its user.

Idempotent: consultations are looked up by (authority, reference) and left as they are once
created (their dates are relative to the first load); rights, the company and its user are
updated in place. The bids and contracts apps add deposits and awarded contracts to these.
"""

import io
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bouquet.core.audit import Actor, record
from bouquet.core.choices import Access, ModuleCode
from bouquet.core.demo import DEMO_PASSWORD, demo_email
from bouquet.core.models import Authority, Membership, Module, ModuleRight, Subscription, User
from bouquet.core.validators import luhn_ok
from bouquet.marches.choices import EventKind, Kind, PlaceCodeType, Procedure, Status
from bouquet.marches.models import (
    Company,
    CompanyMembership,
    Consultation,
    DceFile,
    Download,
    Downloader,
    Lot,
    NoticeVersion,
    Question,
)
from bouquet.marches.services.common import snapshot
from bouquet.marches.services.history import add_event
from bouquet.marches.storage import store_upload

SYSTEM = Actor.system("données de démonstration")
COMPANY = {
    "siret": "73282932000074",
    "name": "Bâtiments et Routes de Bourgogne",
    "address": "12 rue de l'Industrie",
    "postal_code": "21200",
    "city": "Beaune",
    "phone": "03 80 22 00 00",
}
COMPANY_USER = ("entreprise.demo", "Hugo", "Lambert")
#: (demo e-mail local part, authority SIREN stem) of the agents given write access to MARCHES.
BUYERS = [("secretariat.beaune", "21210054"), ("dgs.ccvti", "20000702"), ("secretaire.vitteaux", "21210317")]
READERS = [("elu.beaune", "21210054")]

# (SIREN stem, reference, state, object, procedure, kind, amount, CPV, lots, days: published, deadline)
CONSULTATIONS = [
    ("21210054", "BEAUNE-2026-01", "draft", "Rénovation de l'éclairage public du centre-ville",
     Procedure.MAPA, Kind.WORKS, 150_000, "45316100-6", ["Génie civil", "Luminaires LED"], (None, 45)),
    ("21210054", "BEAUNE-2026-02", "published", "Réfection de la voirie des rues Paul Bert et Carnot",
     Procedure.MAPA, Kind.WORKS, 180_000, "45233140-2", ["Chaussée", "Signalisation"], (-5, 30)),
    ("21210054", "BEAUNE-2026-03", "closed", "Entretien des espaces verts communaux (2026-2028)",
     Procedure.MAPA, Kind.SERVICES, 95_000, "77310000-6", [], (-40, -1)),
    ("21210054", "BEAUNE-2026-04", "cancelled", "Acquisition d'un véhicule utilitaire électrique",
     Procedure.MAPA, Kind.SUPPLIES, 45_000, "34144900-7", [], (-20, 10)),
    ("21210054", "BEAUNE-25-05", "unsuccessful", "Maîtrise d'œuvre pour l'extension de l'école maternelle",
     Procedure.MAPA, Kind.SERVICES, 70_000, "71221000-3", [], (-90, -50)),
    ("21210054", "BEAUNE-25-05-R1", "published", "Maîtrise d'œuvre pour l'extension de l'école maternelle",
     Procedure.MAPA, Kind.SERVICES, 70_000, "71221000-3", [], (-3, 25)),
    ("20000702", "CCVTI-2026-01", "published", "Collecte et traitement des déchets ménagers",
     Procedure.OPEN, Kind.SERVICES, 900_000, "90511000-2", ["Collecte", "Tri", "Déchèteries"], (-10, 32)),
    ("20000702", "TEST-DEPOT", "published", "Consultation de test : entraînez-vous à déposer une offre",
     Procedure.MAPA, Kind.SERVICES, 1_000, "79000000-4", [], (-30, 3650)),
    ("21210317", "IS-2026-01", "published", "Fourniture de repas pour la restauration scolaire",
     Procedure.MAPA, Kind.SUPPLIES, 120_000, "15894210-6", [], (-2, 28)),
]  # fmt: skip
RELAUNCHES = {"BEAUNE-25-05-R1": "BEAUNE-25-05"}
REASONS = {
    "cancelled": "Besoin reporté à l'exercice suivant (déclaration sans suite pour motif d'intérêt général).",
    "unsuccessful": "Aucune offre reçue à la date limite.",
}
DCE = ["Règlement de la consultation.pdf", "CCAP.pdf", "CCTP.pdf", "Acte d'engagement.pdf"]


def _pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setFont("Helvetica-Bold", 16)
    page.drawString(60, 780, title)
    page.setFont("Helvetica", 11)
    for n, line in enumerate(lines):
        page.drawString(60, 750 - 18 * n, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def _siret(authority: Authority) -> str:
    row = authority.sirets.order_by("siret").first()
    if row is not None:
        return row.siret
    return next(
        authority.siren + "0001" + str(d) for d in range(10) if luhn_ok(authority.siren + "0001" + str(d))
    )


def _grant_rights(authorities: dict[str, Authority]) -> None:
    module = Module.objects.get(code=ModuleCode.MARCHES)
    for locals_, access in ((BUYERS, Access.WRITE), (READERS, Access.READ)):
        for local, stem in locals_:
            membership = Membership.objects.filter(
                user__email=demo_email(local), authority=authorities.get(stem)
            ).first()
            if membership is not None:
                ModuleRight.objects.update_or_create(
                    membership=membership, module=module, defaults={"access": access}
                )


def _company() -> tuple[Company, User]:
    local, first, last = COMPANY_USER
    user = User.objects.filter(email=demo_email(local)).first()
    if user is None:
        user = User.objects.create_user(demo_email(local), DEMO_PASSWORD, first_name=first, last_name=last)
    company, _ = Company.objects.update_or_create(
        siret=COMPANY["siret"], defaults={**COMPANY, "email": demo_email(local)}
    )
    CompanyMembership.objects.update_or_create(user=user, company=company, defaults={"is_active": True})
    return company, user


def _attach_dce(consultation: Consultation, agent) -> None:
    for name in DCE:
        content = _pdf(name.removesuffix(".pdf"), [consultation.reference, consultation.object[:90]])
        handle = io.BytesIO(content)
        handle.name, handle.size = name, len(content)
        stored = store_upload(handle)
        DceFile.objects.create(
            consultation=consultation, name=stored.name, sha256=stored.sha256, size=stored.size,
            mime_type=stored.sniffed.mime_type, format_label=stored.sniffed.label, path=stored.path,
            uploaded_by=agent, uploaded_at=consultation.created_at,
        )  # fmt: skip


def _agent(authority: Authority):
    local = next((local for local, stem in BUYERS if authority.siren.startswith(stem)), None)
    return User.objects.filter(email=demo_email(local)).first() if local else None


def _create(row, authorities, company, company_user) -> Consultation:
    stem, reference, state, obj, procedure, kind, amount, cpv, lots, (published, deadline) = row
    authority = authorities[stem]
    now = timezone.now().replace(second=0, microsecond=0)
    agent = _agent(authority)
    consultation = Consultation.objects.create(
        authority=authority,
        buyer_siret=_siret(authority),
        reference=reference,
        object=obj,
        procedure=procedure,
        kind=kind,
        cpv_main=cpv,
        execution_place=authority.name,
        execution_place_code_type=PlaceCodeType.COMMUNE,
        estimated_amount=Decimal(amount),
        duration_months=12,
        notice_text=f"{obj}.\n\nLes offres sont remises sur la plateforme avant la date limite. "
        "Critères : prix 60 %, valeur technique 40 %.",
        question_deadline=now.replace(hour=12) + timedelta(days=deadline - 7),
        bid_deadline=now.replace(hour=12) + timedelta(days=deadline),
        created_by=agent,
        created_at=now + timedelta(days=(published or 0) - 3),
        is_test=reference.startswith("TEST"),
        relaunched_from=Consultation.objects.filter(
            authority=authority, reference=RELAUNCHES.get(reference)
        ).first(),
    )
    for number, lot_object in enumerate(lots, start=1):
        Lot.objects.create(consultation=consultation, number=number, object=lot_object, cpv=cpv)
    _attach_dce(consultation, agent)
    add_event(consultation, EventKind.CREATED, "Consultation créée (brouillon).", agent)
    if state != "draft":
        _publish(consultation, agent, now + timedelta(days=published))
        _activity(consultation, company, company_user, agent)
    if state in {"closed", "cancelled", "unsuccessful"}:
        _finish(consultation, state, agent)
    record(
        actor=SYSTEM, action="marches.demo", authority=authority, obj=consultation, details={"state": state}
    )
    return consultation


def _publish(consultation: Consultation, agent, at) -> None:
    consultation.status, consultation.published_at, consultation.version = Status.PUBLISHED, at, 1
    consultation.status_changed_at = at
    consultation.save()
    NoticeVersion.objects.create(
        consultation=consultation,
        number=1,
        text=consultation.notice_text,
        change_summary="Publication initiale.",
        snapshot=snapshot(consultation),
        published_at=at,
        published_by=agent,
    )
    add_event(consultation, EventKind.PUBLISHED, "Consultation publiée.", agent)


def _activity(consultation: Consultation, company, company_user, agent) -> None:
    """Downloads, a registration, questions (one answered) and, for one, a modification."""
    Downloader.objects.get_or_create(
        consultation=consultation,
        email=company_user.email,
        defaults={"company": company, "user": company_user},
    )
    at = consultation.published_at + timedelta(hours=2)
    Download.objects.create(consultation=consultation, is_archive=True, version=1, at=at, ip="192.0.2.10")
    Download.objects.create(
        consultation=consultation, is_archive=True, version=1, at=at + timedelta(hours=1), ip="198.51.100.7",
        user=company_user, company=company, email=company_user.email,
    )  # fmt: skip
    if consultation.reference != "BEAUNE-2026-02":
        return
    answered = Question.objects.create(
        consultation=consultation, company=company, asked_by=company_user, asked_at=at + timedelta(hours=3),
        text="La visite des lieux est-elle obligatoire ?",
        answer="Non, elle est conseillée. Elle est possible le mardi matin sur rendez-vous.",
        answered_by=agent, answered_at=at + timedelta(days=1),
    )  # fmt: skip
    Question.objects.create(
        consultation=consultation, company=company, asked_by=company_user, asked_at=at + timedelta(days=2),
        text="Les variantes sont-elles autorisées pour le lot 2 ?",
    )  # fmt: skip
    add_event(
        consultation,
        EventKind.QUESTION_ANSWERED,
        "Réponse publiée à une question.",
        agent,
        question=answered.pk,
    )
    consultation.version = 2
    consultation.save(update_fields=["version"])
    NoticeVersion.objects.create(
        consultation=consultation, number=2, text=consultation.notice_text,
        change_summary="Ajout du plan de récolement des réseaux au DCE.", snapshot=snapshot(consultation),
        published_at=at + timedelta(days=2), published_by=agent, notified_count=1,
    )  # fmt: skip
    add_event(consultation, EventKind.MODIFIED, "Modification publiée (version 2).", agent)


def _finish(consultation: Consultation, state: str, agent) -> None:
    consultation.status = {"closed": Status.CLOSED, "cancelled": Status.CANCELLED}.get(
        state, Status.UNSUCCESSFUL
    )
    consultation.status_reason = REASONS.get(state, "")
    consultation.save()
    message = {
        "closed": "Date limite de remise des plis atteinte : consultation clôturée.",
        "cancelled": f"Consultation annulée (déclarée sans suite) : {REASONS['cancelled']}",
        "unsuccessful": f"Consultation déclarée infructueuse : {REASONS['unsuccessful']}",
    }[state]
    add_event(consultation, state, message, agent if state != "closed" else None)


def load() -> list[str]:
    subscribed = Subscription.objects.current().filter(module__code=ModuleCode.MARCHES).values("authority")
    authorities = {a.siren[:8]: a for a in Authority.objects.filter(pk__in=subscribed)}
    created = 0
    with transaction.atomic():
        _grant_rights(authorities)
        company, company_user = _company()
        for row in CONSULTATIONS:
            authority = authorities.get(row[0])
            if (
                authority is None
                or Consultation.objects.filter(authority=authority, reference=row[1]).exists()
            ):
                continue
            _create(row, authorities, company, company_user)
            created += 1
    return [
        f"Marchés publics : {created} consultation(s) ajoutée(s) ; "
        f"compte entreprise {company_user.email} ({company.name})."
    ]
