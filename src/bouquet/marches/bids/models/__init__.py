"""Models of the electronic deposit of bids: sealing keys, deposits and their sealed files,
evidence and health history, backup copies, secure messages, awards."""

from bouquet.marches.bids.models.awards import Award, AwardNotice
from bouquet.marches.bids.models.backups import BackupCopy
from bouquet.marches.bids.models.deposits import Deposit, DepositFile, Envelope, Piece
from bouquet.marches.bids.models.evidence import EvidenceEvent, HealthSample
from bouquet.marches.bids.models.keys import SealingKey
from bouquet.marches.bids.models.messaging import Message

__all__ = [
    "Award",
    "AwardNotice",
    "BackupCopy",
    "Deposit",
    "DepositFile",
    "Envelope",
    "EvidenceEvent",
    "HealthSample",
    "Message",
    "Piece",
    "SealingKey",
]
