"""The yearly fee of a member: its subscriptions, its membership and the fee grid in force.

Rules (documented in docs/backoffice.md):

* a member owes a module's fee for year N when it was "adhérent" on at least one day of N and
  subscribed to the module on at least one day of N (no proration, no one-off membership fee);
* the grid of year N is the one in force on 1 January N;
* among the rows that match the authority, a row for its kind beats a row for every kind, a
  narrower population band beats a wider one, then the latest ``valid_from`` wins (so next year's
  price is one new row for the same target).

Other contexts call :func:`yearly_fee`.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from bouquet.backoffice.memberships import member_during
from bouquet.backoffice.models import FeeCall, FeeRule, MembershipStatusChange
from bouquet.core.models import Authority, Subscription

__all__ = ["FeeLine", "MemberFee", "compute_fee_calls", "grid_in_force", "pick_rule", "yearly_fee"]

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class FeeLine:
    """The fee of one subscribed module."""

    module_code: str
    module_name: str
    #: The grid row's target (« Commune, moins de 1 000 habitants »), empty when no row matched.
    label: str
    amount: Decimal
    rule_id: int | None


@dataclass
class MemberFee:
    """One member's fee call for a year: computed lines, and the call as issued if it was."""

    authority: Authority
    lines: list[FeeLine] = field(default_factory=list)
    issued: FeeCall | None = None

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def changed_since_issue(self) -> bool:
        return self.issued is not None and self.issued.amount != self.total


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def grid_in_force(operator_id: int, on: date) -> list[FeeRule]:
    """Every grid row of the operator in force on ``on`` (one query)."""
    rows = FeeRule.objects.filter(operator_id=operator_id, valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )
    return list(rows.select_related("module"))


def pick_rule(rules: Iterable[FeeRule], authority, module_code: str) -> FeeRule | None:
    """The row that prices ``module_code`` for ``authority`` among ``rules`` (already in force)."""
    matching = [r for r in rules if r.module.code == module_code and r.matches(authority)]
    if not matching:
        return None
    return max(matching, key=lambda r: (r.specificity, r.valid_from, r.pk))


def _line(rules: list[FeeRule], authority, code: str, name: str) -> FeeLine:
    rule = pick_rule(rules, authority, code)
    if rule is None:
        return FeeLine(code, name, "", ZERO, None)
    return FeeLine(code, name, rule.label or rule.target_label, rule.amount, rule.pk)


def _subscribed_in(year: int) -> Q:
    start, end = year_bounds(year)
    return Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))


def yearly_fee(authority, module_code: str, year: int) -> Decimal:
    """What ``authority`` owes for ``module_code`` in ``year`` (0.00 when nothing is due)."""
    start, end = year_bounds(year)
    changes = list(MembershipStatusChange.objects.filter(authority=authority, effective_date__lte=end))
    if not member_during(changes, start, end):
        return ZERO
    subscribed = Subscription.objects.filter(authority=authority, module__code=module_code).filter(
        _subscribed_in(year)
    )
    if not subscribed.exists():
        return ZERO
    rule = pick_rule(grid_in_force(authority.operator_id, start), authority, module_code)
    return rule.amount if rule else ZERO


def compute_fee_calls(operator, year: int, authorities=None) -> list[MemberFee]:
    """The fee call of every member of ``operator`` who owes something or was called for ``year``.

    Five queries whatever the number of members. ``authorities`` narrows the list (a queryset).
    """
    start, end = year_bounds(year)
    scope = (authorities if authorities is not None else Authority.objects.all()).filter(operator=operator)
    members = {a.pk: a for a in scope.order_by("name")}
    within = scope.values("pk")
    changes = defaultdict(list)
    # Plain rows rather than model instances: this runs over every member at once.
    history = MembershipStatusChange.objects.filter(authority__in=within, effective_date__lte=end)
    for row in history.order_by().values_list("authority_id", "status", "effective_date", "id", named=True):
        changes[row.authority_id].append(row)
    modules = defaultdict(dict)
    subscriptions = Subscription.objects.filter(authority__in=within).filter(_subscribed_in(year))
    for authority_id, code, name in subscriptions.order_by().values_list(
        "authority_id", "module__code", "module__name"
    ):
        modules[authority_id][code] = (code, name)
    calls = FeeCall.objects.filter(authority__in=within, year=year).order_by()
    issued = {call.authority_id: call for call in calls}
    rules = grid_in_force(operator.pk, start)
    result = []
    for pk, authority in members.items():
        fee = MemberFee(authority, issued=issued.get(pk))
        if member_during(changes[pk], start, end):
            fee.lines = [_line(rules, authority, *modules[pk][code]) for code in sorted(modules[pk])]
        if fee.total > 0 or fee.issued is not None:
            result.append(fee)
    return result
