"""The SQLite engine: Tortoise's own, with each transaction's statements run on the event loop.

Tortoise reaches SQLite through aiosqlite, which runs every statement on a thread of its own:
two thread switches per statement, and on a busy server the event loop's turn comes round
between them. A sale is a dozen statements, and SQLite runs one transaction at a time, so the
whole of that wait was spent holding the database: the till's throughput was the hops', not
SQLite's (15 hops a sale; a hop to the thread and back costs 0.2 to 1 ms on the test machine
whatever the statement).

Inside a transaction that already holds the write lock, a statement can wait for nothing:
``BEGIN IMMEDIATE`` takes the lock (on the thread, where ``busy_timeout`` may wait for another
process's writer without stalling the server), and in WAL mode no reader blocks a writer. So
the statements between BEGIN and COMMIT run at once on the loop's own thread, through the same
``sqlite3`` connection, while the COMMIT, which waits for the disk (``synchronous=FULL``),
goes back to the thread. Statements outside a transaction (reads, a report's queries) stay on
the thread: they may be long, and they must not stall the server.

``BEGIN IMMEDIATE`` (not Tortoise's deferred ``BEGIN``, which it also precedes with a COMMIT
that does nothing) also means a transaction that reads and then writes cannot fail with
SQLITE_BUSY half-way when another process (``canteen`` on the command line) wrote meanwhile:
it waits for its turn at the start instead. The cost: a transaction that only reads takes the
write lock too; in this one-process server they ran one at a time already.

Tortoise loads an engine as a module with a ``client_class`` (``canteen.db`` names this one).
"""

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite
from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import OperationalError

ENGINE = __name__
"""What ``canteen.db`` writes as the connection's ``engine``."""


class OnTheLoop:
    """The part of ``aiosqlite.Connection`` Tortoise's transactions use, each statement run on
    the calling thread (the event loop's) through the same ``sqlite3`` connection; COMMIT,
    ROLLBACK and a script (a migration's) go to aiosqlite's thread. Only ever used while the
    transaction holds the client's lock, so the thread is idle meanwhile and never runs a
    statement at the same time."""

    def __init__(self, threaded: aiosqlite.Connection) -> None:
        self.threaded = threaded
        self._db = threaded._conn

    @property
    def total_changes(self) -> int:
        return self._db.total_changes

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        self._db.execute(sql, parameters).close()

    async def execute_fetchall(
        self, sql: str, parameters: Sequence[Any] | None = None
    ) -> list[Any]:
        cursor = self._db.execute(sql, parameters or ())
        try:
            return cursor.fetchall()
        finally:
            cursor.close()

    async def execute_insert(self, sql: str, parameters: Sequence[Any]) -> tuple[int | None]:
        cursor = self._db.execute(sql, parameters)
        try:
            return (cursor.lastrowid,)
        finally:
            cursor.close()

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> None:
        self._db.executemany(sql, parameters).close()

    async def executescript(self, script: str) -> None:
        """On the thread: a migration's script may be long."""
        await self.threaded.executescript(script)

    async def commit(self) -> None:
        await self.threaded.commit()

    async def rollback(self) -> None:
        await self.threaded.rollback()


class Transaction(SqliteTransactionWrapper):
    """A transaction begun with ``BEGIN IMMEDIATE`` on aiosqlite's thread, its statements then
    run on the loop (``OnTheLoop``); its nested transactions are Tortoise's savepoints on it."""

    async def begin(self) -> None:
        await self._connection.execute("BEGIN IMMEDIATE")
        self._connection = OnTheLoop(self._connection)  # type: ignore[assignment]


class Client(SqliteClient):
    """Tortoise's SQLite client whose transactions are ``Transaction``s, and whose reads outside
    a transaction go to a second connection, read-only (``query_only``), with a thread of its own.

    In WAL mode a reader never waits for the writer: a till's scan (the caller's token, the
    card, the canteen) is read while another till's sale commits, as on PostgreSQL's pool; on
    the one connection it waited for that sale's COMMIT and its fsync. What a read sees is what
    was committed when it began, as on PostgreSQL. Anything but a SELECT (a write, a ``WITH``,
    a PRAGMA) goes to the writer.

    The writer's ``sqlite3`` connection is opened with ``check_same_thread=False``: it is made
    on aiosqlite's thread and a transaction's statements use it from the loop's."""

    _reader: aiosqlite.Connection | None = None

    async def create_connection(self, with_db: bool) -> None:
        """Tortoise's own, but for ``check_same_thread`` and the reader."""
        if self._connection:
            return
        self._connection = await self._open(check_same_thread=False)
        self._reader = await self._open(query_only="ON")
        await self._post_connect()

    async def _open(self, check_same_thread: bool = True, **more: str) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(
            self.filename, isolation_level=None, check_same_thread=check_same_thread
        )
        connection._conn.row_factory = sqlite3.Row
        for pragma, value in {**self.pragmas, **more}.items():
            await (await connection.execute(f"PRAGMA {pragma}={value}")).close()
        return connection

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
            self._reader = None
        await super().close()

    async def _read(self, query: str, values: list[Any] | None) -> list[Any] | None:
        """The rows of ``query`` from the reader if it is a SELECT, else None."""
        if not query.lstrip().startswith("SELECT"):
            return None
        if self._reader is None:
            await self.create_connection(with_db=True)
        assert self._reader is not None
        query = query.replace("\x00", "'||CHAR(0)||'")  # as Tortoise's own execute_query
        try:
            return list(await self._reader.execute_fetchall(query, values or []))
        except sqlite3.OperationalError as exc:
            raise OperationalError(exc) from exc

    async def execute_query(
        self, query: str, values: list[Any] | None = None
    ) -> tuple[int, Sequence[dict[str, Any]]]:
        rows = await self._read(query, values)
        if rows is None:
            return await super().execute_query(query, values)
        return len(rows), rows

    async def execute_query_dict(
        self, query: str, values: list[Any] | None = None
    ) -> list[dict[str, Any]]:
        rows = await self._read(query, values)
        if rows is None:
            return await super().execute_query_dict(query, values)
        return [dict(row) for row in rows]

    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(Transaction(self), self._lock)


client_class = Client
