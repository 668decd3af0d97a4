"""ACTES models: transactions and their history, files, envelopes, classifications, inbound mails."""

from bouquet.actes.models.classification import Classification
from bouquet.actes.models.envelope import Envelope, EnvelopeSerial, TransmissionWindow
from bouquet.actes.models.files import StoredFile, TransactionFile
from bouquet.actes.models.inbound import InboundMessage
from bouquet.actes.models.notifications import NotificationEvent, NotificationPreference
from bouquet.actes.models.transaction import Transaction, TransactionHistory

__all__ = [
    "Classification",
    "Envelope",
    "EnvelopeSerial",
    "InboundMessage",
    "NotificationEvent",
    "NotificationPreference",
    "StoredFile",
    "Transaction",
    "TransactionFile",
    "TransactionHistory",
    "TransmissionWindow",
]
