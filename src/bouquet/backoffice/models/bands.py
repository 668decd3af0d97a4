"""What fee rules and aid rules share: a target (authority kind and population band) and dates."""

from datetime import date

from django.db import models

from bouquet.core.choices import AuthorityKind


class TargetedRule(models.Model):
    """Abstract: a rule for authorities of one kind (blank: any) within ``[min_population, max_population)``.

    An authority whose population is unknown matches only rules without a population band.
    """

    kind = models.CharField(
        "nature",
        max_length=2,
        choices=AuthorityKind.choices,
        blank=True,
        help_text="Vide : toutes les natures.",
    )
    min_population = models.PositiveIntegerField("à partir de (habitants)", default=0)
    max_population = models.PositiveIntegerField(
        "moins de (habitants)", null=True, blank=True, help_text="Vide : pas de plafond."
    )
    valid_from = models.DateField("en vigueur à partir du")
    valid_until = models.DateField("jusqu'au (inclus)", null=True, blank=True, help_text="Vide : sans fin.")

    class Meta:
        abstract = True

    def matches(self, authority) -> bool:
        if self.kind and authority.kind != self.kind:
            return False
        if self.min_population == 0 and self.max_population is None:
            return True
        population = authority.population
        if population is None or population < self.min_population:
            return False
        return self.max_population is None or population < self.max_population

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)

    @property
    def specificity(self) -> tuple[int, float]:
        """Higher is more specific: a kind beats no kind, then a narrower band beats a wider one."""
        width = (
            self.max_population if self.max_population is not None else float("inf")
        ) - self.min_population
        return (1 if self.kind else 0, -width)

    @property
    def target_label(self) -> str:
        """« Commune de moins de 1 000 habitants », « Toutes natures »…"""
        who = AuthorityKind(self.kind).label if self.kind else "Toutes natures"
        low, high = self.min_population, self.max_population
        if high is not None and low:
            return f"{who}, de {_n(low)} à moins de {_n(high)} habitants"
        if high is not None:
            return f"{who}, moins de {_n(high)} habitants"
        if low:
            return f"{who}, {_n(low)} habitants et plus"
        return who

    @property
    def period_label(self) -> str:
        start = self.valid_from.strftime("%d/%m/%Y")
        return f"du {start} au {self.valid_until:%d/%m/%Y}" if self.valid_until else f"depuis le {start}"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def band_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(max_population__isnull=True)
            | models.Q(max_population__gt=models.F("min_population")),
            name=f"{prefix}_band_ordered",
            violation_error_message="Le plafond de population doit être supérieur au plancher.",
        ),
        models.CheckConstraint(
            condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
            name=f"{prefix}_dates_ordered",
            violation_error_message="La date de fin doit suivre la date de début.",
        ),
    ]
