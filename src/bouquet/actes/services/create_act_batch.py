"""Create several acts from a sheet of their metadata and the uploaded files (the batch page).

Each act is created on its own by ``create_act``: a bad row is reported and the others go on.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bouquet.actes.errors import ActesServiceError
from bouquet.actes.models import Classification, Transaction
from bouquet.actes.services import common
from bouquet.actes.services.common import Document
from bouquet.actes.services.create_act import create_act
from bouquet.actes.services.typology_defaults import typology_defaults
from bouquet.core.audit import Actor

__all__ = ["BatchOutcome", "BatchRow", "create_act_batch"]


@dataclass
class BatchRow:
    """One line of the sheet: the values for ``create_act`` (plus file names), or why it is unreadable."""

    line: int
    number: str = ""
    values: dict = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class BatchOutcome:
    """What became of one line: the act created, or the reason it was not."""

    line: int
    number: str
    act: Transaction | None = None
    error: str = ""

    @property
    def created(self) -> bool:
        return self.act is not None


def _document(name: str, files: Mapping[str, bytes], typology: str) -> Document:
    if name not in files:
        raise ActesServiceError(f"Le fichier « {name} » ne fait pas partie des documents joints.")
    return Document(name, files[name], typology or None)


def _create(row: BatchRow, authority, actor: Actor, files, defaults) -> Transaction:
    values = dict(row.values)
    if not values.get("document"):
        raise ActesServiceError("La colonne « document » est vide.")
    nature_defaults = defaults.get(values["nature"], {})
    main = _document(values.pop("document"), files, values.pop("typology") or nature_defaults.get("main", ""))
    names, typologies = values.pop("annexes"), values.pop("annex_typologies")
    annexes = [
        _document(name, files, typologies[n] if n < len(typologies) else nature_defaults.get("annex", ""))
        for n, name in enumerate(names)
    ]
    return create_act(authority=authority, actor=actor, document=main, annexes=annexes, **values)


def create_act_batch(
    *, authority, actor: Actor, rows: Sequence[BatchRow], files: Mapping[str, bytes]
) -> list[BatchOutcome]:
    """One outcome per row, in order; rows without a typology take the authority's usual ones.

    :raises RightsError: the actor may not prepare acts for ``authority`` (nothing is created).
    """
    common.require_prepare(actor, authority)
    current = Classification.current_for(authority)
    defaults = typology_defaults(authority, current.parsed if current else None)
    outcomes = []
    for row in rows:
        if row.error:
            outcomes.append(BatchOutcome(row.line, row.number, error=row.error))
            continue
        try:
            act = _create(row, authority, actor, files, defaults)
        except ActesServiceError as exc:
            outcomes.append(BatchOutcome(row.line, row.number, error=exc.message.replace("\n", " ")))
        else:
            outcomes.append(BatchOutcome(row.line, row.number, act=act))
    return outcomes
