"""Contracts awarded on the platform (with their essential data and modifications), and the
consultations imported from a previous platform."""

from bouquet.marches.contracts.models.contract import Contract, ContractModification
from bouquet.marches.contracts.models.history import ImportedConsultation

__all__ = ["Contract", "ContractModification", "ImportedConsultation"]
