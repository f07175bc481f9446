"""The month reads of the reports are served by the live-meal index (migration 5).

The per-diner read (the claim's per-diner sheet) and the meals per canteen and day (the
sustainability report) would otherwise read every meal ever sold; the benchmarks
(``benchmarks/reports.py``) show what that costs. Here: the databases' own plans for the
statements the loaders send.
"""

import re
from datetime import date
from typing import Any

from tortoise import Tortoise
from tortoise.transactions import in_transaction

from canteen import rawsql
from reports import loaders
from reports.loaders import Span

INDEX = "ix_meal_live_day"

SOLD_FOR_EIGHT_MONTHS = """
SET LOCAL session_replication_role = replica;
INSERT INTO "meal" ("canteen_id", "diner_id", "sold_by_id", "meal_type", "price_fen",
                    "subsidy_fen", "pay_fen", "operator_subsidy_fen", "payment", "local_date", "at")
SELECT 1 + g % 5, 1 + g % 500, 1, 'lunch', 1500, 300, 1200, 0, 'account',
       DATE '2025-06-01' + g / 84, TIMESTAMPTZ '2025-06-01 04:00+00' + (g / 84) * INTERVAL '1 day'
  FROM generate_series(1, 20000) AS g;
INSERT INTO "subsidy_line" ("meal_id", "rule", "label", "funder", "amount_fen", "pays")
SELECT "id", r, r, 'district', 150, 'diner' FROM "meal", (VALUES ('age80'), ('age60')) AS rules(r);
"""
"""PostgreSQL plans by the tables' statistics: over empty tables it took another partial index
on ``voided_at IS NULL`` (a diner's meals by time, migration 19) as cheap as this one. So the
plans are made over 20,000 meals of eight months with two lines each (the foreign keys'
triggers off, for rows that name no canteen), vacuumed and analysed as a live table is. The
month is then found in the index by its range; whether PostgreSQL reads the rows' columns from
the index alone or from the table's pages it points to depends on how those pages stand."""


async def _statements(monkeypatch: Any) -> list[tuple[str, dict[str, Any]]]:
    """What the two loaders send for a month, recorded on the way."""
    sent: list[tuple[str, dict[str, Any]]] = []
    read = loaders._read

    async def recording(sql: str, params: dict[str, Any], schema: dict[str, str]) -> Any:
        sent.append((sql, params))
        return await read(sql, params, schema)

    monkeypatch.setattr(loaders, "_read", recording)
    span = Span(date(2025, 10, 1), date(2025, 10, 31))
    await loaders.diner_detail(span)
    await loaders.meal_days(span)
    return sent


async def test_a_months_live_meals_are_read_from_the_index(database, monkeypatch):
    kind = "sqlite" if database.startswith("sqlite") else "postgres"
    conn = Tortoise.get_connection(kind)
    statements = await _statements(monkeypatch)
    assert len(statements) == 2
    if kind == "postgres":
        async with in_transaction(kind) as tx:
            await tx.execute_script(SOLD_FOR_EIGHT_MONTHS)
        await conn.execute_script('VACUUM ANALYZE "meal", "subsidy_line"')
    for sql, params in statements:
        if kind == "sqlite":
            text, values = rawsql.bind(kind, "EXPLAIN QUERY PLAN " + sql, params)
            plan = " | ".join(str(row[3]) for row in (await conn.execute_query(text, values))[1])
            assert f"USING COVERING INDEX {INDEX} (local_date>? AND local_date<?)" in plan, plan
        else:
            text, values = rawsql.bind(kind, "EXPLAIN " + sql, params)
            plan = " | ".join(
                row["QUERY PLAN"] for row in (await conn.execute_query(text, values))[1]
            )
            month = (
                "Index Cond: ((local_date >= '2025-10-01'::date)"
                " AND (local_date <= '2025-10-31'::date))"
            )
            assert re.search(
                rf"Index (Only )?Scan (using|on) {INDEX} .*? \| +{re.escape(month)}", plan
            ), plan
            assert "Seq Scan on meal" not in plan, plan
