"""The contracts use cases, one module each.

``open_contract`` is re-exported here: the bids app calls
``bouquet.marches.contracts.services.open_contract(...)`` when a winner receives the notification.
"""

from bouquet.marches.contracts.services.open_contract import open_contract

__all__ = ["open_contract"]
