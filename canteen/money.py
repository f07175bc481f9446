"""Money is an ``int`` of fen (1 yuan = 100 fen) from the edge to the database.

This module is the one place that turns fen into text and text into fen, and that takes a
percentage of an amount. Nothing else formats or rounds money.

>>> parse_yuan("12.5")
1250
>>> format_yuan(1250)
'12.50'
>>> percent_of(1299, 25)
324
"""

import re

Fen = int
"""An amount of money in fen; signed where it is a ledger movement."""

_YUAN = re.compile(r"^(-)?([0-9]{1,12})(?:\.([0-9]{1,2}))?$")


def parse_yuan(text: str) -> Fen:
    """Parse a yuan amount as people write it ("12", "12.5", "12.50") into fen, exactly.

    Raises ``ValueError`` for anything else (three decimals, exponents, thousands separators):
    a typo must never become a different amount.
    """
    match = _YUAN.match(text.strip())
    if match is None:
        raise ValueError(f"not a yuan amount: {text!r}")
    sign, whole, frac = match.groups()
    fen = int(whole) * 100 + int((frac or "0").ljust(2, "0"))
    return -fen if sign else fen


def format_yuan(fen: Fen, *, grouped: bool = False) -> str:
    """Format fen as yuan with two decimals ("-3.05"), the way receipts and claims show it;
    ``grouped`` puts thousands separators in ("1,234,567.89") for the report pages."""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{part:02d}" if grouped else f"{sign}{whole}.{part:02d}"


def percent_of(fen: Fen, percent: int) -> Fen:
    """``percent`` % of ``fen``, rounded down to the fen (a subsidy never rounds up)."""
    if fen < 0 or not 0 <= percent <= 100:
        raise ValueError("percent_of takes a non-negative amount and a percent from 0 to 100")
    return fen * percent // 100
