"""The support URLs for tests/test_tenant_isolation.py: objects of authority B, and the others."""

from bouquet.support.choices import CallOutcome, RegistrationStatus, Theme
from bouquet.support.models import (
    AssistanceRequest,
    FaqEntry,
    OnDemandService,
    PhoneCall,
    Registration,
    RequestMessage,
    ServiceInterest,
)

from .helpers import make_session

# URL name → kwargs of an object of authority B (404 to a user of A; 403 under /operateur/).
OBJECT_URLS = {
    "support:registration_cancel": lambda t: {"pk": t.support_registration_b.pk},
    "support:registration_ics": lambda t: {"pk": t.support_registration_b.pk},
    "support:request_detail": lambda t: {"pk": t.support_request_b.pk},
    "support:request_reply": lambda t: {"pk": t.support_request_b.pk},
    "support:operator_registration_cancel": lambda t: {"pk": t.support_registration_b.pk},
    "support:operator_request_detail": lambda t: {"pk": t.support_request_b.pk},
    "support:operator_request_reply": lambda t: {"pk": t.support_request_b.pk},
    "support:operator_request_status": lambda t: {"pk": t.support_request_b.pk},
}
# The operator's sessions, FAQ entries and services are shared by all its members: no tenant.
NON_TENANT_URLS = {
    "support:training_detail": lambda t: {"pk": t.support_session.pk},
    "support:training_register": lambda t: {"pk": t.support_session.pk},
    "support:service_interest": lambda t: {"code": t.support_service.code},
    "support:service_withdraw": lambda t: {"code": t.support_service.code},
    "support:operator_training_detail": lambda t: {"pk": t.support_session.pk},
    "support:operator_training_edit": lambda t: {"pk": t.support_session.pk},
    "support:operator_training_attendance": lambda t: {"pk": t.support_session.pk},
    "support:operator_training_cancel": lambda t: {"pk": t.support_session.pk},
    "support:operator_faq_edit": lambda t: {"pk": t.support_faq.pk},
    "support:operator_service_detail": lambda t: {"code": t.support_service.code},
    "support:operator_service_open": lambda t: {"code": t.support_service.code},
    "support:operator_service_edit": lambda t: {"code": t.support_service.code},
}


def objects_for_b(cls) -> None:
    """A session with Charlie's seat, a request and a call of B, a FAQ entry, a service B asked for."""
    cls.support_session = make_session(cls.operator, title="Session partagée")
    cls.support_registration_b = Registration.objects.create(
        session=cls.support_session,
        authority=cls.authority_b,
        participant=cls.charlie,
        registered_by=cls.charlie,
        status=RegistrationStatus.CONFIRMED,
    )
    cls.support_request_b = AssistanceRequest.objects.create(
        authority=cls.authority_b, author=cls.charlie, theme=Theme.AIDES, subject="Demande de B"
    )
    RequestMessage.objects.create(request=cls.support_request_b, author=cls.charlie, body="Message de B")
    PhoneCall.objects.create(
        authority=cls.authority_b,
        caller="Charlie",
        theme=Theme.AIDES,
        subject="Appel de B",
        duration_minutes=5,
        outcome=CallOutcome.RESOLVED,
        recorded_by=cls.sam,
    )
    cls.support_faq = FaqEntry.objects.create(
        operator=cls.operator, theme=Theme.AIDES, slug="aide", question="Une aide ?", answer="Oui."
    )
    cls.support_service = OnDemandService.objects.create(
        operator=cls.operator, code="kit-rgpd", name="Kit RGPD", summary="Le registre.", threshold=2
    )
    ServiceInterest.objects.create(
        service=cls.support_service, authority=cls.authority_b, registered_by=cls.charlie
    )
