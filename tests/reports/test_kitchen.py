"""reports.kitchen: the walk-ins forecast and the kitchen count, on hand-made histories."""

from datetime import date, timedelta

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from canteen.web.i18n import translator
from reports import kitchen, loaders

ON = date(2026, 12, 1)
"""A Tuesday."""
ZH, EN = translator("zh"), translator("en")


def history(*rows: tuple[date, int | None, int, int]) -> pd.DataFrame:
    """(day, offering, walk-ins, ordered) rows, as ``loaders.kitchen_history`` returns them."""
    return loaders.frame([(d.isoformat(), o, w, n) for d, o, w, n in rows], loaders.KITCHEN_HISTORY)


def weeks_before(*walk_ins: int, offering: int = 1) -> list[tuple[date, int | None, int, int]]:
    """Walk-ins on the Tuesdays before ``ON``, the nearest first."""
    return [(ON - timedelta(weeks=k), offering, n, 1) for k, n in enumerate(walk_ins, start=1)]


def test_four_steady_tuesdays_forecast_their_count():
    found = kitchen.forecast_walk_ins(history(*weeks_before(30, 30, 30, 30)), ON)
    assert (found.walk_ins, found.level, found.trend) == (30, 30.0, 0.0)
    assert [d for d, _ in found.weeks] == [ON - timedelta(weeks=k) for k in (4, 3, 2, 1)]


def test_only_the_latest_four_tuesdays_count():
    found = kitchen.forecast_walk_ins(history(*weeks_before(20, 20, 20, 20, 90, 90)), ON)
    assert found.walk_ins == 20


def test_a_rising_month_forecasts_above_its_average():
    # 20, 24, 28, 32 (oldest first): +4 a week; a quarter of it, 2.5 weeks on from the middle.
    found = kitchen.forecast_walk_ins(history(*weeks_before(32, 28, 24, 20)), ON)
    assert (found.level, found.trend, found.ahead) == (26.0, 1.0, 2.5)
    assert found.walk_ins == 29


def test_two_weeks_are_averaged_without_a_trend():
    found = kitchen.forecast_walk_ins(history(*weeks_before(40, 20)), ON)
    assert (found.walk_ins, found.trend) == (30, 0.0)
    assert "不计趋势" in kitchen.basis(
        kitchen.count(ON, [1], [], history(*weeks_before(40, 20))), ZH
    )


def test_a_holiday_without_meals_is_skipped_not_counted_as_no_walk_ins():
    rows = weeks_before(30, 30, 30, 30, 30)
    holiday = rows.pop(1)  # two Tuesdays ago: nothing sold at all
    found = kitchen.forecast_walk_ins(history(*rows), ON)
    assert found.walk_ins == 30 and holiday[0] not in [d for d, _ in found.weeks]
    assert len(found.weeks) == 4


def test_a_day_of_orders_only_is_a_day_of_no_walk_ins():
    rows = [*weeks_before(30, 30, 30), (ON - timedelta(weeks=4), 1, 0, 12)]
    found = kitchen.forecast_walk_ins(history(*rows), ON)
    assert [n for _, n in found.weeks] == [0, 30, 30, 30]


def test_no_history_forecasts_none_and_says_so():
    found = kitchen.count(ON, [1, 2], [(1, False)], history())
    assert (found.forecast.walk_ins, found.to_cook) == (0, 1)
    assert "无法预测散客，按 0 计" in kitchen.basis(found, ZH)
    assert "No Tuesday of the last 8 weeks served this meal" in kitchen.basis(found, EN)


def test_the_count_adds_orders_to_the_walk_ins_split_by_past_shares():
    rows = [
        *weeks_before(30, 30, 30, 30, offering=1),
        *weeks_before(10, 10, 10, 10, offering=2),
    ]
    orders = [(1, False), (1, True), (2, True), (3, False)]  # 3: ordered, then taken off the menu

    found = kitchen.count(ON, [2, 1], orders, history(*rows))

    assert [
        (r.offering_id, r.eat_in, r.delivery, r.walk_ins, r.to_cook) for r in found.by_offering
    ] == [
        (2, 0, 1, 10, 11),
        (1, 1, 1, 30, 32),
        (3, 1, 0, 0, 1),
    ]
    assert (found.eat_in, found.delivery, found.forecast.walk_ins, found.to_cook) == (2, 2, 40, 44)
    assert "各菜品按前 8 周散客所选比例分配" in kitchen.basis(found, ZH)


def test_dishes_new_to_the_walk_ins_share_them_evenly():
    found = kitchen.count(ON, [5, 6], [], history(*weeks_before(9, 9, 9, 9, offering=1)))
    assert [r.walk_ins for r in found.by_offering] == [5, 4]
    assert "split evenly" in kitchen.basis(found, EN)


