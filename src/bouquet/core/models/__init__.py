"""Core models: the operator, its member authorities, modules, users and rights, the audit journal."""

from bouquet.core.models.audit import JournalEntry, JournalHead
from bouquet.core.models.authority import Authority, Operator, Siret
from bouquet.core.models.modules import Module, Subscription
from bouquet.core.models.scheduling import PeriodicRun
from bouquet.core.models.users import Membership, ModuleRight, OperatorStaff, User

__all__ = [
    "Authority",
    "JournalEntry",
    "JournalHead",
    "Membership",
    "Module",
    "ModuleRight",
    "Operator",
    "OperatorStaff",
    "PeriodicRun",
    "Siret",
    "Subscription",
    "User",
]
