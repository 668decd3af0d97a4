"""The typologies an authority used last, per nature: the defaults of the new-act form and of batches.

They are read back from the authority's own latest acts rather than stored apart: every agent of
the authority shares them, they survive logging out, and they cannot disagree with what was sent.
"""

from bouquet.actes.choices import FileRole
from bouquet.actes.models import Transaction, TransactionFile

__all__ = ["RECENT_ACTS", "typology_defaults"]

#: The ministry's "Autre document": a better first guess for an annex than the act's own type.
OTHER_DOCUMENT = "99_AU"
#: How many of the latest acts are looked at (an index range scan on authority, -created_at).
RECENT_ACTS = 50


def typology_defaults(authority, classification=None) -> dict[int, dict[str, str]]:
    """``{nature: {"main": code, "annex": code}}`` from the latest acts, else from the classification.

    :param classification: the authority's parsed ``RetourClassification``; fills the natures never used.
    """
    recent = Transaction.objects.for_tenant(authority).acts().newest_first().values("pk")[:RECENT_ACTS]
    rows = (
        TransactionFile.objects.filter(transaction__in=recent, role__in=[FileRole.MAIN, FileRole.ANNEX])
        .exclude(typology="")
        .order_by("-transaction__created_at", "-transaction_id", "position")
        .values_list("transaction__nature", "role", "typology")
    )
    defaults: dict[int, dict[str, str]] = {}
    for nature, role, typology in rows:
        defaults.setdefault(nature, {}).setdefault(role, typology)
    if classification is not None:
        for nature in classification.natures:
            allowed = [t.code for t in nature.types_pj]
            if not allowed:
                continue
            chosen = defaults.setdefault(nature.code, {})
            if chosen.get(FileRole.MAIN) not in allowed:
                chosen[FileRole.MAIN] = allowed[0]
            if chosen.get(FileRole.ANNEX) not in allowed:
                chosen[FileRole.ANNEX] = OTHER_DOCUMENT if OTHER_DOCUMENT in allowed else allowed[0]
    return defaults
