"""Back-office models, one module per area (memberships and fees, conventions, documents, aids).

Other areas (history import, statistics) add their own modules here and their names below.
"""

from bouquet.backoffice.models.aids import AidPayment, AidRule
from bouquet.backoffice.models.conventions import Convention, ConventionEvent, ConventionFile
from bouquet.backoffice.models.documents import DocumentTemplate, OperatorSettings
from bouquet.backoffice.models.fees import FeeCall, FeeRule
from bouquet.backoffice.models.memberships import MembershipStatusChange

__all__ = [
    "AidPayment",
    "AidRule",
    "Convention",
    "ConventionEvent",
    "ConventionFile",
    "DocumentTemplate",
    "FeeCall",
    "FeeRule",
    "MembershipStatusChange",
    "OperatorSettings",
]
