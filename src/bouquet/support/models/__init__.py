"""Support models: training sessions and registrations, FAQ and assistance, services on demand."""

from bouquet.support.models.assistance import (
    AssistanceRequest,
    FaqEntry,
    PhoneCall,
    RequestEvent,
    RequestMessage,
)
from bouquet.support.models.catalogue import OnDemandService, ServiceInterest
from bouquet.support.models.trainings import Registration, RegistrationEvent, TrainingSession

__all__ = [
    "AssistanceRequest",
    "FaqEntry",
    "OnDemandService",
    "PhoneCall",
    "Registration",
    "RegistrationEvent",
    "RequestEvent",
    "RequestMessage",
    "ServiceInterest",
    "TrainingSession",
]
