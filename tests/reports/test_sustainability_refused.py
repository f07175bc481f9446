"""Refused offline sales in reports.sustainability: the cash the counter took is what diners
paid, what the operator bears is its own figure and not revenue (docs/offline.md)."""

from datetime import date, timedelta
from functools import cache
from typing import Any

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from reports import loaders, sustainability
from tests.reports.frames import OCT_1, OCT_31, claim_day, claim_days, finance, frame, meal_days

MEALS = meal_days((1, "2025-10-01", 150, 120_000), (2, "2025-10-01", 10, 5_000))
DAYS = claim_days(
    claim_day(1, "2025-10-01", "city", "city", "diner", 150, 60_000),
    claim_day(1, "2025-10-01", "operator", "op", "diner", 150, 15_000),
)
BOOKS = finance((1, "2025-10-01", "cost", "ingredients", 90_000))


def refused(*rows: tuple) -> pd.DataFrame:
    """(canteen, day, sales, cash_fen, operator_fen)"""
    return frame(
        loaders.REFUSED_DAYS,
        [
            {"canteen_id": c, "local_date": d, "sales": n, "cash_fen": cash, "operator_fen": op}
            for c, d, n, cash, op in rows
        ],
    )


# Canteen 1, 10-02: a refused account sale of 15.00 (the operator bears 1,500) and a refused
# cash sale of 15.00 for which the counter took 9.00 (900 paid, the operator bears 600).
# Canteen 2, 10-03: one refused cash sale, 10.00 taken, 5.00 borne. 11-01: outside the span.
REFUSED = refused(
    (1, "2025-10-02", 2, 900, 2_100),
    (2, "2025-10-03", 1, 1_000, 500),
    (1, "2025-11-01", 1, 0, 1_500),
)


def test_refused_sales_figure_by_figure():
    without = sustainability.report(OCT_1, OCT_31, MEALS, DAYS, BOOKS)
    r = sustainability.report(OCT_1, OCT_31, MEALS, DAYS, BOOKS, refused=REFUSED)
    # diners paid 120,000 + 5,000 for meals, and 900 + 1,000 cash for refused sales
    assert r["diner_paid_fen"] == 126_900 and without["diner_paid_fen"] == 125_000
    # revenue 126,900 + city 60,000 = 186,900; the 2,600 borne is not in it
    assert (r["revenue_fen"], r["margin_fen"]) == (186_900, 96_900)
    assert (r["offline_refused_sales"], r["offline_refused_fen"]) == (3, 2_600)
    assert (without["offline_refused_sales"], without["offline_refused_fen"]) == (0, 0)
    # the meals, the subsidies and the operator's own discount do not change
    assert (r["meals"], r["subsidy_fen"], r["operator_discount_fen"]) == (160, 60_000, 15_000)
    days = {d["date"]: d for d in r["days"]}
    assert days["2025-10-02"]["meals"] == 0
    assert (days["2025-10-02"]["diner_paid_fen"], days["2025-10-02"]["revenue_fen"]) == (900, 900)
    assert days["2025-10-02"]["offline_refused_fen"] == 2_100
    assert days["2025-10-03"]["offline_refused_fen"] == 500
    each = {c["canteen_id"]: c for c in r["canteens"]}
    assert (each[1]["offline_refused_sales"], each[1]["offline_refused_fen"]) == (2, 2_100)
    assert (each[2]["diner_paid_fen"], each[2]["offline_refused_fen"]) == (6_000, 500)
    assert r["months"][0]["offline_refused_fen"] == 2_600


def test_a_canteen_with_only_refused_sales_is_in_the_report():
    r = sustainability.report(
        OCT_1, OCT_31, MEALS.iloc[:0], DAYS.iloc[:0], BOOKS.iloc[:0], refused=REFUSED
    )
    assert r["meals"] == 0 and r["cost_per_meal_fen"] is None
    assert (r["diner_paid_fen"], r["offline_refused_fen"]) == (1_900, 2_600)
    assert [c["canteen_id"] for c in r["canteens"]] == [1, 2]


SALE = st.tuples(
    st.sampled_from([1, 2, 3]),
    st.integers(min_value=-3, max_value=33),  # days from 10-01: some fall outside the span
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=0, max_value=50_000),
    st.integers(min_value=0, max_value=50_000),
)


@cache
def report_without_refused_sales() -> dict[str, Any]:
    """The month's report with no refused sale: the same for every example below, so made
    once (each report is some 25 ms of CPU in pandas); no example changes it, nor its inputs."""
    return sustainability.report(OCT_1, OCT_31, MEALS, DAYS, BOOKS)


@given(st.lists(SALE, max_size=12))
def test_refused_sales_add_their_cash_to_revenue_and_nothing_else(sales):
    rows = [
        (c, (OCT_1 + timedelta(days=d)).isoformat(), n, cash, op) for c, d, n, cash, op in sales
    ]
    inside = [row for row in rows if OCT_1 <= date.fromisoformat(row[1]) <= OCT_31]
    without = report_without_refused_sales()
    r = sustainability.report(OCT_1, OCT_31, MEALS, DAYS, BOOKS, refused=refused(*rows))
    cash = sum(row[3] for row in inside)
    assert r["diner_paid_fen"] == without["diner_paid_fen"] + cash
    assert r["revenue_fen"] == without["revenue_fen"] + cash
    assert r["offline_refused_fen"] == sum(row[4] for row in inside)
    assert r["offline_refused_sales"] == sum(row[2] for row in inside)
    for same in ("meals", "subsidy_fen", "operator_discount_fen", "grant_fen", "cost_fen"):
        assert r[same] == without[same]
    for figure in ("offline_refused_fen", "offline_refused_sales", "diner_paid_fen"):
        assert sum(c[figure] for c in r["canteens"]) == r[figure]
        assert sum(m[figure] for m in r["months"]) == r[figure]
    assert sum(d["offline_refused_fen"] for d in r["days"]) == r["offline_refused_fen"]
