"""Months and spans (``canteen.periods``) and dialect-neutral SQL (``canteen.rawsql``)."""

from datetime import date, datetime

import pytest

from canteen import periods, rawsql


def test_month_spans_and_the_months_a_span_touches():
    assert periods.month_span("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert periods.month_span("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))
    assert periods.months_in(date(2026, 11, 30), date(2027, 1, 1)) == [
        "2026-11",
        "2026-12",
        "2027-01",
    ]
    assert periods.days_in(date(2026, 10, 1), date(2026, 10, 31)) == 31
    for bad in ("2026-13", "2026-1", "26-10", "2026-00"):
        with pytest.raises(ValueError):
            periods.month_span(bad)


def test_named_parameters_become_each_drivers_own():
    sql = 'SELECT 1 FROM "meal" WHERE "local_date" >= :start AND "canteen_id" = :c OR :start < 1'
    params = {"start": date(2026, 11, 1), "c": 3}
    assert rawsql.bind("sqlite", sql, params) == (
        'SELECT 1 FROM "meal" WHERE "local_date" >= ? AND "canteen_id" = ? OR ? < 1',
        ["2026-11-01", 3, "2026-11-01"],
    )
    assert rawsql.bind("postgres", sql, params) == (
        'SELECT 1 FROM "meal" WHERE "local_date" >= $1 AND "canteen_id" = $2 OR $1 < 1',
        [date(2026, 11, 1), 3],
    )
    moment = datetime(2026, 11, 1, 12)
    assert rawsql.bind("sqlite", "SELECT :t", {"t": moment}) == ("SELECT ?", [moment])
    assert rawsql.bind("postgres", "SELECT 'a'::text, :x", {"x": 1}) == (
        "SELECT 'a'::text, $1",
        [1],
    )
