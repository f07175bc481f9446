"""The waste in the sustainability report (``reports.sustainability.waste``): portions cooked
and not sold, per canteen and month, their food cost and the waste rate, to the fen."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from reports import loaders, sustainability

OCT_1, NOV_30 = date(2025, 10, 1), date(2025, 11, 30)


def cooked(*rows: tuple) -> object:
    return loaders.frame(list(rows), loaders.KITCHEN_COOKED)


def meal_days(*rows: tuple[int, str, int]) -> object:
    return loaders.frame([(*r, 0, 0, 0, 0, 0) for r in rows], loaders.MEAL_DAYS)


def books(*rows: tuple[int, str, str, str, int]) -> object:
    return loaders.frame(list(rows), loaders.FINANCE)


def test_each_canteen_and_month_has_its_left_over_its_cost_and_its_rate():
    found = sustainability.waste(
        OCT_1,
        NOV_30,
        cooked(
            (1, "2025-10-02", "lunch", 5, 40, 35),  # 5 left
            (1, "2025-10-02", "lunch", 6, 10, 12),  # sold 2 more than counted: none left
            (1, "2025-10-03", "dinner", 5, 40, 30),  # 10 left
            (2, "2025-11-01", "lunch", 7, 20, 20),
        ),
        meal_days((1, "2025-10-02", 47), (1, "2025-10-03", 30), (1, "2025-10-05", 100)),
        books(
            (1, "2025-10-01", "cost", "ingredients", 100_000),
            (1, "2025-10-01", "cost", "rent", 50_000),  # not food
            (2, "2025-11-03", "cost", "ingredients", 9_000),
            (2, "2025-11-03", "grant", "other", 9_000),  # not a cost
        ),
    )
    assert found["rows"] == [
        {
            "canteen_id": 1,
            "month": "2025-10",
            "days_recorded": 2,
            "portions_cooked": 90,
            "portions_sold": 77,
            "portions_left_over": 15,
            "waste_rate_pct": 16.7,
            # 177 meals sold + 15 left over = 192 portions cooked that month
            "food_cost_per_portion_fen": 520,  # 100,000 // 192
            "waste_cost_fen": 7812,  # 100,000 * 15 // 192, not 520 * 15 = 7800
        },
        {
            "canteen_id": 2,
            "month": "2025-11",
            "days_recorded": 1,
            "portions_cooked": 20,
            "portions_sold": 20,
            "portions_left_over": 0,
            "waste_rate_pct": 0.0,
            "food_cost_per_portion_fen": None,  # no meal of it was in meal_days
            "waste_cost_fen": 0,
        },
    ]
    assert {k: v for k, v in found.items() if k != "rows"} == {
        "days_recorded": 3,
        "portions_cooked": 110,
        "portions_sold": 97,
        "portions_left_over": 15,
        "waste_rate_pct": 13.6,
        "food_cost_per_portion_fen": 567,  # 109,000 // (177 + 15 + 0)
        "waste_cost_fen": 7812,
    }


def test_days_outside_the_span_and_an_empty_record_count_nothing():
    rows = cooked((1, "2025-09-30", "lunch", 5, 40, 0), (1, "2025-12-01", "lunch", 5, 40, 0))
    found = sustainability.waste(OCT_1, NOV_30, rows, meal_days(), books())
    assert found == {
        "days_recorded": 0,
        "portions_cooked": 0,
        "portions_sold": 0,
        "portions_left_over": 0,
        "waste_rate_pct": None,
        "food_cost_per_portion_fen": None,
        "waste_cost_fen": 0,
        "rows": [],
    }


def test_the_report_carries_the_waste_when_given_the_cooked_counts():
    rows = cooked((1, "2025-10-02", "lunch", 5, 10, 4))
    report = sustainability.report(
        OCT_1,
        NOV_30,
        meal_days((1, "2025-10-02", 4)),
        loaders.frame([], loaders.CLAIM_DAYS),
        books((1, "2025-10-01", "cost", "ingredients", 1000)),
        canteen_id=1,
        cooked=rows,
    )
    assert report["waste"]["portions_left_over"] == 6
    assert report["waste"]["waste_cost_fen"] == 600  # 1000 * 6 // (4 + 6)


day = st.dates(OCT_1, NOV_30).map(lambda d: d.isoformat())
record = st.tuples(
    st.integers(1, 3), day, st.sampled_from(["lunch", "dinner"]), st.integers(1, 4),
    st.integers(0, 200), st.integers(0, 200),
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.lists(record, max_size=30, unique_by=lambda r: r[:4]),
    st.integers(0, 50),
    st.integers(0, 2_000_000),
)
def test_the_waste_adds_up_and_never_costs_more_than_the_food(records, extra_meals, food_fen):
    sold = {}
    for canteen, on, _, _, _, n in records:
        sold[(canteen, on)] = sold.get((canteen, on), 0) + n
    days = [(c, on, n + extra_meals) for (c, on), n in sold.items()]
    costs = [(c, "2025-10-15", "cost", "ingredients", food_fen) for c in (1, 2, 3)]
    found = sustainability.waste(OCT_1, NOV_30, cooked(*records), meal_days(*days), books(*costs))

    left = sum(max(c - s, 0) for *_, c, s in records)
    assert found["portions_left_over"] == left
    assert sum(r["portions_left_over"] for r in found["rows"]) == left
    assert found["portions_cooked"] == sum(r[4] for r in records)
    assert found["waste_cost_fen"] == sum(r["waste_cost_fen"] for r in found["rows"])
    for row in found["rows"]:
        assert 0 <= row["waste_cost_fen"] <= food_fen
        if row["portions_cooked"]:
            assert 0 <= row["waste_rate_pct"] <= 100
        if row["food_cost_per_portion_fen"] is not None:
            assert (
                row["food_cost_per_portion_fen"] * row["portions_left_over"]
                <= row["waste_cost_fen"]
            )
