"""reports.sustainability on hand-made frames; every figure computed by hand in the comments."""

from datetime import date

from reports import sustainability
from tests.reports.frames import OCT_1, OCT_31, claim_day, claim_days, finance, meal_days

# Canteen 1 in October: 300 meals on 10-01 and 10-02 (150 each), diners paid 2,400 yuan.
# Subsidies: city 1,200 yuan; the operator's own discount 300 yuan (not revenue).
# Costs: ingredients 1,800, labor 1,500, rent 600, utilities 150; a 900-yuan operating grant.
MEALS = meal_days((1, "2025-10-01", 150, 120_000), (1, "2025-10-02", 150, 120_000))
DAYS = claim_days(
    claim_day(1, "2025-10-01", "city", "city", "diner", 150, 60_000),
    claim_day(1, "2025-10-02", "city", "city", "diner", 150, 60_000),
    claim_day(1, "2025-10-02", "operator", "op", "diner", 300, 30_000),
)
BOOKS = finance(
    (1, "2025-10-01", "cost", "ingredients", 90_000),
    (1, "2025-10-02", "cost", "ingredients", 90_000),
    (1, "2025-10-01", "cost", "labor", 150_000),
    (1, "2025-10-01", "cost", "rent", 60_000),
    (1, "2025-10-31", "cost", "utilities", 15_000),
    (1, "2025-10-05", "grant", "operating_grant", 90_000),
    (1, "2025-11-01", "cost", "rent", 60_000),  # outside the span: ignored
)


def test_the_month_figure_by_figure():
    r = sustainability.report(OCT_1, OCT_31, MEALS, DAYS, BOOKS, canteen_id=1)
    # revenue = 240,000 paid + 120,000 subsidy + 90,000 grant = 450,000
    # cost = 180,000 + 150,000 + 60,000 + 15,000 = 405,000; margin 45,000 = 10.0 %
    assert (r["meals"], r["diner_paid_fen"], r["subsidy_fen"], r["grant_fen"]) == (
        300, 240_000, 120_000, 90_000,
    )  # fmt: skip
    assert (r["revenue_fen"], r["cost_fen"], r["margin_fen"], r["margin_pct"]) == (
        450_000, 405_000, 45_000, 10.0,
    )  # fmt: skip
    assert r["cost_by_category"] == {
        "ingredients": 180_000,
        "labor": 150_000,
        "rent": 60_000,
        "utilities": 15_000,
        "equipment": 0,
        "other": 0,
    }
    assert (r["cost_per_meal_fen"], r["revenue_per_meal_fen"]) == (1350, 1500)
    # (120,000 + 90,000) / 450,000 = 46.7 %
    assert r["subsidy_dependency_pct"] == 46.7
    # brought 360,000, ingredients 180,000: 600 a meal; fixed 225,000 - grant 90,000 = 135,000
    # over 31 days = 4,354.8 a day -> 7.26 meals -> 8
    assert r["break_even_meals_per_day"] == 8
    assert r["operator_discount_fen"] == 30_000
    assert "canteens" not in r


def test_the_daily_series_covers_every_day_and_sums_to_the_totals():
    r = sustainability.report(OCT_1, OCT_31, MEALS, DAYS, BOOKS, canteen_id=1)
    assert len(r["days"]) == 31 and r["days"][0]["date"] == "2025-10-01"
    assert r["days"][0] == {
        "date": "2025-10-01",
        "meals": 150,
        "revenue_fen": 180_000,
        "cost_fen": 300_000,
        "diner_paid_fen": 120_000,
        "subsidy_fen": 60_000,
        "grant_fen": 0,
        "margin_fen": -120_000,
        "offline_refused_fen": 0,
    }
    assert r["days"][4]["revenue_fen"] == 90_000 and r["days"][4]["meals"] == 0
    assert sum(d["revenue_fen"] for d in r["days"]) == r["revenue_fen"]
    assert sum(d["cost_fen"] for d in r["days"]) == r["cost_fen"]


def test_months_split_a_span_and_count_their_own_days():
    books = finance(
        (1, "2025-09-30", "cost", "labor", 10_000), (1, "2025-10-01", "cost", "labor", 20_000)
    )
    r = sustainability.report(date(2025, 9, 29), date(2025, 10, 2), MEALS, DAYS, books)
    assert [(m["month"], m["meals"], m["cost_fen"]) for m in r["months"]] == [
        ("2025-09", 0, 10_000),
        ("2025-10", 300, 20_000),
    ]
    assert r["months"][0]["cost_per_meal_fen"] is None
    assert [c["canteen_id"] for c in r["canteens"]] == [1]


def test_nothing_at_all_is_zero_and_none_not_a_division_by_zero():
    r = sustainability.report(OCT_1, OCT_31, meal_days(), claim_days(), finance())
    assert (r["meals"], r["revenue_fen"], r["margin_pct"], r["cost_per_meal_fen"]) == (
        0,
        0,
        None,
        None,
    )
    assert r["break_even_meals_per_day"] is None and r["canteens"] == []


def test_break_even_edges():
    assert (
        sustainability.break_even(meals=0, days=30, brought_fen=0, variable_fen=0, fixed_fen=1)
        is None
    )
    # every meal brings less than its ingredients: no volume breaks even
    assert (
        sustainability.break_even(meals=10, days=1, brought_fen=100, variable_fen=200, fixed_fen=50)
        is None
    )
    # the grant covers the fixed costs
    assert (
        sustainability.break_even(meals=10, days=1, brought_fen=300, variable_fen=200, fixed_fen=-5)
        == 0
    )
    # 10 a meal, 95 fixed a day -> 9.5 -> 10
    assert (
        sustainability.break_even(meals=10, days=1, brought_fen=300, variable_fen=200, fixed_fen=95)
        == 10
    )