def test_without_a_menu_the_walk_ins_go_to_what_they_bought_before():
    rows = [*weeks_before(6, 6, 6, 6, offering=1), *weeks_before(2, 2, 2, 2, offering=2)]
    found = kitchen.count(ON, [], [], history(*rows))
    assert [(r.offering_id, r.walk_ins) for r in found.by_offering] == [(1, 6), (2, 2)]


def test_the_basis_names_the_days_and_the_trend_in_each_language():
    found = kitchen.count(ON, [1], [], history(*weeks_before(32, 28, 24, 20)))
    assert kitchen.basis(found, ZH) == (
        "散客（未预订）人数按前 4 个星期二（11/3 20 人、11/10 24 人、11/17 28 人、11/24 32 人）"
        "平均为 26.0 人；近期趋势每周 +1.0 人，到当天共 +2.5 人；预计散客 29 人。"
    )
    assert kitchen.basis(found, EN) == (
        "Walk-ins (meals not ordered ahead) on the last 4 Tuesdays (11/3: 20, 11/10: 24,"
        " 11/17: 28, 11/24: 32) averaged 26.0; the recent trend, +1.0 a week, adds +2.5 by"
        " the day; forecast: 29 walk-ins."
    )


def test_errors_compare_each_days_forecast_with_its_walk_ins():
    rows = [*weeks_before(30, 30, 30, 30), (ON, 1, 27, 0)]
    measured = kitchen.errors(history(*rows), [ON])
    assert measured.to_dict("records") == [
        {"local_date": pd.Timestamp(ON), "forecast": 30, "actual": 27, "error": 3}
    ]


# --- Properties ---------------------------------------------------------------------------

DAYS_BACK = st.integers(min_value=-14, max_value=7 * kitchen.LOOKBACK_WEEKS + 14)
ROWS = st.lists(
    st.tuples(
        DAYS_BACK,
        st.one_of(st.none(), st.integers(1, 4)),
        st.integers(0, 500),
        st.integers(0, 50),
    ),
    max_size=60,
)
MENUS = st.lists(st.integers(1, 6), max_size=4)
ORDERS = st.lists(st.tuples(st.integers(1, 6), st.booleans()), max_size=20)


def made(rows: list[tuple[int, int | None, int, int]]) -> pd.DataFrame:
    return history(*[(ON - timedelta(days=back), o, w, n) for back, o, w, n in rows])


@given(ROWS)
def test_the_forecast_is_a_whole_number_never_below_zero(rows):
    found = kitchen.forecast_walk_ins(made(rows), ON)
    assert type(found.walk_ins) is int and found.walk_ins >= 0
    assert len(found.weeks) <= kitchen.WEEKS


@given(ROWS, ROWS)
def test_only_the_same_weekday_before_the_day_counts(rows, others):
    """Meals on any other weekday, or on the day and after it, change nothing."""
    elsewhere = [r for r in others if r[0] <= 0 or r[0] % 7 != 0]
    alone = kitchen.forecast_walk_ins(made(rows), ON)
    mixed = kitchen.forecast_walk_ins(made(rows + elsewhere), ON)
    assert (mixed.walk_ins, mixed.weeks) == (alone.walk_ins, alone.weeks)
    assert all(d.weekday() == ON.weekday() and d < ON for d, _ in alone.weeks)


@given(st.integers(0, 500), st.integers(1, kitchen.WEEKS))
def test_the_same_count_every_week_is_forecast_as_itself(walk_ins, weeks):
    found = kitchen.forecast_walk_ins(history(*weeks_before(*[walk_ins] * weeks)), ON)
    assert found.walk_ins == walk_ins


@given(st.integers(0, 10_000), st.dictionaries(st.integers(1, 9), st.integers(0, 1000), max_size=6))
def test_a_split_adds_up_and_follows_the_shares(total, weights):
    parts = kitchen.split(total, weights)
    assert set(parts) == set(weights)
    if weights:
        assert sum(parts.values()) == total and min(parts.values()) >= 0
    whole = sum(weights.values())
    for k, part in parts.items():
        share = total * (weights[k] if whole else 1) / (whole or len(weights))
        assert abs(part - share) < 1


@given(ROWS, MENUS, ORDERS)
def test_to_cook_is_the_orders_plus_the_walk_ins_in_all_and_per_dish(rows, menu, orders):
    found = kitchen.count(ON, menu, orders, made(rows))
    assert found.eat_in + found.delivery == len(orders)
    assert sum(r.to_cook for r in found.by_offering) == found.eat_in + found.delivery + sum(
        r.walk_ins for r in found.by_offering
    )
    if menu:
        assert sum(r.walk_ins for r in found.by_offering) == found.forecast.walk_ins
    assert found.to_cook == len(orders) + found.forecast.walk_ins
    assert kitchen.basis(found, ZH) and kitchen.basis(found, EN)
