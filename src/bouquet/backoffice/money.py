"""Amounts as a French reader expects them in messages: « 1 000,00 € »."""

from decimal import Decimal

__all__ = ["euros"]


def euros(value: Decimal | int | float) -> str:
    text = f"{Decimal(value):,.2f}".replace(",", "\u00a0").replace(".", ",")
    return f"{text}\u00a0€"
