"""The SQLite engine (``canteen.db_sqlite``): a transaction's statements on the event loop, its
BEGIN IMMEDIATE and COMMIT on aiosqlite's thread, and what that promises."""

import asyncio
import shutil
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest
from tortoise.transactions import in_transaction

from canteen import db
from canteen.canteens.models import Canteen


@pytest.fixture
async def sqlite_file(tmp_path: Path, sqlite_template: str) -> AsyncIterator[Path]:
    path = tmp_path / "engine.sqlite3"
    shutil.copy(sqlite_template, path)
    async with db.database(f"sqlite://{path}"):
        yield path


async def _canteen(name: str) -> Canteen:
    return await Canteen.create(
        name=name, timezone="Asia/Shanghai", meal_windows={}, created_at=datetime.now(UTC)
    )


@contextmanager
def hops() -> Iterator[list[str]]:
    """The calls that go to aiosqlite's thread in the block, by the function's name."""
    calls: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = counted  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        aiosqlite.Connection._execute = original  # type: ignore[method-assign]


async def test_a_transactions_statements_make_no_hop_but_its_begin_and_commit(
    sqlite_file: Path,
) -> None:
    await _canteen("warm")  # the connection is open
    with hops() as calls:
        async with in_transaction():
            for n in range(5):
                await _canteen(f"in one {n}")
            assert await Canteen.filter(name__startswith="in one").count() == 5
    assert len(calls) == 2, calls  # BEGIN IMMEDIATE, COMMIT
    with hops() as calls:
        assert await Canteen.filter(name__startswith="in one").count() == 5
    assert len(calls) == 1  # outside a transaction a read goes to the thread


async def test_a_failed_transaction_leaves_nothing_and_a_savepoint_undoes_its_part(
    sqlite_file: Path,
) -> None:
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await _canteen("rolled back")
            raise RuntimeError("the sale failed")
    async with in_transaction():
        await _canteen("kept")
        with pytest.raises(RuntimeError):
            async with in_transaction():  # a savepoint
                await _canteen("nested, undone")
                raise RuntimeError("the inner part failed")
    names = set(await Canteen.all().values_list("name", flat=True))
    assert names == {"kept"}


async def test_another_processs_writer_is_waited_for_at_begin_without_stalling_the_loop(
    sqlite_file: Path,
) -> None:
    """A writer on another connection (``canteen`` on the command line) holds the database
    for 0.3 s. A transaction begun meanwhile waits for it on aiosqlite's thread: it then reads
    and writes as one, and the event loop went on serving meanwhile."""
    held, release = threading.Event(), threading.Event()

    def other_writer() -> None:
        conn = sqlite3.connect(sqlite_file, timeout=5)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE canteen SET name = name")
        held.set()
        release.wait(5)
        conn.commit()
        conn.close()

    await _canteen("before")
    writer = threading.Thread(target=other_writer)
    writer.start()
    held.wait(5)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticker = asyncio.create_task(tick())
    threading.Timer(0.3, release.set).start()
    started = time.monotonic()
    async with in_transaction():
        count = await Canteen.all().count()
        await _canteen(f"after {count}")
    waited = time.monotonic() - started
    ticker.cancel()
    writer.join()
    assert waited >= 0.25  # it did wait for the other writer
    assert ticks >= 10  # and the loop turned meanwhile
    assert await Canteen.filter(name="after 1").exists()


async def test_a_transaction_that_read_is_not_overtaken_by_another_writer(
    sqlite_file: Path,
) -> None:
    """Begun IMMEDIATE, a transaction holds the write lock from its first read: a writer on
    another connection waits for its COMMIT. (Begun deferred, the other writer went first and
    this transaction's write then failed: "database is locked", with no retry.)"""
    await _canteen("first")
    done: list[str] = []

    def other_writer() -> None:
        conn = sqlite3.connect(sqlite_file, timeout=5)
        conn.execute("UPDATE canteen SET name = 'renamed by the other' WHERE name = 'first'")
        conn.commit()
        conn.close()
        done.append("other")

    async with in_transaction():
        assert await Canteen.filter(name="first").exists()
        writer = threading.Thread(target=other_writer)
        writer.start()
        await asyncio.sleep(0.2)
        assert done == []  # the other writer waits
        await _canteen("second")
        done.append("ours")
    await asyncio.to_thread(writer.join)
    assert done == ["ours", "other"]
    names = set(await Canteen.all().values_list("name", flat=True))
    assert names == {"renamed by the other", "second"}


async def test_a_read_outside_a_transaction_does_not_wait_for_an_open_one(
    sqlite_file: Path,
) -> None:
    """Reads outside a transaction have a read-only connection of their own: a till's scan is
    read while another till's sale holds the database, and sees what was committed before it
    (as on PostgreSQL); what the sale commits is seen by the next read."""
    await _canteen("committed")
    inside, read_done = asyncio.Event(), asyncio.Event()

    async def sale() -> None:
        async with in_transaction():
            await _canteen("being sold")
            inside.set()
            await asyncio.wait_for(read_done.wait(), 5)

    selling = asyncio.create_task(sale())
    await inside.wait()
    names = set(await Canteen.all().values_list("name", flat=True))
    read_done.set()
    await selling
    assert names == {"committed"}
    assert await Canteen.filter(name="being sold").exists()


async def test_the_reader_refuses_to_write(sqlite_file: Path) -> None:
    """The reader is ``query_only``: a write sent to it by mistake fails loudly instead of
    writing beside the writer's lock."""
    await _canteen("kept")
    reader = Canteen._meta.db._reader  # type: ignore[attr-defined]
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        await reader.execute("DELETE FROM canteen")
    assert await Canteen.filter(name="kept").exists()
