"""Volunteers' points (红马甲积分): ``points_balance`` (one row per volunteer) and
``points_entry`` (the append-only ledger).

A credit names the delivered stop or the handled alert that earned it, and ``stop_id`` and
``alert_id`` are unique, so a stop or an alert credits once however often it is reported;
``ck_points_entry_source`` holds every row to that (a ``delivery`` credit names a stop, an
``alert`` credit an alert, both positive; a ``redeem`` names neither, is negative and says what
was given). ``ck_points_balance_not_negative`` keeps a balance at or above zero whatever a
redemption races.

The models' state is the previous migration's with the two new models put in (composed, as
migration 11's, because migrations are written in parallel).
"""

import importlib.util
from pathlib import Path

from aerich.utils import compress_dict, decompress_dict
from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

SOURCE = (
    """("kind" = 'delivery' AND "stop_id" IS NOT NULL AND "alert_id" IS NULL AND "points" > 0)"""
    """ OR ("kind" = 'alert' AND "alert_id" IS NOT NULL AND "stop_id" IS NULL AND "points" > 0)"""
    """ OR ("kind" = 'redeem' AND "stop_id" IS NULL AND "alert_id" IS NULL AND "points" < 0"""
    """ AND "item" <> '')"""
)
KINDS = "('delivery', 'alert', 'redeem')"

UPGRADE = {
    "sqlite": f"""
CREATE TABLE "points_balance" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "balance" BIGINT NOT NULL,
    "volunteer_id" INT NOT NULL UNIQUE REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_points_balance_not_negative" CHECK ("balance" >= 0)
);
CREATE TABLE "points_entry" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "points" BIGINT NOT NULL,
    "item" VARCHAR(100) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "canteen_id" INT REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "recorded_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "volunteer_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    "stop_id" BIGINT UNIQUE REFERENCES "delivery_stop" ("id") ON DELETE RESTRICT,
    "alert_id" INT UNIQUE REFERENCES "alert" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_points_entry_kind" CHECK ("kind" IN {KINDS}),
    CONSTRAINT "ck_points_entry_source" CHECK ({SOURCE})
);
CREATE INDEX "idx_points_entr_volunte_458b78" ON "points_entry" ("volunteer_id", "id");
CREATE INDEX "idx_points_entr_at_45ee95" ON "points_entry" ("at");
""",
    "postgres": f"""
CREATE TABLE "points_balance" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "balance" BIGINT NOT NULL,
    "volunteer_id" INT NOT NULL UNIQUE REFERENCES "user" ("id") ON DELETE RESTRICT
);
ALTER TABLE "points_balance" ADD CONSTRAINT "ck_points_balance_not_negative" CHECK ("balance" >= 0);
CREATE TABLE "points_entry" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(8) NOT NULL,
    "points" BIGINT NOT NULL,
    "item" VARCHAR(100) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "canteen_id" INT REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "recorded_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "volunteer_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    "stop_id" BIGINT UNIQUE REFERENCES "delivery_stop" ("id") ON DELETE RESTRICT,
    "alert_id" INT UNIQUE REFERENCES "alert" ("id") ON DELETE RESTRICT
);
ALTER TABLE "points_entry" ADD CONSTRAINT "ck_points_entry_kind" CHECK ("kind" IN {KINDS});
ALTER TABLE "points_entry" ADD CONSTRAINT "ck_points_entry_source" CHECK ({SOURCE});
CREATE INDEX "idx_points_entr_volunte_458b78" ON "points_entry" ("volunteer_id", "id");
CREATE INDEX "idx_points_entr_at_45ee95" ON "points_entry" ("at");
""",
}

DOWNGRADE = """
DROP TABLE "points_entry";
DROP TABLE "points_balance";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS = (
    "eJztmG1v2jAQgP+KlS/rpK6iQAvrPlFKVzSNVjTbpFZVZJIjRCQ2dZxSVPHfZzuEJARoWA"
    "EB2heU3Itfnrv4Dr9pHrXA9U/uqEO4f4ldTEzQLtCbRrAnH+YbHCMNDwaxWgo47rjKY6BM"
    "jU7CtuNzhk0utF3s+iBEFvgmcwbcoUT63BJAL9QNCAdgn3wUjnGBeA+QH3iIduWjwxAQzh"
    "zwj5HZw8QGC1HijlAHfMcChBGBoTIZnch5LWqKiR1ib26KgDjPARic2iC8mZjo8UmIHWLB"
    "K/jR66BvdB1wrRRZx5IDKLnBRwMlaxJ+rQzl6juGKdbrkdh4MOI9SqbWYgNSagMBhjnI4T"
    "kLJF4SuO4kHhHxcKWxSbjEhI8FXRy4MkjSO1xALNMMo3WrG/cN3TC0TAAjjwTwicikRAZf"
    "sla7t+USvhRPy5VytXRergoTtcyppDIOp47BhI4KT0vXxkqPOQ4tFOMYaiLr0mQvHXsh3I"
    "TT+4QjnssQR4KYcZz3EdDCZgl/LRZLpUqxUDqvnpUrlbNqYYo6q1rG/LL5XWIXBlR8w+En"
    "HsUh5j79soyV0nrWbT349z7D5ZnR7ScSXAo62OwPMbOMjIYW6dyPYUo3GxFxGupU/KiwNM"
    "UGFnwAk+P/lx8OsleRGEfZFknj+RkeTk/kTBKK7YtNA1cA2o17vd2si6ikYpBGLlVe0ZuV"
    "YIJttWu5PrmaVDFtyCKyuNaG6jyVFqaWueqsycByOKIMiQfwlO6bKGsvIGqf0MiKx1BIwJ"
    "pfR1cf4v06+ZiJg/gVNo8a5trTSlV02Vl/YIV0K8f84nLbF5vP8q/3MJtPP7Kf4S82tqky"
    "u8kQePjVcIHYvCdeq0vg/q616ze19lH1cxpwa6IoSk26oIbf9mq5Hftsr405kBRPHCgcvF"
    "VSOrLfXkpr2lYS+rRQyJHSwmphUitdmi7mWbZXgg93PJjPN/SYoWtNXE6ihz1M7yVw9eZP"
    "0XbUft7J4T3ff3YVp5rekJqiko5mpEfnM3GYDoL+NPUbJF/Rw22roXBSn9tMzRjb6Q+aXB"
    "MOODUIHRrYSjKJxJEoFVYTy8JNVmv+007/dGRNKu6uhHQ9/25jrAxMyiywjM5oNbRZx/94"
    "d/xP64GxxS4wvhrXpMta0nUXGvS1AfU5HczluawjTDgdDNEt9IOZ+5dcdyrXlIFjkx8w2v"
    "Ctym40Luu6V5nTR6yBbT0eab+KXF666e4pB9tET7C93N1TuNn+Kc+lYO6LWXksf/hO9gpc"
    "5wXY6H4y2D4d5XnjkKhfOTJcNRAf5lqLRjlEoMkea0P33OO/TAW7aA=="
)
"""aerich's description of ``PointsBalance`` and ``PointsEntry``."""


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


def _models_state() -> str:
    state = decompress_dict(_previous_models_state())
    state.update(decompress_dict(MODELS))
    return compress_dict(state)


MODELS_STATE = _models_state()
