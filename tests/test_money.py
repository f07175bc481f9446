"""Money: fen <-> yuan text, and percentages that never round a subsidy up."""

import doctest
import math
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canteen import money
from canteen.money import format_yuan, parse_yuan, percent_of

# parse_yuan takes at most 12 digits of whole yuan, so this is every amount it can read back.
LIMIT = 10**14 - 1
amounts = st.integers(min_value=-LIMIT, max_value=LIMIT)
non_negative = st.integers(min_value=0, max_value=10**15)
percents = st.integers(min_value=0, max_value=100)
DIGITS = "0123456789"


def test_the_docstring_examples_hold() -> None:
    assert parse_yuan("12.5") == 1250
    assert format_yuan(1250) == "12.50"
    assert percent_of(1299, 25) == 324
    result = doctest.testmod(money)
    assert result.attempted == 5
    assert result.failed == 0


@given(amounts)
def test_formatting_then_parsing_gives_back_the_same_fen(fen: int) -> None:
    assert parse_yuan(format_yuan(fen)) == fen


@given(amounts)
def test_format_always_shows_exactly_two_decimals(fen: int) -> None:
    text = format_yuan(fen)
    assert re.fullmatch(r"-?\d+\.\d\d", text), text
    assert text.startswith("-") == (fen < 0)


@given(amounts)
def test_grouped_is_the_same_amount_with_thousands_separators(fen: int) -> None:
    grouped = format_yuan(fen, grouped=True)
    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d\d", grouped), grouped
    assert grouped.replace(",", "") == format_yuan(fen)


@pytest.mark.parametrize(
    ("fen", "text"),
    [(0, "0.00"), (5, "0.05"), (-5, "-0.05"), (-305, "-3.05"), (100, "1.00"), (123456, "1234.56")],
)
def test_format_examples(fen: int, text: str) -> None:
    assert format_yuan(fen) == text


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("12", 1200),
        ("12.5", 1250),
        ("12.50", 1250),
        ("0.05", 5),
        ("-3.05", -305),
        (" 12.5 ", 1250),
        ("999999999999.99", 99999999999999),
    ],
)
def test_parses_yuan_as_people_write_it(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@given(
    st.booleans(),
    st.integers(min_value=0, max_value=10**12 - 1),
    st.one_of(st.none(), st.text(alphabet=DIGITS, min_size=1, max_size=2)),
)
def test_a_parsed_amount_is_exactly_the_decimal_written(
    negative: bool, whole: int, frac: str | None
) -> None:
    text = ("-" if negative else "") + str(whole) + ("" if frac is None else f".{frac}")
    assert parse_yuan(text) == int(Decimal(text) * 100)


@pytest.mark.parametrize(
    "text",
    [
        "1.234",
        "1e3",
        "1,000",
        "",
        " ",
        "abc",
        "--1",
        "1.",
        ".5",
        "+1",
        "1.2.3",
        "1 000",
        "¥12",
        "12元",
        "1000000000000",  # 13 digits of yuan: beyond any amount this service handles
    ],
)
def test_rejects_anything_that_is_not_plainly_an_amount(text: str) -> None:
    with pytest.raises(ValueError, match="not a yuan amount"):
        parse_yuan(text)


@given(
    st.integers(min_value=0, max_value=10**6),
    st.text(alphabet=DIGITS, min_size=3, max_size=6),
)
def test_more_than_two_decimals_is_never_rounded_into_an_amount(whole: int, frac: str) -> None:
    with pytest.raises(ValueError):
        parse_yuan(f"{whole}.{frac}")


@given(non_negative, percents)
def test_percent_of_rounds_down_to_the_fen(fen: int, percent: int) -> None:
    assert percent_of(fen, percent) == math.floor(Fraction(fen * percent, 100))


@given(non_negative, percents)
def test_percent_of_never_exceeds_the_amount(fen: int, percent: int) -> None:
    assert 0 <= percent_of(fen, percent) <= fen


@given(non_negative, st.integers(min_value=0, max_value=99))
def test_percent_of_is_monotone_in_the_percent(fen: int, percent: int) -> None:
    assert percent_of(fen, percent) <= percent_of(fen, percent + 1)


@given(non_negative)
def test_zero_percent_is_nothing_and_a_hundred_is_everything(fen: int) -> None:
    assert percent_of(fen, 0) == 0
    assert percent_of(fen, 100) == fen


@pytest.mark.parametrize(("fen", "percent"), [(-1, 50), (-1299, 0), (100, -1), (100, 101)])
def test_percent_of_rejects_negative_amounts_and_percents_outside_0_to_100(
    fen: int, percent: int
) -> None:
    with pytest.raises(ValueError):
        percent_of(fen, percent)


# --- Amounts in capitals (人民币大写) ---------------------------------------------------------

CAPITAL_DIGITS = {c: i for i, c in enumerate("零壹贰叁肆伍陆柒捌玖")}
PLACES = {"拾": 10, "佰": 100, "仟": 1000}


def read_capitals(text: str) -> int:
    """The fen that a clerk reads back from capitals: an inverse written apart from the code."""
    sign = -1 if text.startswith("负") else 1
    text = text.removeprefix("负").removesuffix("整")
    yuan_text, _, rest = text.rpartition("元")
    total = section = number = 0
    for char in yuan_text:
        if char in PLACES:
            section, number = section + number * PLACES[char], 0
        elif char == "万":
            total, section, number = total + (section + number) * 10**4, 0, 0
        elif char == "亿":
            total, section, number = (total + section + number) * 10**8, 0, 0
        elif char != "零":
            number = CAPITAL_DIGITS[char]
    fen = (total + section + number) * 100
    for i, char in enumerate(rest):
        if char in "角分":
            fen += CAPITAL_DIGITS[rest[i - 1]] * (10 if char == "角" else 1)
    return sign * fen


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (10_000_005, "壹拾万元零伍分"),  # 100,000.05
        (100_000_000, "壹佰万元整"),  # 1,000,000.00
        (0, "零元整"),
        (5, "伍分"),
        (50, "伍角"),
        (1_000, "壹拾元整"),
        (140_950, "壹仟肆佰零玖元伍角"),
        (600_714, "陆仟零柒元壹角肆分"),
        (1_640_902, "壹万陆仟肆佰零玖元零贰分"),
        (10_000_000_500, "壹亿零伍元整"),
        (10_005_000_000, "壹亿零伍万元整"),
        (100_050_000, "壹佰万零伍佰元整"),
        (1_000_000_000_00, "壹拾亿元整"),
        (-80_000, "负捌佰元整"),
    ],
)
def test_capitals_of_the_hard_cases_as_a_bank_clerk_writes_them(fen: int, text: str) -> None:
    assert money.capitals(fen) == text


@given(st.integers(min_value=-(10**14) + 1, max_value=10**14 - 1))
def test_capitals_read_back_to_the_same_fen_and_follow_the_rules(fen: int) -> None:
    text = money.capitals(fen)
    assert read_capitals(text) == fen
    assert "零零" not in text and not text.endswith("零")
    assert text.endswith("整") == (fen % 100 == 0)
    assert text.endswith("分") == (fen % 10 != 0)
    assert set(text) <= set("负零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
    assert not re.search("(^|[^壹贰叁肆伍陆柒捌玖])拾", text)  # 壹拾, never a bare 拾
    assert not text.removeprefix("负").startswith("零") or text == "零元整"


def test_capitals_refuse_what_they_cannot_write() -> None:
    with pytest.raises(ValueError):
        money.capitals(10**14)
