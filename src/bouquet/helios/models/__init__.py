"""HELIOS models: PES transactions and their history, files stored once, acquittements, PES_Retour,
files received from the DGFiP, each authority's Hélios parameters, transmission slots."""

from bouquet.helios.models.acquit import Acquit, AcquitElement
from bouquet.helios.models.files import StoredFile
from bouquet.helios.models.incoming import IncomingFile, Retour
from bouquet.helios.models.parameters import HeliosParameters, SendCounter, TransmissionSlot
from bouquet.helios.models.transaction import Transaction, TransactionHistory

__all__ = [
    "Acquit",
    "AcquitElement",
    "HeliosParameters",
    "IncomingFile",
    "Retour",
    "SendCounter",
    "StoredFile",
    "Transaction",
    "TransactionHistory",
    "TransmissionSlot",
]
