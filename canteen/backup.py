"""Backing up and restoring the embedded SQLite database while it is in use.

SQLite's online backup API copies the database page by page inside read transactions, so the
copy is a consistent snapshot even while the server keeps selling: every sale is in it whole
or not at all. PostgreSQL has its own tools (``pg_dump``, base backups); this module refuses
a PostgreSQL URL rather than pretend.
"""

import sqlite3
from collections.abc import Callable
from pathlib import Path

from canteen.errors import InvalidInput

PAGES_PER_STEP = 256


def sqlite_path(database_url: str) -> Path:
    if not database_url.startswith("sqlite://"):
        raise InvalidInput.on(
            "CANTEEN_DATABASE_URL", "backup and restore are for SQLite; use pg_dump for PostgreSQL"
        )
    return Path(database_url.removeprefix("sqlite://"))


def _intact(conn: sqlite3.Connection) -> bool:
    try:
        return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
    except sqlite3.DatabaseError:
        return False


def _copy(
    source: sqlite3.Connection,
    target: sqlite3.Connection,
    progress: Callable[[int, int], None] | None,
) -> None:
    def report(status: int, remaining: int, total: int) -> None:
        if progress is not None:
            progress(total - remaining, total)

    source.backup(target, pages=PAGES_PER_STEP, progress=report)


def backup(
    database_url: str, destination: Path, progress: Callable[[int, int], None] | None = None
) -> Path:
    """Write a consistent copy of the live database to ``destination`` (a new file)."""
    source_path = sqlite_path(database_url)
    if not source_path.exists():
        raise InvalidInput.on("CANTEEN_DATABASE_URL", f"no database at {source_path}")
    if destination.exists():
        raise InvalidInput.on("file", f"{destination} exists; choose a new file")
    destination.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(destination)
    try:
        _copy(source, target, progress)
        if not _intact(target):
            raise RuntimeError("the copy failed SQLite's integrity check")
    finally:
        target.close()
        source.close()
    return destination


def restore(
    backup_file: Path, database_url: str, progress: Callable[[int, int], None] | None = None
) -> Path:
    """Bring a backup back as the database (stop the server first: it holds the old file)."""
    target_path = sqlite_path(database_url)
    if not backup_file.is_file():
        raise InvalidInput.on("file", f"no backup at {backup_file}")
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        if not _intact(source):
            raise InvalidInput.on("file", f"{backup_file} is damaged (integrity check failed)")
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(target_path)
        try:
            _copy(source, target, progress)
        finally:
            target.close()
    finally:
        source.close()
    return target_path
