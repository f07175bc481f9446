"""The ``not_home`` alert kind (a delivery found no one at an elder's door) in ``ck_alert_kind``.

Letting one more kind through only loosens the check, and every stored row still passes it, so
on SQLite the table's definition is edited in ``sqlite_master`` as migration 11 did for
``ck_user_role`` (``writable_schema``, then the schema version bumped); PostgreSQL drops and
adds the check. The models do not change: the state is the previous migration's.
"""

import importlib.util
from pathlib import Path

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

KINDS_BEFORE = "('low_balance', 'missed_meal')"
KINDS_AFTER = "('low_balance', 'missed_meal', 'not_home')"


def _postgres(kinds: str) -> str:
    return f"""
ALTER TABLE "alert" DROP CONSTRAINT "ck_alert_kind";
ALTER TABLE "alert" ADD CONSTRAINT "ck_alert_kind" CHECK ("kind" IN {kinds});
"""


async def _sqlite(db: BaseDBAsyncClient, before: str, after: str) -> str:
    rows = await db.execute_query_dict("PRAGMA schema_version")
    version = int(next(iter(rows[0].values())))
    old, new = (f'"kind" IN {kinds}'.replace("'", "''") for kinds in (before, after))
    return f"""
PRAGMA writable_schema = ON;
UPDATE "sqlite_master" SET "sql" = replace("sql", '{old}', '{new}')
 WHERE "type" = 'table' AND "name" = 'alert';
PRAGMA schema_version = {version + 1};
PRAGMA writable_schema = OFF;
"""  # noqa: S608 (the module's constants and an integer)


async def upgrade(db: BaseDBAsyncClient) -> str:
    if db.capabilities.dialect == "sqlite":
        return await _sqlite(db, KINDS_BEFORE, KINDS_AFTER)
    return _postgres(KINDS_AFTER)


async def downgrade(db: BaseDBAsyncClient) -> str:
    """Only while no ``not_home`` alert is stored (the check would refuse them)."""
    if db.capabilities.dialect == "sqlite":
        return await _sqlite(db, KINDS_AFTER, KINDS_BEFORE)
    return _postgres(KINDS_BEFORE)


def _previous_models_state() -> str:
    here = Path(__file__)
    number = int(here.name.split("_")[0])
    earlier = [p for p in here.parent.glob("[0-9]*_*.py") if int(p.name.split("_")[0]) < number]
    path = max(earlier, key=lambda p: int(p.name.split("_")[0]))
    spec = importlib.util.spec_from_file_location("previous_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.MODELS_STATE)


MODELS_STATE = _previous_models_state()
