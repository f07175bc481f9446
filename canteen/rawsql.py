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
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any, TypeVar

from tortoise import BaseDBAsyncClient
from tortoise.models import Model

M = TypeVar("M", bound=Model)

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
    text, names = _translated(kind, sql)
    return text, [_value(kind, params[name]) for name in names]


@lru_cache(maxsize=512)
def _translated(kind: str, sql: str) -> tuple[str, tuple[str, ...]]:
    """A statement in the driver's style and the names of its values in order; each
    statement is translated once per process (the sale runs a dozen on every request)."""
    names: list[str] = []
    positions: dict[str, int] = {}

    def place(match: re.Match[str]) -> str:
        name = match.group(1)
        if kind == "sqlite":
            names.append(name)
            return "?"
        if name not in positions:
            names.append(name)
            positions[name] = len(names)
        return f"${positions[name]}"

    return _PARAM.sub(place, sql), tuple(names)


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


Statement = tuple[str, Mapping[str, Any]]
"""A hand-written statement with ``:name`` parameters, and their values."""


async def execute_together(conn: BaseDBAsyncClient, statements: Sequence[Statement]) -> None:
    """Run writes whose results nobody reads (no ``WITH`` of their own, no ``RETURNING``).

    On PostgreSQL in one round trip: each becomes a data-modifying ``WITH`` of one statement,
    run once and to completion, all in one snapshot, so they must not touch each other's
    rows; an error in any of them fails all. SQLite runs them in turn (inside a transaction
    its statements run on the event loop: there is no round trip to save).
    """
    if dialect(conn) != "postgres" or len(statements) < 2:
        for sql, params in statements:
            await execute(conn, sql, params)
        return
    merged = {
        f"w{i}_{name}": value
        for i, (_, params) in enumerate(statements)
        for name, value in params.items()
    }
    await execute(conn, _together(tuple(sql for sql, _ in statements)), merged)


@lru_cache(maxsize=64)
def _together(statements: tuple[str, ...]) -> str:
    """``WITH "w0" AS (..), "w1" AS (..) SELECT 1``, each statement's names prefixed ``w{i}_``."""
    parts = []
    for i, sql in enumerate(statements):
        if sql.lstrip().upper().startswith("WITH") or "RETURNING" in sql.upper():
            raise ValueError(f"not a plain write, cannot run together: {sql[:60]}")
        prefixed = _PARAM.sub(rf":w{i}_\1", sql)
        parts.append(f'"w{i}" AS ({prefixed})')
    return f"WITH {', '.join(parts)} SELECT 1"


def inserting(model: type[Model], values: Mapping[str, Any]) -> Statement:
    """The insert of one new row of ``model`` (see ``row_of``), its values named after their
    columns: to run alone (``execute``) or with other writes (``execute_together``)."""
    row = row_of(model, values)
    return _insert_named(model._meta.db_table, tuple(row)), row


@cache
def _insert_named(table: str, columns: tuple[str, ...]) -> str:
    named = ", ".join(f":{c}" for c in columns)
    return f'INSERT INTO "{table}" ({_names(columns)}) VALUES ({named})'  # noqa: S608


async def returning(
    conn: BaseDBAsyncClient, sql: str, params: Mapping[str, Any] | None = None
) -> list[tuple[Any, ...]]:
    """The rows an ``INSERT``/``UPDATE .. RETURNING`` gives back (SQLite >= 3.35 and
    PostgreSQL): through ``execute_query_dict``, as Tortoise's asyncpg client drops them when
    called through ``execute_query``."""
    text, values = bind(dialect(conn), sql, params or {})
    return [tuple(row.values()) for row in await conn.execute_query_dict(text, values)]


