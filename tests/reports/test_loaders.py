"""The month reads of the reports are served by the live-meal index (migration 5).

The per-diner read (the claim's per-diner sheet) and the meals per canteen and day (the
sustainability report) would otherwise read every meal ever sold; the benchmarks
(``benchmarks/reports.py``) show what that costs. Here: the databases' own plans for the
statements the loaders send.
"""

from datetime import date
from typing import Any

from tortoise import Tortoise
from tortoise.transactions import in_transaction

from canteen import rawsql
from reports import loaders
from reports.loaders import Span

INDEX = "ix_meal_live_day"


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
    for sql, params in statements:
        if kind == "sqlite":
            text, values = rawsql.bind(kind, "EXPLAIN QUERY PLAN " + sql, params)
            plan = " | ".join(str(row[3]) for row in (await conn.execute_query(text, values))[1])
            assert f"USING COVERING INDEX {INDEX} (local_date>? AND local_date<?)" in plan, plan
        else:  # an empty table is read whole; without that choice, the index serves alone
            async with in_transaction(kind) as tx:
                await tx.execute_script("SET LOCAL enable_seqscan = off")
                text, values = rawsql.bind(kind, "EXPLAIN " + sql, params)
                plan = " | ".join(
                    row["QUERY PLAN"] for row in (await tx.execute_query(text, values))[1]
                )
            assert f"Index Only Scan using {INDEX}" in plan, plan
