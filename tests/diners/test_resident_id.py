"""Resident ID numbers: parse, check digit, mask, and age."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canteen.diners.resident_id import EARLIEST_BIRTH, age_on, check_char, mask, parse
from canteen.errors import InvalidIdNumber

TODAY = date(2026, 6, 1)
CHARS = "0123456789X"


def make(region: str, birth: date, sequence: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


@st.composite
def valid_numbers(draw: st.DrawFn) -> tuple[str, date, int]:
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    birth = draw(st.dates(min_value=EARLIEST_BIRTH, max_value=TODAY))
    sequence = draw(st.integers(min_value=0, max_value=999))
    return make(region, birth, sequence), birth, sequence


def assert_rejected(text: str, today: date = TODAY) -> InvalidIdNumber:
    with pytest.raises(InvalidIdNumber) as caught:
        parse(text, today=today)
    error = caught.value
    assert error.code == "invalid_id_number"
    assert error.status == 422
    assert error.errors[0].field == "id_number"
    return error


# --- Known numbers, check characters worked out by hand ----------------------------------
#
# ISO 7064 MOD 11-2: multiply the 17 digits by the weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
# sum, take the sum mod 11 and look it up in "1 0 X 9 8 7 6 5 4 3 2".
#
# 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2:
#   7 + 9 + 0 + 5 + 0 + 20 + 2 + 9 + 24 + 27 + 7 + 18 + 30 + 5 + 0 + 0 + 4 = 167
#   167 = 15 * 11 + 2  -> index 2 -> "X"                     110105 19491231 002 X
#
# 4 4 0 3 0 4 1 9 8 0 0 1 0 1 0 0 1:
#   28 + 36 + 0 + 15 + 0 + 16 + 2 + 9 + 48 + 0 + 0 + 9 + 0 + 5 + 0 + 0 + 2 = 170
#   170 = 15 * 11 + 5  -> index 5 -> "7"                     440304 19800101 001 7
#
# 5 1 0 1 0 7 1 9 3 5 0 6 1 5 1 2 3:
#   35 + 9 + 0 + 5 + 0 + 28 + 2 + 9 + 18 + 15 + 0 + 54 + 10 + 25 + 8 + 8 + 6 = 232
#   232 = 21 * 11 + 1  -> index 1 -> "0"                     510107 19350615 123 0
#
# 3 1 0 1 0 1 2 0 0 0 0 2 2 9 0 0 4:
#   21 + 9 + 0 + 5 + 0 + 4 + 4 + 0 + 0 + 0 + 0 + 18 + 20 + 45 + 0 + 0 + 8 = 134
#   134 = 12 * 11 + 2  -> index 2 -> "X"                     310101 20000229 004 X


@pytest.mark.parametrize(
    ("first17", "check"),
    [
        ("11010519491231002", "X"),
        ("44030419800101001", "7"),
        ("51010719350615123", "0"),
        ("31010120000229004", "X"),
    ],
)
def test_check_character_matches_the_hand_computed_value(first17: str, check: str) -> None:
    assert check_char(first17) == check


@pytest.mark.parametrize(
    ("number", "birth", "gender", "masked"),
    [
        ("11010519491231002X", date(1949, 12, 31), "female", "**************002X"),
        ("440304198001010017", date(1980, 1, 1), "male", "**************0017"),
        ("510107193506151230", date(1935, 6, 15), "male", "**************1230"),
        ("31010120000229004X", date(2000, 2, 29), "female", "**************004X"),
    ],
)
def test_known_numbers_parse(number: str, birth: date, gender: str, masked: str) -> None:
    rid = parse(number, today=TODAY)
    assert rid.number == number
    assert rid.birth_date == birth
    assert rid.gender == gender
    assert rid.masked == masked
    assert rid.region_code == number[:6]
    assert rid.last4 == number[-4:]


def test_the_documented_example_is_valid_female_born_1949_12_31() -> None:
    rid = parse("11010519491231002X")
    assert (rid.birth_date, rid.gender, rid.masked) == (
        date(1949, 12, 31),
        "female",
        "**************002X",
    )


@pytest.mark.parametrize(
    "typed",
    [
        "11010519491231002x",
        "110105 19491231 002X",
        " 110105 1949 1231 002x ",
        "110105\t19491231002X",
    ],
)
def test_lowercase_x_and_spaces_are_accepted(typed: str) -> None:
    rid = parse(typed, today=TODAY)
    assert rid.number == "11010519491231002X"
    assert rid.masked == "**************002X"


# --- Properties of valid numbers ----------------------------------------------------------


@given(valid_numbers())
def test_any_valid_number_parses_and_round_trips(generated: tuple[str, date, int]) -> None:
    number, birth, sequence = generated
    rid = parse(number, today=TODAY)
    assert rid.number == number
    assert rid.birth_date == birth
    assert rid.gender == ("male" if sequence % 2 else "female")
    assert rid.masked == "*" * 14 + number[-4:]
    assert mask(number) == rid.masked
    assert len(rid.masked) == 18


@given(valid_numbers())
def test_every_single_character_change_is_rejected(generated: tuple[str, date, int]) -> None:
    number, _, _ = generated
    for position, original in enumerate(number):
        for char in CHARS.replace(original, ""):
            assert_rejected(number[:position] + char + number[position + 1 :])


@given(valid_numbers())
def test_every_transposition_of_adjacent_different_characters_is_rejected(
    generated: tuple[str, date, int],
) -> None:
    number, _, _ = generated
    for i in range(17):
        if number[i] != number[i + 1]:
            assert_rejected(number[:i] + number[i + 1] + number[i] + number[i + 2 :])


# --- Rejections -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "11010519491231002",  # 17: the check character left off
        "11010519491231002X0",  # 19
        "1101051949123100",
        "11010519491231002A",
        "11010519491231002Y",
        "1101051949123100X2",  # X anywhere but last
        "A1010519491231002X",
        "11010519491231003X",  # a wrong check character
        "110105194912310020",
        "11010519491231002-",
        "１1010519491231002X",  # a full-width digit: not the same string as the ASCII number
        "²1010519491231002X",  # a superscript two counts as a "digit" to str.isdigit
    ],
)
def test_malformed_numbers_are_rejected(text: str) -> None:
    assert_rejected(text)


@pytest.mark.parametrize(
    "first17",
    [
        "11010519490230001",  # 30 February
        "11010519490229001",  # 29 February in a year that had none
        "11010519491301001",  # month 13
        "11010519490001001",  # month 0
        "11010519490100001",  # day 0
    ],
)
def test_impossible_birth_dates_are_rejected_even_with_a_correct_check_character(
    first17: str,
) -> None:
    error = assert_rejected(first17 + check_char(first17))
    assert "date" in error.errors[0].message


def test_a_birth_date_after_today_is_rejected() -> None:
    tomorrow = TODAY + timedelta(days=1)
    assert_rejected(make("110105", tomorrow, 1))
    assert parse(make("110105", TODAY, 1), today=TODAY).birth_date == TODAY


def test_a_birth_date_before_1890_is_rejected() -> None:
    assert_rejected(make("110105", date(1889, 12, 31), 1))
    assert_rejected(make("110105", date(1000, 1, 1), 1))
    assert parse(make("110105", date(1890, 1, 1), 1), today=TODAY).birth_date == date(1890, 1, 1)


# --- Age --------------------------------------------------------------------------------------


def anniversary(birth: date, years: int) -> date:
    """The day ``birth`` is ``years`` old: 29 February counts from 1 March in common years."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return date(birth.year + years, 3, 1)


