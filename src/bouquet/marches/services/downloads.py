"""The DCE register (registre des retraits) and the optional registration for alerts."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from bouquet.marches.companies import company_for
from bouquet.marches.errors import InvalidData
from bouquet.marches.models import Consultation, DceFile, Download, Downloader

__all__ = ["record_download", "register_downloader", "unsubscribe"]


def register_downloader(*, consultation: Consultation, email: str, user=None) -> Downloader:
    """Be told of this consultation's modifications and answers (idempotent; re-subscribes).

    :raises InvalidData: not an e-mail address.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidData(
            "Cette adresse e-mail n'est pas valide.", {"email": ["Adresse non valide."]}
        ) from exc
    company = company_for(user)
    user = user if user is not None and user.is_authenticated else None
    defaults = {"user": user, "company": company}
    try:
        with transaction.atomic():
            registration, created = Downloader.objects.get_or_create(
                consultation=consultation, email=email, defaults=defaults
            )
    except IntegrityError:  # pragma: no cover - concurrent registration of the same address
        registration, created = Downloader.objects.get(consultation=consultation, email=email), False
    if not created and (registration.unsubscribed_at or (company and not registration.company_id)):
        registration.unsubscribed_at = None
        registration.company = registration.company or company
        registration.user = registration.user or user
        registration.save(update_fields=["unsubscribed_at", "company", "user"])
    return registration


def record_download(
    *, consultation: Consultation, dce_file: DceFile | None, ip: str | None, user_agent: str = "", user=None,
    email: str = "",
) -> Download:  # fmt: skip
    """Log one withdrawal (``dce_file`` None: the zip of all). A logged-in company user is also
    registered for alerts, as they expect once identified."""
    user = user if user is not None and user.is_authenticated else None
    company = company_for(user)
    download = Download.objects.create(
        consultation=consultation,
        file=dce_file,
        is_archive=dce_file is None,
        version=consultation.version,
        at=timezone.now(),
        ip=ip,
        user_agent=(user_agent or "")[:300],
        user=user,
        company=company,
        email=(email or (user.email if user else ""))[:254],
    )
    if company is not None and user.email:
        register_downloader(consultation=consultation, email=user.email, user=user)
    return download


def unsubscribe(token: str) -> Downloader | None:
    registration = Downloader.objects.filter(token=token).select_related("consultation").first()
    if registration is not None and registration.unsubscribed_at is None:
        registration.unsubscribed_at = timezone.now()
        registration.save(update_fields=["unsubscribed_at"])
    return registration
