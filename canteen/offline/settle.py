"""What an offline sale costs whom, once the server has priced it again. Pure: no I/O.

A counter that sold offline told the diner a price from its snapshot; by the time the sale
reaches the server another counter may have used the same limited subsidy, or the balance may
have been spent elsewhere. The rules, in order:

1. The diner pays what the counter told them (never more), out of what the account holds when
   the sale is applied (an account is never pushed below zero); cash was taken at the counter.
2. Public money pays at most what the policy allows now (the server's own pricing) and at
   most the part of the price the diner was not told to pay: the server's lines are cut from
   the last backwards until they fit, as the engine cuts them.
3. The rest of the price is the operator's: one line, ``offline_difference``, funded by the
   operator, which the claim lists as the operator's own (never claimed from a funder) and the
   sustainability report counts as the operator's discount.

>>> from canteen.policies.engine import Line, Pricing
>>> city = Pricing(1500, (Line("age80", "80+", "district", 500),))
>>> [(l.rule, l.amount_fen) for l in as_told(city, 1000, None).lines]
[('age80', 500)]
>>> [(l.rule, l.amount_fen) for l in as_told(Pricing(1500, ()), 1000, None).lines]
[('offline_difference', 500)]
>>> [(l.rule, l.amount_fen) for l in as_told(city, 1000, 300).lines]
[('age80', 500), ('offline_difference', 700)]
"""

from dataclasses import replace

from canteen.money import Fen
from canteen.policies.engine import Line, Pricing

RULE = "offline_difference"
LABEL = "离线售出差额（运营方承担）"
FUNDER = "operator"


def _cut(lines: tuple[Line, ...], allowed: Fen) -> list[Line]:
    """Shrink lines from the last backwards until they sum to at most ``allowed``."""
    excess = sum(line.amount_fen for line in lines) - allowed
    kept = list(lines)
    for i in range(len(kept) - 1, -1, -1):
        if excess <= 0:
            break
        cut = min(excess, kept[i].amount_fen)
        excess -= cut
        kept[i] = replace(kept[i], amount_fen=kept[i].amount_fen - cut)
    return [line for line in kept if line.amount_fen > 0]


def as_told(pricing: Pricing, told_pay_fen: Fen, balance_fen: Fen | None) -> Pricing:
    """The server's ``pricing`` made to charge the diner what the counter told them.

    ``balance_fen`` is the account's balance for an account sale, None for cash.
    """
    price = pricing.price_fen
    told = max(0, min(told_pay_fen, price))
    paid = told if balance_fen is None else min(told, max(0, balance_fen))
    public = _cut(pricing.lines, price - told)
    borne = price - paid - sum(line.amount_fen for line in public)
    own = [Line(RULE, LABEL, FUNDER, borne)] if borne > 0 else []
    return replace(pricing, lines=(*public, *own))


def borne_fen(lines: list[tuple[str, int]]) -> Fen:
    """What the operator bore of a sale, from its lines as ``(rule, amount_fen)``."""
    return sum(amount for rule, amount in lines if rule == RULE)