births = st.dates(min_value=date(1890, 1, 1), max_value=date(2100, 12, 31))


@given(births, st.integers(min_value=0, max_value=150 * 366))
def test_age_is_the_number_of_whole_years_completed(birth: date, days: int) -> None:
    on = birth + timedelta(days=days)
    age = age_on(birth, on)
    assert age >= 0
    assert anniversary(birth, age) <= on < anniversary(birth, age + 1)


@given(births, st.integers(min_value=1, max_value=150))
def test_age_goes_up_by_exactly_one_on_each_birthday(birth: date, years: int) -> None:
    birthday = anniversary(birth, years)
    assert age_on(birth, birthday) == years
    assert age_on(birth, birthday - timedelta(days=1)) == years - 1


@given(births, st.integers(min_value=0, max_value=150 * 366), st.integers(0, 400))
def test_age_never_goes_down(birth: date, days: int, later: int) -> None:
    on = birth + timedelta(days=days)
    assert age_on(birth, on) <= age_on(birth, on + timedelta(days=later))


def test_age_on_the_day_of_birth_is_zero() -> None:
    assert age_on(date(1949, 12, 31), date(1949, 12, 31)) == 0
    assert age_on(date(1949, 12, 31), date(2025, 12, 30)) == 75
    assert age_on(date(1949, 12, 31), date(2025, 12, 31)) == 76


def test_a_29_february_birth_turns_a_year_older_on_1_march_in_common_years() -> None:
    born = date(2000, 2, 29)
    assert age_on(born, date(2001, 2, 28)) == 0
    assert age_on(born, date(2001, 3, 1)) == 1
    assert age_on(born, date(2003, 2, 28)) == 2
    assert age_on(born, date(2003, 3, 1)) == 3
    assert age_on(born, date(2004, 2, 28)) == 3
    assert age_on(born, date(2004, 2, 29)) == 4