async def insert(
    conn: BaseDBAsyncClient, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert ``rows`` (values in the order of ``columns``) in one statement; the new rows'
    ids (of several rows, in no promised order: SQLite's RETURNING promises none).

    Values go to the driver as the ORM hands them over: datetimes as they are (Tortoise's
    SQLite adapter writes them as the ORM does), dates as ISO text on SQLite.
    """
    if not rows:
        return []
    kind = dialect(conn)
    width = len(columns)
    if kind == "sqlite":
        marks = ", ".join(["(" + ", ".join("?" * width) + ")"] * len(rows))
    else:
        marks = ", ".join(
            "(" + ", ".join(f"${n * width + i + 1}" for i in range(width)) + ")"
            for n in range(len(rows))
        )
    names = ", ".join(f'"{c}"' for c in columns)
    text = f'INSERT INTO "{table}" ({names}) VALUES {marks} RETURNING "id"'  # noqa: S608
    values = [_value(kind, value) for row in rows for value in row]
    return [int(row["id"]) for row in await conn.execute_query_dict(text, values)]


Children = tuple[str, str, Sequence[str], Sequence[Sequence[Any]]]
"""Rows that point to a row being inserted: their table, the column that holds the new row's
id, their other columns, and their values in that order."""


async def insert_with(
    conn: BaseDBAsyncClient,
    table: str,
    row: Mapping[str, Any],
    children: Sequence[Children],
) -> int:
    """Insert one row (by column) and the rows that point to it; the new row's id.

    On PostgreSQL in one statement: the row's ``INSERT .. RETURNING "id"`` in a ``WITH``, each
    child table's rows inserted by its own data-modifying ``WITH`` that reads the id from it
    (every part runs once, whether or not the final ``SELECT`` reads it; a collision in any
    part fails the whole statement). SQLite has no ``INSERT`` inside a ``WITH``: one statement
    per table. Values as ``insert`` hands them over.
    """
    children = [child for child in children if child[3]]
    if dialect(conn) != "postgres":
        [new_id] = await insert(conn, table, list(row), [list(row.values())])
        for child, parent, columns, rows in children:
            await insert(conn, child, (parent, *columns), [(new_id, *r) for r in rows])
        return new_id
    values: list[Any] = []

    def marks(more: Sequence[Any]) -> str:
        """``$n, ..`` for ``more``, numbered after the values already placed."""
        start = len(values)
        values.extend(more)
        return ", ".join(f"${start + i + 1}" for i in range(len(more)))

    parent_values = marks(list(row.values()))
    new = f'INSERT INTO "{table}" ({_names(row)}) VALUES ({parent_values}) RETURNING "id"'  # noqa: S608
    parts = [f'"new" AS ({new})']
    for n, (child, parent, columns, rows) in enumerate(children):
        tuples = ", ".join(f'((SELECT "id" FROM "new"), {marks(r)})' for r in rows)  # noqa: S608
        names = _names((parent, *columns))
        parts.append(f'"child{n}" AS (INSERT INTO "{child}" ({names}) VALUES {tuples})')  # noqa: S608
    text = f'WITH {", ".join(parts)} SELECT "id" FROM "new"'  # noqa: S608
    [result] = await conn.execute_query_dict(text, values)
    return int(result["id"])


def _names(columns: Iterable[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


@cache
def db_columns(model: type[Model]) -> tuple[str, ...]:
    """The model's columns, in the order ``selected`` lists them and ``instance`` reads them."""
    return tuple(model._meta.fields_db_projection.values())


def selected(model: type[Model], alias: str) -> str:
    """``"alias"."col", ...``: every column of ``model``, for a hand-written SELECT whose rows
    ``instance`` turns back into models."""
    return ", ".join(f'"{alias}"."{c}"' for c in db_columns(model))


def instance(model: type[M], values: Sequence[Any]) -> M:
    """A model read from the database by hand: the same instance the ORM's own SELECT would
    make from the same row (Tortoise's ``_init_from_db`` converts each column as it does),
    without the ORM building the statement. ``values`` in ``db_columns`` order."""
    return model._init_from_db(**dict(zip(db_columns(model), values, strict=True)))


def attach(parent: Model, relation: str, child: Model | None) -> None:
    """Set a relation read in the same statement (``card.diner``, ``diner.account``), as the
    ORM's ``select_related`` does, so reading it costs no query."""
    object.__setattr__(parent, f"_{relation}", child)


def row_of(model: type[Model], values: Mapping[str, Any]) -> dict[str, Any]:
    """A new row of ``model`` by column (``{"diner_id": 3, ...}``, the id left out), as the
    ORM would write it: each column's value through its field's ``to_db_value`` (JSON as
    text, ...), and a column not given takes its field's default, as ``Model.create`` does
    (an ``auto_now``/``auto_now_add`` time is not filled in here: give it)."""
    meta = model._meta
    row: dict[str, Any] = {}
    for column in db_columns(model):
        if column == meta.db_pk_column:
            continue
        field = meta.fields_map[meta.fields_db_projection_reverse[column]]
        if column in values:
            value = values[column]
        else:
            value = field.default() if callable(field.default) else field.default
        row[column] = field.to_db_value(value, model)
    return row


async def create(model: type[M], values: Mapping[str, Any]) -> M:
    """Insert one row of ``model`` (see ``row_of``) with a hand-written statement; the
    instance the ORM's ``create`` would have returned, without its statement building."""
    row = row_of(model, values)
    [new_id] = await insert(model._meta.db, model._meta.db_table, list(row), [list(row.values())])
    return from_row(model, new_id, row)


def from_row(model: type[M], new_id: int, row: Mapping[str, Any]) -> M:
    """The instance of a row just written (``row_of``) under the id the database gave it."""
    pk = model._meta.db_pk_column
    return instance(model, [new_id if c == pk else row[c] for c in db_columns(model)])
