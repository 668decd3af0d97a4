"""Demo data for `bouquet demo`: a year of training sessions, the FAQ, requests, calls, the catalogue.

Idempotent: sessions are found by (operator, start, title), FAQ entries by their identifier,
requests by (authority, subject), calls by (authority, time), services by code, interests by
(service, authority). Nothing is duplicated by a second run, and staff edits to the texts are
overwritten only for the demo's own entries.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from bouquet.core.demo import OPERATOR, demo_email, siren_from_stem
from bouquet.core.models import Authority, Operator, User
from bouquet.support.choices import (
    Attendance,
    CallOutcome,
    RegistrationStatus,
    RequestStatus,
    ServiceStatus,
    Theme,
)
from bouquet.support.demo_faq import ENTRIES
from bouquet.support.models import (
    AssistanceRequest,
    FaqEntry,
    OnDemandService,
    PhoneCall,
    Registration,
    RequestEvent,
    RequestMessage,
    ServiceInterest,
    TrainingSession,
)

TOPICS = [
    (
        "Prise en main des actes : de la saisie à l'accusé de réception",
        "Saisir un acte, typer les pièces, "
        "télétransmettre, retrouver l'accusé de réception et l'acte tamponné.",
    ),
    (
        "Flux comptables PES : déposer et suivre ses acquittements",
        "Déposer un PES Aller, lire un acquittement, comprendre un refus de la DGFiP.",
    ),
    (
        "Publier une consultation de marché public",
        "Créer la consultation, joindre le dossier, suivre les questions des entreprises et ouvrir les plis.",
    ),
    (
        "Certificats électroniques : installer, renouveler, dépanner",
        "Installer la clé, se connecter avec son certificat, anticiper le renouvellement.",
    ),
    (
        "Courriers de la préfecture : répondre dans les délais",
        "Demandes de pièces complémentaires, lettres d'observations : lire, répondre, suivre.",
    ),
]
# (service code, name, summary, threshold)
SERVICES = [
    (
        "adresses-email",
        "Adresses e-mail",
        "Des adresses au nom de la commune (mairie@…) pour les élus et les agents, "
        "au lieu de messageries gratuites.",
        30,
    ),
    (
        "kit-rgpd",
        "Kit RGPD",
        "Registre des traitements, modèles de mentions et accompagnement d'un délégué à la "
        "protection des données mutualisé.",
        20,
    ),
    (
        "alerte-citoyenne",
        "Application d'information et d'alerte citoyenne",
        "Prévenir les habitants sur leur téléphone : travaux, coupures d'eau, alertes météo.",
        25,
    ),
    (
        "coffre-fort-mots-de-passe",
        "Coffre-fort de mots de passe",
        "Garder en sécurité et partager entre collègues les mots de passe des sites utilisés par la mairie.",
        15,
    ),
    (
        "convocations-elus",
        "Envoi sécurisé des convocations aux élus",
        "Convoquer le conseil par voie électronique avec preuve de l'envoi et de la lecture.",
        20,
    ),
    (
        "arretes-deci",
        "Génération des arrêtés DECI",
        "Produire l'arrêté de défense extérieure contre l'incendie "
        "à partir de l'inventaire des points d'eau.",
        5,
    ),
    (
        "site-internet",
        "Site internet",
        "Un site simple pour la commune, hébergé et mis à jour par vos soins, avec la publication des actes.",
        25,
    ),
]
# service code → demo authorities (SIREN stems of core.demo) that asked for it
INTERESTS = {
    "arretes-deci": ["21210054", "21210462", "21210317", "21210690", "25210011"],
    "adresses-email": ["21210690", "21210317", "25210011"],
    "kit-rgpd": ["21210054", "20000702"],
    "coffre-fort-mots-de-passe": ["21210462"],
    "site-internet": ["21210690"],
}
# (authority stem, author, theme, subject, status, [(from staff?, body)])
REQUESTS = [
    (
        "21210690",
        "secretaire.vitteaux",
        Theme.CERTIFICATS,
        "Certificat non proposé par le navigateur",
        RequestStatus.RESOLVED,
        [
            (
                False,
                "Depuis la mise à jour de l'ordinateur, le navigateur ne me propose plus mon certificat "
                "pour me connecter. La clé est bien branchée.",
            ),
            (
                True,
                "Bonjour, le logiciel de la clé a été désinstallé par la mise à jour. Réinstallez-le depuis "
                "le site du fournisseur puis redémarrez : le certificat réapparaîtra.",
            ),
            (False, "C'est réglé, merci beaucoup !"),
        ],
    ),
    (
        "21210054",
        "secretariat.beaune",
        Theme.TELETRANSMISSION,
        "Avenant à la convention : qui signe ?",
        RequestStatus.IN_PROGRESS,
        [
            (
                False,
                "Nous avons reçu le kit pour l'avenant à la convention @ctes. Le maire doit-il signer, ou "
                "le DGS peut-il le faire par délégation ?",
            ),
            (
                True,
                "Bonjour, c'est le signataire de la convention initiale, en général le maire ; un adjoint "
                "ayant délégation peut signer. Nous vérifions le cas de votre délégation "
                "et revenons vers vous.",
            ),
        ],
    ),
    (
        "21210462",
        "mairie.nuits",
        Theme.AIDES,
        "Versement de la dotation socle",
        RequestStatus.NEW,
        [
            (
                False,
                "Notre commune compte un peu plus de 5 000 habitants depuis le dernier recensement. "
                "Sommes-nous encore éligibles à la dotation socle ?",
            ),
        ],
    ),
]
# (authority stem, caller, theme, subject, minutes, outcome, month, day, hour)
CALLS = [
    (
        "21210690",
        "Marie Durand",
        Theme.TELETRANSMISSION,
        "Acte resté « transmis » sans accusé de réception",
        12,
        CallOutcome.RESOLVED,
        1,
        13,
        10,
    ),
    (
        "21210054",
        "Sophie Martin",
        Theme.CERTIFICATS,
        "Renouvellement du certificat du maire",
        8,
        CallOutcome.CALLBACK,
        1,
        16,
        14,
    ),
    (
        "25210011",
        "Marie Durand",
        Theme.MARCHES,
        "Publier un avis de marché pour la cantine",
        25,
        CallOutcome.REDIRECTED,
        1,
        20,
        9,
    ),
    (
        "21210462",
        "Nadia Richard",
        Theme.AIDES,
        "Éligibilité à la dotation socle",
        6,
        CallOutcome.REQUEST,
        1,
        23,
        11,
    ),
]
PARTICIPANTS = ["secretariat.beaune", "agent.beaune", "mairie.nuits", "secretaire.vitteaux", "dgs.ccvti"]


def _authority(stem: str) -> Authority:
    return Authority.objects.get(siren=siren_from_stem(stem))


def _user(local: str) -> User:
    return User.objects.get(email=demo_email(local))


def _session_days(year: int) -> list[dt.date]:
    """The first Tuesday and the third Friday of each month of ``year``."""
    days = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        tuesday = first + dt.timedelta(days=(1 - first.weekday()) % 7)
        friday = first + dt.timedelta(days=(4 - first.weekday()) % 7 + 14)
        days += [tuesday, friday]
    return days


def _sessions(operator: Operator, staff: User, year: int) -> list[TrainingSession]:
    sessions = []
    for n, day in enumerate(_session_days(year)):
        title, description = TOPICS[n % len(TOPICS)]
        start = timezone.make_aware(dt.datetime.combine(day, dt.time(14, 0)))
        session, _ = TrainingSession.objects.update_or_create(
            operator=operator,
            starts_at=start,
            title=title,
            defaults={
                "ends_at": start + dt.timedelta(hours=2),
                "description": description,
                "location": "https://visio.demo.bouquet.test/formation",
                # One small session shows the waiting list.
                "capacity": 3 if n % 6 == 5 else 10,
                "created_by": staff,
            },
        )
        sessions.append(session)
    return sessions


def _registrations(sessions: list[TrainingSession]) -> int:
    """A few demo agents in every fourth session; the small ones are over-booked (waiting list)."""
    now, count = timezone.now(), 0
    for n, session in enumerate(sessions):
        if n % 4 != 1 and session.capacity > 3:
            continue
        for rank, local in enumerate(PARTICIPANTS[: session.capacity + 1]):
            user = _user(local)
            authority = user.memberships.filter(is_active=True).order_by("pk").first().authority
            status = RegistrationStatus.CONFIRMED if rank < session.capacity else RegistrationStatus.WAITING
            attended = session.starts_at < now and status == RegistrationStatus.CONFIRMED
            Registration.objects.get_or_create(
                session=session,
                participant=user,
                status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
                defaults={
                    "authority": authority,
                    "registered_by": user,
                    "status": status,
                    "created_at": session.starts_at - dt.timedelta(days=20 - rank),
                    "attendance": (Attendance.ABSENT if rank == 2 else Attendance.PRESENT)
                    if attended
                    else "",
                },
            )
            count += 1
    return count


def _faq(operator: Operator) -> None:
    for position, (theme, question, answer) in enumerate(ENTRIES, start=1):
        entry = FaqEntry.objects.filter(operator=operator, slug=slugify(question)[:90]).first()
        entry = entry or FaqEntry(operator=operator, slug=slugify(question)[:90])
        entry.theme, entry.question, entry.answer, entry.position = theme, question, answer, position * 10
        entry.save()


def _catalogue(operator: Operator) -> None:
    for position, (code, name, summary, threshold) in enumerate(SERVICES, start=1):
        service, _ = OnDemandService.objects.update_or_create(
            operator=operator,
            code=code,
            defaults={"name": name, "summary": summary, "threshold": threshold, "position": position},
        )
        for stem in INTERESTS.get(code, []):
            authority = _authority(stem)
            admin = authority.memberships.filter(is_active=True).order_by("role", "pk").first()
            ServiceInterest.objects.get_or_create(
                service=service,
                authority=authority,
                withdrawn_at__isnull=True,
                defaults={"registered_by": admin.user},
            )


def _requests(staff: User) -> None:
    for stem, local, theme, subject, status, thread in REQUESTS:
        authority, author = _authority(stem), _user(local)
        start = timezone.now().replace(microsecond=0) - dt.timedelta(days=10)
        request, created = AssistanceRequest.objects.get_or_create(
            authority=authority,
            subject=subject,
            defaults={"author": author, "theme": theme, "status": status, "created_at": start},
        )
        if not created:
            continue
        for n, (from_staff, body) in enumerate(thread):
            RequestMessage.objects.create(
                request=request,
                author=staff if from_staff else author,
                from_staff=from_staff,
                body=body,
                created_at=start + dt.timedelta(hours=4 * n),
            )
        request.last_activity_at = start + dt.timedelta(hours=4 * (len(thread) - 1))
        request.save(update_fields=["last_activity_at"])
        RequestEvent.objects.create(
            request=request, status=RequestStatus.NEW, actor_label=author.full_name, at=start
        )
        if status != RequestStatus.NEW:
            RequestEvent.objects.create(
                request=request, status=status, actor_label=staff.full_name, at=request.last_activity_at
            )


def _calls(staff: User, year: int) -> None:
    now = timezone.now()
    for stem, caller, theme, subject, minutes, outcome, month, day, hour in CALLS:
        called_at = timezone.make_aware(dt.datetime(year, month, day, hour, 0))
        if called_at > now:
            continue
        PhoneCall.objects.get_or_create(
            authority=_authority(stem),
            called_at=called_at,
            defaults={
                "caller": caller,
                "theme": theme,
                "subject": subject,
                "duration_minutes": minutes,
                "outcome": outcome,
                "recorded_by": staff,
            },
        )


@transaction.atomic
def load() -> list[str]:
    """Create or refresh the support demo data (after core's); return the lines to print."""
    operator = Operator.objects.get(name=OPERATOR["name"])
    staff = _user("support.operateur")
    year = timezone.localdate().year
    sessions = _sessions(operator, staff, year)
    registrations = _registrations(sessions)
    _faq(operator)
    _catalogue(operator)
    _requests(staff)
    _calls(staff, year)
    open_services = OnDemandService.objects.filter(operator=operator, status=ServiceStatus.OPEN).count()
    return [
        f"Accompagnement : {len(sessions)} sessions de formation en {year} ({registrations} inscriptions), "
        f"{len(ENTRIES)} questions fréquentes, "
        f"{len(SERVICES)} services à la demande ({open_services} ouverts), "
        f"{len(REQUESTS)} demandes d'assistance."
    ]
