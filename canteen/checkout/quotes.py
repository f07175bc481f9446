"""A quote (who eats, what it costs them and the funders, what to warn about) and the
receipt a sale turns it into: what the counter is shown.

A sale's receipt is also the answer stored for its Idempotency-Key, so a till that asks again
is shown the first receipt, byte for byte, and nothing is sold twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from canteen.accounts.models import Account
from canteen.canteens.models import Canteen, Offering
from canteen.cards.models import Card
from canteen.checkout.models import Meal, SubsidyLine
from canteen.checkout.schemas import DinerAtCounter, QuoteOut, SaleOut, SubsidyOut, WarningOut
from canteen.diners import service as diners
from canteen.diners.models import Diner
from canteen.policies import engine
from canteen.policies.models import Policy

Taken = dict[tuple[str, str], set[int]]
"""The limit slots already taken, by (rule, period)."""


@dataclass(frozen=True)
class CounterWarning:
    """What the cashier must see before taking the money, with its kind: ``diet`` (a diet flag
    or allergy), ``account`` (the balance runs low), ``limit`` (a subsidy's limit is used up,
    so the meal is priced without it), ``sale`` (this diner was sold a meal moments ago)."""

    kind: Literal["diet", "account", "limit", "sale"]
    code: str
    rule: str | None = None
    seconds: int | None = None


@dataclass
class Quote:
    diner: Diner
    card: Card | None
    canteen: Canteen
    offering: Offering | None
    meal_type: str
    local_date: date
    policy: Policy | None
    pricing: engine.Pricing
    account: Account
    taken: Taken = field(default_factory=dict)
    warnings: list[CounterWarning] = field(default_factory=list)
    recent_sale_seconds: int | None = None
    eat_in_order_id: int | None = None
    """The diner's placed eat-in order at this canteen for this day and meal: a sale by card
    hands it over."""
    """How long ago the diner's last live meal was sold, when within the warning window."""

    @property
    def balance_fen(self) -> int:
        return self.account.balance_fen

    @property
    def balance_after_fen(self) -> int:
        return self.balance_fen - self.pricing.pay_fen


def subsidies(lines: Iterable[engine.Line | SubsidyLine]) -> list[SubsidyOut]:
    return [
        SubsidyOut(rule=line.rule, label=line.label, funder=line.funder, amount_fen=line.amount_fen)
        for line in lines
    ]


def quote_out(q: Quote) -> QuoteOut:
    """The quote as the counter shows it."""
    return QuoteOut(**_shown(q))


def _shown(q: Quote) -> dict[str, Any]:
    d = q.diner
    return {
        "diner": DinerAtCounter(
            id=d.id,
            name=d.name,
            age=diners.age(d, q.local_date),
            categories=d.categories,
            dietary=d.dietary,
            status=d.status,
        ),
        "meal_type": q.meal_type,
        "price_fen": q.pricing.price_fen,
        "subsidies": subsidies(q.pricing.lines),
        "subsidy_fen": q.pricing.subsidy_fen,
        "pay_fen": q.pricing.pay_fen,
        "balance_fen": q.balance_fen,
        "balance_after_fen": q.balance_after_fen,
        "warnings": list(dict.fromkeys(w.code for w in q.warnings)),
        "warning_details": [WarningOut(**vars(w)) for w in q.warnings],
        "operator_subsidies": subsidies(q.pricing.operator_lines),
        "policy_id": q.policy.id if q.policy else None,
        "offering_id": q.offering.id if q.offering else None,
        "card_serial": q.card.serial if q.card else None,
        "recent_sale_seconds": q.recent_sale_seconds,
    }


def sale_receipt(q: Quote, meal: Meal, balance_after_fen: int, at: datetime) -> SaleOut:
    """The receipt of a sale just recorded: the quote it was priced by, and what it left
    (built at once from the quote's fields, not through a ``QuoteOut`` dumped and checked
    again: every sale makes one)."""
    return SaleOut(
        **_shown(q)
        | {
            "balance_after_fen": balance_after_fen,
            "meal_id": meal.id,
            "canteen_id": q.canteen.id,
            "payment": meal.payment,
            "at": at,
            "local_date": q.local_date,
            "manual_reason": meal.manual_reason,
            "order_id": meal.order_id,
        }
    )
