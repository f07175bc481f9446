"""Price a meal under a subsidy policy: who pays how much of it. Pure: no I/O, no clock.

The steps, in the order API.md states them:

1. A rule *matches* when every ``when`` condition holds and the meal type is among its own.
2. A matching rule whose daily or monthly limit is used up is skipped (the next matching
   rule takes its place) and the quote warns ``subsidy_limit_reached``.
3. ``sum`` stacking takes every remaining rule; ``highest`` (就高不重复) takes the single rule
   with the largest amount (the first listed on a tie) plus every ``stack_always`` rule.
4. A fixed amount is itself; a percent of the price is rounded down, then capped by ``max_fen``.
5. The diner's subsidy never exceeds the price less ``min_pay_fen``: lines are cut from the
   last-listed rule backwards until it fits. A line cut to nothing is dropped, and a rule that
   paid nothing has not used its limit.

Rules that pay the operator (``pays: operator``) are priced beside the discount: they match
and use limits the same way, never lower the diner's price, and are listed apart.
"""

from dataclasses import dataclass, field
from datetime import date

from canteen.money import Fen, percent_of
from canteen.policies.schema import MealType, PolicyDocument, Rule

LIMIT_REACHED = "subsidy_limit_reached"


@dataclass(frozen=True)
class Diner:
    """What the policy may ask about the person eating."""

    age: int
    categories: frozenset[str] = frozenset()
    disability_level: int | None = None
    district: str = ""
    street: str = ""
    """Where the household is registered (户籍)."""


@dataclass(frozen=True)
class Meal:
    """What the policy may ask about where and what they eat."""

    canteen_id: int
    canteen_district: str
    canteen_street: str
    meal_type: MealType
    price_fen: Fen
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Usage:
    """How many meals a rule already subsidised for this diner, across all canteens."""

    today: int = 0
    this_month: int = 0


@dataclass(frozen=True)
class Line:
    rule: str
    label: str
    funder: str
    amount_fen: Fen


@dataclass(frozen=True)
class Pricing:
    price_fen: Fen
    lines: tuple[Line, ...]
    """What lowers the diner's price, in the policy's rule order."""
    operator_lines: tuple[Line, ...] = ()
    """What funders pay the canteen on top, per meal served."""
    warnings: tuple[str, ...] = field(default=())
    limits_reached: tuple[str, ...] = field(default=())
    """The rules that matched but whose limit is used up, in the policy's order."""

    @property
    def subsidy_fen(self) -> Fen:
        return sum(line.amount_fen for line in self.lines)

    @property
    def pay_fen(self) -> Fen:
        return self.price_fen - self.subsidy_fen


def matches(rule: Rule, diner: Diner, meal: Meal) -> bool:
    """Every condition the rule states holds for this diner and meal."""
    when = rule.when
    checks = (
        rule.meal_types is None or meal.meal_type in rule.meal_types,
        when.min_age is None or diner.age >= when.min_age,
        when.max_age is None or diner.age <= when.max_age,
        when.categories_any is None or bool(diner.categories & set(when.categories_any)),
        when.categories_all is None or set(when.categories_all) <= diner.categories,
        when.disability_levels is None or diner.disability_level in when.disability_levels,
        when.canteen_ids is None or meal.canteen_id in when.canteen_ids,
        when.offering_tags_any is None or bool(meal.tags & set(when.offering_tags_any)),
        when.registered_in != "district" or _same_district(diner, meal),
        when.registered_in != "street" or _same_street(diner, meal),
        when.min_price_fen is None or meal.price_fen >= when.min_price_fen,
    )
    return all(checks)


def _same_district(diner: Diner, meal: Meal) -> bool:
    return bool(diner.district) and diner.district == meal.canteen_district


def _same_street(diner: Diner, meal: Meal) -> bool:
    """The same street of the same district; an unknown street ("", the default) is nobody's."""
    same = bool(diner.street) and diner.street == meal.canteen_street
    return same and _same_district(diner, meal)


def within_limits(rule: Rule, usage: Usage) -> bool:
    return (rule.daily_limit is None or usage.today < rule.daily_limit) and (
        rule.monthly_limit is None or usage.this_month < rule.monthly_limit
    )


def amount(rule: Rule, price_fen: Fen) -> Fen:
    """A rule's amount on this price, before the cap on the whole subsidy."""
    if rule.amount_fen is not None:
        return rule.amount_fen
    assert rule.percent is not None
    value = percent_of(price_fen, rule.percent)
    return value if rule.max_fen is None else min(value, rule.max_fen)


def _choose(rules: list[Rule], stacking: str, price_fen: Fen) -> list[Rule]:
    if stacking == "sum":
        return rules
    competing = [r for r in rules if not r.stack_always]
    best = max(competing, key=lambda r: amount(r, price_fen), default=None)  # first on a tie
    return [r for r in rules if r.stack_always or r is best]


def _cut(lines: list[Line], allowed: Fen) -> list[Line]:
    """Shrink lines from the last backwards until they sum to at most ``allowed``."""
    excess = sum(line.amount_fen for line in lines) - allowed
    kept = list(lines)
    for i in range(len(kept) - 1, -1, -1):
        if excess <= 0:
            break
        cut = min(excess, kept[i].amount_fen)
        excess -= cut
        kept[i] = Line(kept[i].rule, kept[i].label, kept[i].funder, kept[i].amount_fen - cut)
    return [line for line in kept if line.amount_fen > 0]


def _line(rule: Rule, price_fen: Fen) -> Line:
    return Line(rule.code, rule.label, rule.funder, amount(rule, price_fen))


def price(
    policy: PolicyDocument, diner: Diner, meal: Meal, usage: dict[str, Usage] | None = None
) -> Pricing:
    """The subsidy lines, the price to pay, and the warnings for one meal."""
    usage = usage or {}
    matching = [rule for rule in policy.rules if matches(rule, diner, meal)]
    available = [rule for rule in matching if within_limits(rule, usage.get(rule.code, Usage()))]
    discounts = [rule for rule in available if rule.pays == "diner"]
    reached = tuple(r.code for r in matching if r.pays == "diner" and r not in available)
    warnings = (LIMIT_REACHED,) if reached else ()
    chosen = _choose(discounts, policy.stacking, meal.price_fen)
    allowed = max(0, meal.price_fen - policy.min_pay_fen)
    lines = _cut([_line(rule, meal.price_fen) for rule in chosen], allowed)
    operator = [_line(rule, meal.price_fen) for rule in available if rule.pays == "operator"]
    return Pricing(
        meal.price_fen,
        tuple(lines),
        tuple(line for line in operator if line.amount_fen),
        warnings,
        reached,
    )


def in_force(policies: list[PolicyDocument], on: date) -> PolicyDocument | None:
    """The policy with the latest ``effective_from`` on or before ``on``."""
    started = [p for p in policies if p.effective_from <= on]
    return max(started, key=lambda p: p.effective_from, default=None)
