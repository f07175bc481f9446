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


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UNITS = ("", "拾", "佰", "仟")
_SECTIONS = ("", "万", "亿")
CAPITALS_LIMIT_FEN = 10**14
"""Capitals are written for amounts under a trillion yuan (12 digits, as :func:`parse_yuan`)."""


def _capital_yuan(yuan: int) -> str:
    """Whole yuan in capitals: one 零 for any run of zeros between digits, 万 and 亿 after
    each non-zero group of four digits, 拾 always with its digit (壹拾, never 拾)."""
    digits, out, zero = str(yuan), [], False
    for i, char in enumerate(digits):
        place = len(digits) - 1 - i
        if char == "0":
            zero = True
        else:
            out.append(("零" if zero else "") + _DIGITS[int(char)] + _UNITS[place % 4])
            zero = False
        if place % 4 == 0 and place and int(digits[max(0, i - 3) : i + 1]):
            out.append(_SECTIONS[place // 4])
    return "".join(out)


def capitals(fen: Fen) -> str:
    """The amount in Chinese capitals (人民币大写) as a claim or a voucher states it, following
    the rules for filling in bills (《正确填写票据和结算凭证的基本规定》): 整 after 元 when there
    are no 角 or 分; 零 before the 分 when 角 is zero; 负 before a negative amount.

    >>> capitals(10_000_005)
    '壹拾万元零伍分'
    >>> capitals(100_000_000)
    '壹佰万元整'
    """
    if abs(fen) >= CAPITALS_LIMIT_FEN:
        raise ValueError("capitals are written for amounts under a trillion yuan")
    yuan, cents = divmod(abs(fen), 100)
    jiao, fen_digit = divmod(cents, 10)
    text = f"{_capital_yuan(yuan)}元" if yuan else ""
    if not cents:
        text = (text or "零元") + "整"
    else:
        if jiao:
            text += f"{_DIGITS[jiao]}角"
        elif yuan:
            text += "零"
        if fen_digit:
            text += f"{_DIGITS[fen_digit]}分"
    return ("负" if fen < 0 else "") + text
