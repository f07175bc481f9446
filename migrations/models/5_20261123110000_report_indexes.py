"""An index for the reports: a span of days' live meals, with what the reports read of them.

``ix_meal_live_day`` holds only the live meals (``voided_at IS NULL``), ordered by local date,
and carries the columns the report loaders read: ``reports.loaders.diner_detail`` (the claim's
per-diner sheet) finds a month's live meals in it and joins their subsidy lines by meal id,
and ``reports.loaders.meal_days`` (the sustainability report) sums them per canteen and day
without reading the table. Without it, both read every meal ever sold (the figures on 10M
meals are in docs/reports.md, "Benchmarks").

SQLite keeps the rowid (the meal's id) in every index, and SQLite 3.40 uses a partial index as
a covering one only if it holds every column the query names, ``voided_at`` of the WHERE
included (always NULL here, one byte a row); PostgreSQL carries the columns as INCLUDE. It is
a partial index, which Tortoise's models cannot declare (and the schema test leaves out of its
comparison with the models); the models did not change, so the models' state is the previous
migration's.
"""

import importlib.util
from pathlib import Path

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {
    "sqlite": """
CREATE INDEX "ix_meal_live_day" ON "meal" ("local_date", "canteen_id", "diner_id", "price_fen", "pay_fen", "subsidy_fen", "operator_subsidy_fen", "manual_reason", "voided_at") WHERE "voided_at" IS NULL;
""",
    "postgres": """
CREATE INDEX "ix_meal_live_day" ON "meal" ("local_date", "canteen_id") INCLUDE ("id", "diner_id", "price_fen", "pay_fen", "subsidy_fen", "operator_subsidy_fen", "manual_reason") WHERE "voided_at" IS NULL;
""",
}

DOWNGRADE = """
DROP INDEX IF EXISTS "ix_meal_live_day";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


def _previous_models_state() -> str:
    path = next(Path(__file__).parent.glob("4_*.py"))
    spec = importlib.util.spec_from_file_location("previous_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.MODELS_STATE)


MODELS_STATE = _previous_models_state()
