"""Use cases of the support context, one module each; every one is a single transaction that
writes its history row and its journal entry (``core.audit.record``)."""
