"""Services on demand: members say they want one; staff open it once enough have asked.

Opening is a conditional UPDATE (proposed → open), so that two clicks open it once; the members
to tell are those whose interest has no ``notified_at`` yet, stamped in the same transaction:
each authority is told once, whatever happens to the service afterwards.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from bouquet.core.audit import record
from bouquet.core.choices import OperatorRole
from bouquet.support.choices import ServiceStatus
from bouquet.support.errors import RuleError
from bouquet.support.models import OnDemandService, ServiceInterest
from bouquet.support.notifications import after_commit, authority_contacts, staff_addresses
from bouquet.support.services.common import actor, require_staff, require_writer

__all__ = ["interest_count", "open_service", "register_interest", "update_service", "withdraw_interest"]

ADMIN_ONLY = (OperatorRole.ADMIN,)


def interest_count(service: OnDemandService) -> int:
    return service.interests.filter(withdrawn_at__isnull=True).count()


def _check_member(service: OnDemandService, authority, user) -> None:
    require_writer(user, authority)
    if authority.operator_id != service.operator_id:
        raise RuleError("Ce service n'est pas proposé à votre collectivité.")


def register_interest(*, service: OnDemandService, authority, user) -> ServiceInterest:
    """:raises RuleError: the service is already open, or the authority already asked."""
    _check_member(service, authority, user)
    try:
        with transaction.atomic():
            service = OnDemandService.objects.select_for_update().get(pk=service.pk)
            if service.is_open:
                raise RuleError("Ce service est déjà ouvert : contactez l'opérateur pour en bénéficier.")
            if service.interests.filter(authority=authority, withdrawn_at__isnull=True).exists():
                raise RuleError("Votre collectivité a déjà fait savoir son intérêt pour ce service.")
            interest = ServiceInterest.objects.create(
                service=service, authority=authority, registered_by=user
            )
            count = interest_count(service)
            record(
                actor=actor(user),
                action="support.service.interest",
                authority=authority,
                obj=interest,
                details={"service": service.code, "count": count, "threshold": service.threshold},
            )
            if count == service.threshold:
                after_commit(
                    "service_threshold",
                    lambda: staff_addresses(service.operator),
                    {"service": service, "count": count},
                )
    except IntegrityError:
        raise RuleError("Votre collectivité a déjà fait savoir son intérêt pour ce service.") from None
    return interest


def withdraw_interest(*, service: OnDemandService, authority, user) -> ServiceInterest:
    """:raises RuleError: no interest to withdraw, or the service is open already."""
    _check_member(service, authority, user)
    with transaction.atomic():
        service = OnDemandService.objects.select_for_update().get(pk=service.pk)
        if service.is_open:
            raise RuleError("Ce service est déjà ouvert : la demande ne peut plus être retirée.")
        interest = (
            service.interests.select_for_update()
            .filter(authority=authority, withdrawn_at__isnull=True)
            .first()
        )
        if interest is None:
            raise RuleError("Votre collectivité n'a pas demandé ce service.")
        interest.withdrawn_at, interest.withdrawn_by = timezone.now(), user
        interest.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(
            actor=actor(user),
            action="support.service.withdraw",
            authority=authority,
            obj=interest,
            details={"service": service.code, "count": interest_count(service)},
        )
    return interest


def open_service(*, service: OnDemandService, user) -> list[ServiceInterest]:
    """Open the service and tell, once, every authority that asked for it.

    :return: the interests notified now.
    :raises RightsError: not an administrator of the operator. :raises RuleError: already open.
    """
    require_staff(user, service.operator, ADMIN_ONLY)
    now = timezone.now()
    with transaction.atomic():
        changed = OnDemandService.objects.filter(pk=service.pk, status=ServiceStatus.PROPOSED).update(
            status=ServiceStatus.OPEN, opened_at=now, opened_by=user
        )
        if not changed:
            raise RuleError("Ce service est déjà ouvert.")
        service.refresh_from_db()
        pending = list(
            service.interests.select_for_update(of=("self",))
            .filter(withdrawn_at__isnull=True, notified_at__isnull=True)
            .select_related("authority", "registered_by")
        )
        ServiceInterest.objects.filter(pk__in=[i.pk for i in pending]).update(notified_at=now)
        who = actor(user)
        record(
            actor=who,
            action="support.service.open",
            obj=service,
            details={"service": service.code, "notified": len(pending), "threshold": service.threshold},
        )
        for interest in pending:
            record(
                actor=who,
                action="support.service.notify",
                authority=interest.authority,
                obj=interest,
                details={"service": service.code},
            )
            after_commit(
                "service_opened",
                lambda i=interest: authority_contacts(i.authority, i.registered_by),
                {"service": service, "interest": interest},
            )
    return pending


def update_service(
    *, service: OnDemandService, user, threshold: int, summary: str, description: str
) -> OnDemandService:
    """Change the threshold and the texts of a service. :raises RuleError: threshold below 1."""
    require_staff(user, service.operator, ADMIN_ONLY)
    if not 1 <= threshold <= 10_000:
        raise RuleError("Le seuil d'ouverture est un nombre de collectivités, au moins 1.")
    if not summary.strip():
        raise RuleError("Décrivez le service en une phrase.")
    with transaction.atomic():
        service = OnDemandService.objects.select_for_update().get(pk=service.pk)
        before = {"threshold": service.threshold, "summary": service.summary}
        service.threshold, service.summary, service.description = (
            threshold,
            summary.strip()[:300],
            description.strip(),
        )
        service.save(update_fields=["threshold", "summary", "description"])
        record(
            actor=actor(user),
            action="support.service.update",
            obj=service,
            details={"before": before, "after": {"threshold": threshold, "summary": service.summary}},
        )
    return service
