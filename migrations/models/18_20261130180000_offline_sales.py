"""Sales a counter made offline, as the server applied them: ``offline_sale`` (issue 17).

One row per sale sent, unique by the key the counter made at the scan. The checks hold every
row to its outcome: a ``sold`` or ``reconciled`` sale names its meal, a ``refused`` one names
none; ``sold`` leaves the operator nothing to bear; every amount is whole fen, never negative.

The models' state is the previous migration's with the new model put in (composed, as
migration 11's, because migrations are written in parallel).
"""

import importlib.util
from pathlib import Path

from aerich.utils import compress_dict, decompress_dict
from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

OUTCOMES = "('sold', 'reconciled', 'refused')"
MEAL = """("outcome" = 'refused') = ("meal_id" IS NULL)"""
AMOUNTS = (
    """"price_fen" >= 0 AND "told_pay_fen" >= 0 AND "counter_subsidy_fen" >= 0"""
    """ AND "subsidy_fen" >= 0 AND "paid_fen" >= 0 AND "operator_fen" >= 0"""
    """ AND ("outcome" <> 'sold' OR "operator_fen" = 0)"""
)

UPGRADE = {
    "sqlite": f"""
CREATE TABLE "offline_sale" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(64) NOT NULL UNIQUE,
    "outcome" VARCHAR(12) NOT NULL,
    "reason" VARCHAR(40) NOT NULL,
    "payment" VARCHAR(8) NOT NULL,
    "made_at" TIMESTAMP NOT NULL,
    "synced_at" TIMESTAMP NOT NULL,
    "snapshot_issued_at" TIMESTAMP NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "told_pay_fen" BIGINT NOT NULL,
    "counter_subsidy_fen" BIGINT NOT NULL,
    "subsidy_fen" BIGINT NOT NULL,
    "paid_fen" BIGINT NOT NULL,
    "operator_fen" BIGINT NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "diner_id" INT REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "meal_id" BIGINT REFERENCES "meal" ("id") ON DELETE RESTRICT,
    "sold_by_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_offline_sale_outcome" CHECK ("outcome" IN {OUTCOMES}),
    CONSTRAINT "ck_offline_sale_meal" CHECK ({MEAL}),
    CONSTRAINT "ck_offline_sale_amounts" CHECK ({AMOUNTS})
);
CREATE INDEX "idx_offline_sal_canteen_c6b558" ON "offline_sale" ("canteen_id", "made_at");
""",
    "postgres": f"""
CREATE TABLE "offline_sale" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(64) NOT NULL UNIQUE,
    "outcome" VARCHAR(12) NOT NULL,
    "reason" VARCHAR(40) NOT NULL,
    "payment" VARCHAR(8) NOT NULL,
    "made_at" TIMESTAMPTZ NOT NULL,
    "synced_at" TIMESTAMPTZ NOT NULL,
    "snapshot_issued_at" TIMESTAMPTZ NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "told_pay_fen" BIGINT NOT NULL,
    "counter_subsidy_fen" BIGINT NOT NULL,
    "subsidy_fen" BIGINT NOT NULL,
    "paid_fen" BIGINT NOT NULL,
    "operator_fen" BIGINT NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "diner_id" INT REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "meal_id" BIGINT REFERENCES "meal" ("id") ON DELETE RESTRICT,
    "sold_by_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT
);
ALTER TABLE "offline_sale" ADD CONSTRAINT "ck_offline_sale_outcome" CHECK ("outcome" IN {OUTCOMES});
ALTER TABLE "offline_sale" ADD CONSTRAINT "ck_offline_sale_meal" CHECK ({MEAL});
ALTER TABLE "offline_sale" ADD CONSTRAINT "ck_offline_sale_amounts" CHECK ({AMOUNTS});
CREATE INDEX "idx_offline_sal_canteen_c6b558" ON "offline_sale" ("canteen_id", "made_at");
""",
}

DOWNGRADE = """
DROP TABLE "offline_sale";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS = (
    "eJztmW9v2joUxr9KlFe70r0VTRmw7VVvx+7QVdupzTap1WSZ+BCsJnYWO+vQxHef7STkD4"
    "ELEeIWxCvgnPM49u8xtpP8skNOIBBnt5NJQBnc4wDst9Yvm+FQf2lK/2nZOIqKpA5IPDZC"
    "m6eFSOSVYyFj7EmVm+BAgAoREF5MI0k504pbBpautkJMwMr0FmbEEsCkJbklp6oC4h8Qv7"
    "MYqA8LCJVALM48sJ5jKiWwM301wj11Ocr8XTecMPo9ASS5D0oUq+Yfv6kwZQR+gtA/H20P"
    "MwnAECVaoS+KsLS/6broCU0oBKSCNq0zcSRnkYn9Tf0Rkx9MrR7PGHk8SEJW1EczOeVsIa"
    "BM6qgPDGKsuq5iMk40ZpYEQeZKTj4dRVGSdr+kITDBSaDN0uq0A0XMRujm1kX3Qxche8nI"
    "XFGyIAt5nOlJoLoqDABfd+GvN45zcdF3Ohe9wetuv/960BmoWtPf5VR/nnamoJU2ZZiN/h"
    "nduLpDXM20dBrqwNxosMSpyrhU0H+C2TL+qymOm+Fn5TX6alh1+jnrl4s/xD9RAMyXU/Wz"
    "111D9svl3dXHy7tXve4fVbw3WcYxKQ26AMsT6fEQtoFbkuwGcB4oCBeLz94RnzsbID53Vi"
    "LWqSriGLBQPdqCcKHYH2Db3gvebmcDvN3OSrw6VcUb4VkI6bq6Kd+S5Ahn8GADwoOVgAd1"
    "vvnWuMT3vQIkaQjNjEuyGmOS6c7yLwdIfA1id3Q9vHcvrz+Zc4UQ3wMD69Id6oxjorNa9F"
    "Wv5seiEevryP1o6Z/Ww+3N0ODkQvqxuWJR5z7Yuk84kRwx/owwKTPJw3moYrCYqfMTaWFx"
    "RXgy+WWbzHAkplwiKkTSzu3GFk62v2jbo5h6gCbQcPxYd/NSkf33PcwBmLrP25gCv+RKqE"
    "4b2ztQV55MaG2CxxN1qx8jkYwFJS28WNHAyZLWlrS24n+zoHNU/CNMSYtdoaQ6kW9Hnkca"
    "EI+3p19XnhxouR1UHvxW+a/eAiqiY1r5nfNuvzu46HUX0BeRdayXuRKqhr8d1bKkFdPsSe"
    "yxIg0BB41E160TJdERMd33AUUfv8ez7aZzVXRaJDKu+pXa5KnxtU62rC4z/sBjoD77F2YG"
    "9Uh1CjOv6Z1D9srzqmjpwBDP82mUR4v/YIyfF28ia1uQIqDGDdIwuBveu3ejK9dumsM7gP"
    "tZwCE+Ft+UbPV/uwFZs2/tgOv7vJ3DWpI35Vre3jegqjeuHUC9zpo5Tqal3X0FUr3cjrH3"
    "9IxjdbdWXnd1hju8FlnULqdCJ6xHMMO+oaOHMZ//BrkO950="
)
"""aerich's description of ``OfflineSale``."""


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
