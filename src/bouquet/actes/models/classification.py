from django.db import models
from django.utils import timezone

from bouquet.actes.protocol import parse_message
from bouquet.actes.protocol.messages import RetourClassification
from bouquet.core.querysets import TenantQuerySet

#: Parsed classifications by SHA-256 of their bytes: a version is parsed once per process whatever
#: the row, and its bytes (tens of KB) are read from the database only then.
_PARSED: dict[str, RetourClassification] = {}
_PARSED_MAX = 64


def _parse(raw: bytes) -> RetourClassification:
    message = parse_message(raw).message
    if not isinstance(message, RetourClassification):
        raise ValueError("Ce n'est pas une RetourClassification.")
    return message


class ClassificationQuerySet(TenantQuerySet):
    def current_for(self, authority) -> "Classification | None":
        # The last one received, as S²LOW serves it (actes_classification_fetch.php). Its bytes are
        # loaded when used: creating or checking an act needs only the parsed, cached, version.
        return self.filter(authority=authority).defer("raw").order_by("-received_at", "-id").first()


class Classification(models.Model):
    """A RetourClassification (7-2) received for an authority, kept byte-identical.

    Clients fetch the raw XML and compare it byte for byte with their copy (Pastell
    ``verifClassif``): never re-serialise it.
    """

    authority = models.ForeignKey(
        "core.Authority", on_delete=models.CASCADE, related_name="actes_classifications"
    )
    version = models.DateField("date de classification")
    raw = models.BinaryField("XML reçu")
    sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(default=timezone.now)

    objects = ClassificationQuerySet.as_manager()

    class Meta:
        verbose_name = "classification"
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.authority_id} {self.version}"

    @classmethod
    def current_for(cls, authority) -> "Classification | None":
        """The authority's last received classification."""
        return cls.objects.current_for(authority)

    @property
    def parsed(self) -> RetourClassification:
        """Natures, typologies and matières, via the protocol library (cached per version)."""
        found = _PARSED.get(self.sha256)
        if found is None:
            found = _parse(bytes(self.raw))
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.pop(next(iter(_PARSED)), None)
            _PARSED[self.sha256] = found
        return found

    def typologies(self, nature: int) -> list[tuple[str, str]]:
        """(code, label) of the typologies allowed for ``nature``."""
        found = self.parsed.nature(nature)
        return [(t.code, t.libelle) for t in found.types_pj] if found else []
