"""The test data generators themselves: resident ID numbers never repeat and always parse."""

from datetime import date

import pytest

from canteen.diners.resident_id import age_on, parse
from tests.factories import ResidentIds, id_number

CENSUS_DAY = date(2026, 1, 1)


def _all_distinct_and_valid(numbers: list[str]) -> list[int]:
    """The ages of the numbers' holders on the census day, after checking each number."""
    assert len(set(numbers)) == len(numbers), "a number was handed out twice"
    return [age_on(parse(n, today=CENSUS_DAY).birth_date, CENSUS_DAY) for n in numbers]


def test_two_hundred_thousand_numbers_are_distinct_valid_elders() -> None:
    """A soak enrols far more than the 999 sequence codes of one region and birth date."""
    ages = _all_distinct_and_valid([id_number() for _ in range(200_000)])
    assert min(ages) >= 80 and max(ages) <= 100


def test_a_fixed_birth_date_moves_across_regions_and_keeps_its_age() -> None:
    numbers = [id_number("19400101") for _ in range(5_000)]
    ages = _all_distinct_and_valid(numbers)
    assert set(ages) == {86}
    assert len({n[:6] for n in numbers}) == 6, "999 sequence codes per region"


def test_used_up_dates_move_the_default_birth_back_one_day_at_a_time() -> None:
    """With one region each date holds 999 numbers; 20,000 need 21 birth dates."""
    ids = ResidentIds(("110101",))
    numbers = [ids.next() for _ in range(20_000)]
    assert set(_all_distinct_and_valid(numbers)) == {81}
    births = sorted({parse(n).birth_date for n in numbers})
    assert len(births) == 21 and (births[0], births[-1]) == (date(1944, 12, 12), date(1945, 1, 1))


def test_a_repeat_is_refused_never_handed_out() -> None:
    ids = ResidentIds(("110101",), first_birth=date(1930, 1, 2), oldest_birth=date(1930, 1, 1))
    [ids.next("19400101") for _ in range(999)]
    with pytest.raises(ValueError, match="19400101 are used"):
        ids.next("19400101")
    [ids.next() for _ in range(2 * 999)]
    with pytest.raises(ValueError, match="back to 1930-01-01"):
        ids.next()


def test_spelled_out_numbers_never_meet_generated_ones() -> None:
    spelled = {id_number("19450101", seq=s) for s in range(1, 1000)}
    assert spelled.isdisjoint(id_number("19450101") for _ in range(20_000))
    assert id_number("19440315", seq=123)[:17] == "44010619440315123"
