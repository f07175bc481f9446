"""Hand-written SQL that runs on SQLite and PostgreSQL alike, through Tortoise's connection.

Statements are written once with ``:name`` parameters; :func:`bind` turns them into the
driver's own (``?`` for SQLite, ``$1`` for asyncpg) and passes dates as each driver wants them
(ISO text for SQLite, where Tortoise stores them as text; ``date`` objects for asyncpg). The
connection comes from a model (``Meal._meta.db``), so inside ``in_transaction()`` the statement
runs in that transaction.

>>> bind("sqlite", 'SELECT 1 FROM "meal" WHERE "local_date" >= :day', {"day": date(2026, 11, 1)})
('SELECT 1 FROM "meal" WHERE "local_date" >= ?', ['2026-11-01'])
>>> bind("postgres", "SELECT :a, :b, :a", {"a": 1, "b": 2})
('SELECT $1, $2, $1', [1, 2])
"""

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from tortoise import BaseDBAsyncClient

_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")


def dialect(conn: BaseDBAsyncClient) -> str:
    """``sqlite`` or ``postgres``."""
    return str(conn.capabilities.dialect)


def _value(kind: str, value: Any) -> Any:
    if kind == "sqlite" and isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    return value


def bind(kind: str, sql: str, params: Mapping[str, Any]) -> tuple[str, list[Any]]:
    """The statement in the driver's parameter style, with its values in order."""
    values: list[Any] = []
    positions: dict[str, int] = {}

    def place(match: re.Match[str]) -> str:
        name = match.group(1)
        if kind == "sqlite":
            values.append(_value(kind, params[name]))
            return "?"
        if name not in positions:
            values.append(_value(kind, params[name]))
            positions[name] = len(values)
        return f"${positions[name]}"

    return _PARAM.sub(place, sql), values


async def fetch(
    conn: BaseDBAsyncClient, sql: str, params: Mapping[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    """Every row, as tuples in the order the statement selects its columns."""
    text, values = bind(dialect(conn), sql, params or {})
    _, rows = await conn.execute_query(text, values)
    # The drivers' rows (asyncpg's Record, sqlite3.Row), whatever Tortoise's signature says;
    # tuple() of a tuple is the tuple itself.
    return [tuple(row) for row in rows]


async def execute(
    conn: BaseDBAsyncClient, sql: str, params: Mapping[str, Any] | None = None
) -> int:
    """Run one statement; the number of rows it changed."""
    text, values = bind(dialect(conn), sql, params or {})
    count, _ = await conn.execute_query(text, values)
    return int(count)
