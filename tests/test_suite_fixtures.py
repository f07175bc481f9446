"""The suite's own fixtures: a PostgreSQL database emptied between tests is as the migration
left it, whichever way ``tests/conftest.py`` empties it (deleting the rows written, or, once a
table has grown, a TRUNCATE of every table)."""

import asyncpg
import pytest

from canteen.canteens import service as canteens
from canteen.roles import SYSTEM
from tests.conftest import GROWN_HEAP, _empty_postgres, make_user

pytestmark = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)


async def _fetch(url: str, sql: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return await conn.fetch(sql)
    finally:
        await conn.close()


async def _rows_and_planner_counts(url: str) -> dict[str, tuple[int, float]]:
    """table -> (rows, the planner's row count: -1 while never vacuumed nor analysed)."""
    tables = await _fetch(
        url,
        "SELECT c.relname, c.reltuples FROM pg_class c"
        " WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace",
    )
    counts = {}
    for name, reltuples in tables:
        [(rows,)] = await _fetch(url, f'SELECT count(*) FROM "{name}"')
        counts[name] = (rows, reltuples)
    return counts


async def _open_a_canteen() -> int:
    canteen = await canteens.create_canteen(
        SYSTEM, name="东山长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    return canteen.id


async def test_an_emptied_database_holds_no_row_and_numbers_from_one_again(database):
    migrations = await _fetch(database, "SELECT * FROM aerich ORDER BY id")
    await make_user("admin")
    assert await _open_a_canteen() == 1
    assert await _open_a_canteen() == 2

    await _empty_postgres(database)

    counts = await _rows_and_planner_counts(database)
    assert {name: rows for name, (rows, _) in counts.items() if name != "aerich"} == {
        name: 0 for name in counts if name != "aerich"
    }
    assert await _fetch(database, "SELECT * FROM aerich ORDER BY id") == migrations
    assert {reltuples for _, reltuples in counts.values()} == {-1}, "never vacuumed, as migrated"
    assert await _open_a_canteen() == 1


async def test_a_table_grown_past_eight_pages_is_truncated_with_all_the_others(database):
    await make_user("admin")
    first = await _open_a_canteen()
    conn = await asyncpg.connect(database.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(
            "INSERT INTO canteen (name, district, street, timezone, address, meal_windows,"
            " created_at) SELECT repeat('饭', 90), '', '', 'Asia/Shanghai', '', '{}', now()"
            " FROM generate_series(1, 400)"
        )
        grown = await conn.fetchval("SELECT pg_relation_size('canteen')")
    finally:
        await conn.close()
    assert grown >= GROWN_HEAP and first == 1

    await _empty_postgres(database)

    sizes = await _fetch(
        database,
        "SELECT relname, pg_relation_size(oid) FROM pg_class"
        " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace AND relname <> 'aerich'",
    )
    assert {name: size for name, size in sizes if size} == {}, "every table afresh"
    assert await _open_a_canteen() == 1
