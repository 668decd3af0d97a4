"""PDF documents of ACTES: the acknowledgement stamp on an act and the bordereau d'acquittement.

``stamp`` and ``bordereau`` are pure (no Django); ``documents`` reads them from the models. The
names below are imported lazily, so that the pure modules load without Django settings.
"""

import importlib

__all__ = [
    "BordereauData",
    "StampResult",
    "bordereau_pdf",
    "stamp_pdf",
    "stamped_act",
    "stamped_file",
    "transaction_bordereau",
]

_HOMES = {
    "BordereauData": "bordereau",
    "bordereau_pdf": "bordereau",
    "StampResult": "stamp",
    "stamp_pdf": "stamp",
    "stamped_act": "documents",
    "stamped_file": "documents",
    "transaction_bordereau": "documents",
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
