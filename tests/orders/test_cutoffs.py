"""A cut-off as a manager writes it, and the moment it closes ordering, in the canteen's zone."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from canteen.orders import cutoffs

cutoff_texts = st.builds(
    lambda t, before: t.strftime("%H:%M") + (" the day before" if before else ""),
    st.times().map(lambda t: t.replace(second=0, microsecond=0)),
    st.booleans(),
)
zones = st.sampled_from(["Asia/Shanghai", "Asia/Urumqi", "UTC"])
"""Zones without summer time, where every local minute happens exactly once."""


@given(cutoff_texts)
def test_a_cutoff_reads_back_as_it_was_written(text):
    assert str(cutoffs.parse(text)) == text


@given(cutoff_texts, st.dates(date(2000, 1, 1), date(2100, 1, 1)), zones)
def test_ordering_closes_at_that_local_time_on_the_meal_day_or_the_day_before(text, day, zone):
    rule = cutoffs.parse(text)
    closes = rule.closes_at(day, zone)
    local = closes.astimezone(ZoneInfo(zone))
    assert closes.tzinfo is UTC
    assert local.date() == (day - timedelta(days=1) if rule.day_before else day)
    assert local.time() == rule.at


def test_lunch_at_nine_in_shanghai_closes_at_one_utc():
    closes = cutoffs.parse("09:00").closes_at(date(2026, 12, 1), "Asia/Shanghai")
    assert closes == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert cutoffs.parse("18:00 the day before").at == time(18, 0)


@pytest.mark.parametrize(
    "text", ["9:00", "24:00", "09:60", "09:00 the day after", "09:00 the day before ", "", "noon"]
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError, match="HH:MM"):
        cutoffs.parse(text)
