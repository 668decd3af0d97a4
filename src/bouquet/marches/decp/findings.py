"""What a validation found, in words a buyer can act on."""

from dataclasses import dataclass

__all__ = ["Finding", "SOURCE_LABELS"]

SOURCE_LABELS = {
    "json": "schéma JSON officiel 2.0.3",
    "xml": "schéma XML officiel 2.0.2",
    "rules": "règles de cohérence",
    "read": "lecture du fichier",
}


@dataclass(frozen=True)
class Finding:
    """One problem in a DECP record or file.

    :ivar source: ``json`` (schema 2.0.3), ``xml`` (schema 2.0.2) or ``rules`` (our coherence checks).
    :ivar where: the place, in words (``marché n° 1 (2026C0001) › titulaires n° 1 › id``).
    :ivar message: the explanation in French.
    :ivar detail: the validator's own message, for the technically minded (may be English).
    :ivar blocking: False for advice that does not prevent publication.
    """

    source: str
    where: str
    message: str
    detail: str = ""
    blocking: bool = True

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source, self.source)

    def __str__(self) -> str:
        return f"{self.where} : {self.message}" if self.where else self.message
