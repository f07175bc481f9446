"""Menus, orders ahead and home delivery: ``menu``, ``meal_order``, ``delivery_run`` and
``delivery_stop``; a canteen's ``order_cutoffs`` and ``delivery_fee_fen``; ``meal.order_id``
(the order a sale handed over); and the ``volunteer`` role (红马甲) in ``ck_user_role``.

A diner holds one open order (placed or fulfilled) per date and meal: the partial unique
index ``uq_meal_order_open`` refuses a second one even when two are placed at the same instant.
An order is fulfilled by exactly one meal: ``meal_order.meal_id`` is unique, and set (with the
status) only when it is fulfilled, which ``ck_meal_order_fulfilled`` holds to.

The new columns are added, never altered: a canteen's cut-offs default to breakfast at 18:00
the day before, lunch at 09:00 and dinner at 14:00 the same day, and its delivery fee to 0.

SQLite cannot change a CHECK in place, and rebuilding ``user`` (which a dozen tables reference
with ``ON DELETE RESTRICT``) would have to drop it while rows point at it. Letting one more role
through only loosens the check, and every stored row still passes it, so on SQLite the table's
definition is edited in ``sqlite_master`` (the procedure SQLite's documentation gives for
changes that leave the stored rows as they are: ``writable_schema``, then the schema version
bumped so every connection reads the new definition). PostgreSQL drops and adds the check.

The models' state is migration 10's with the new and changed models put in (composed, as
migration 10's, because migrations are written in parallel).
"""

import importlib.util
from pathlib import Path

from aerich.utils import compress_dict, decompress_dict
from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

ROLES_BEFORE = "('admin', 'staff', 'manager', 'cashier', 'family')"
ROLES_AFTER = "('admin', 'staff', 'manager', 'cashier', 'family', 'volunteer')"
CUTOFFS = '{"breakfast": "18:00 the day before", "lunch": "09:00", "dinner": "14:00"}'

UPGRADE = {
    "sqlite": f"""
ALTER TABLE "canteen" ADD COLUMN "order_cutoffs" JSON NOT NULL DEFAULT '{CUTOFFS}';
ALTER TABLE "canteen" ADD COLUMN "delivery_fee_fen" INT NOT NULL DEFAULT 0
    CONSTRAINT "ck_canteen_delivery_fee" CHECK ("delivery_fee_fen" BETWEEN 0 AND 1000);
CREATE TABLE "menu" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "local_date" DATE NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "dishes" JSON NOT NULL,
    "allergens" JSON NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "offering_id" INT NOT NULL REFERENCES "offering" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_menu_canteen_bca5c8" UNIQUE ("canteen_id", "local_date", "meal_type", "offering_id"),
    CONSTRAINT "ck_menu_meal_type" CHECK ("meal_type" IN ('breakfast', 'lunch', 'dinner'))
);
CREATE TABLE "meal_order" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "local_date" DATE NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "delivery" INT NOT NULL,
    "note" VARCHAR(200) NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "placed_at" TIMESTAMP NOT NULL,
    "cutoff_at" TIMESTAMP NOT NULL,
    "closed_at" TIMESTAMP,
    "meal_id" BIGINT UNIQUE,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "offering_id" INT NOT NULL REFERENCES "offering" ("id") ON DELETE RESTRICT,
    "placed_by_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_meal_order_meal_type" CHECK ("meal_type" IN ('breakfast', 'lunch', 'dinner')),
    CONSTRAINT "ck_meal_order_status" CHECK ("status" IN ('placed', 'fulfilled', 'cancelled', 'missed')),
    CONSTRAINT "ck_meal_order_fulfilled" CHECK (("status" = 'fulfilled') = ("meal_id" IS NOT NULL))
);
CREATE INDEX "idx_meal_order_canteen_33d1ad" ON "meal_order" ("canteen_id", "local_date", "meal_type");
CREATE INDEX "idx_meal_order_diner_i_a7ef3c" ON "meal_order" ("diner_id", "local_date");
CREATE UNIQUE INDEX "uq_meal_order_open" ON "meal_order" ("diner_id", "local_date", "meal_type") WHERE "status" IN ('placed', 'fulfilled');
CREATE INDEX "ix_meal_order_placed" ON "meal_order" ("local_date") WHERE "status" = 'placed';
ALTER TABLE "meal" ADD COLUMN "order_id" BIGINT REFERENCES "meal_order" ("id") ON DELETE RESTRICT;
CREATE TABLE "delivery_run" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "local_date" DATE NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "deliverer_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_delivery_ru_canteen_1393d0" ON "delivery_run" ("canteen_id", "local_date", "meal_type");
CREATE TABLE "delivery_stop" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "position" SMALLINT NOT NULL,
    "outcome" VARCHAR(10),
    "note" VARCHAR(200) NOT NULL,
    "recorded_at" TIMESTAMP,
    "meal_id" BIGINT REFERENCES "meal" ("id") ON DELETE RESTRICT,
    "recorded_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "run_id" INT NOT NULL REFERENCES "delivery_run" ("id") ON DELETE RESTRICT,
    "order_id" BIGINT NOT NULL UNIQUE REFERENCES "meal_order" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_delivery_stop_outcome" CHECK ("outcome" IS NULL OR "outcome" IN ('delivered', 'not_home', 'refused')),
    CONSTRAINT "ck_delivery_stop_meal" CHECK ("meal_id" IS NULL OR coalesce("outcome", '') = 'delivered')
);
CREATE INDEX "idx_delivery_st_run_id_2a9509" ON "delivery_stop" ("run_id", "position");
""",
    "postgres": f"""
ALTER TABLE "canteen" ADD COLUMN "order_cutoffs" JSONB NOT NULL DEFAULT '{CUTOFFS}';
ALTER TABLE "canteen" ADD COLUMN "delivery_fee_fen" INT NOT NULL DEFAULT 0;
ALTER TABLE "canteen" ADD CONSTRAINT "ck_canteen_delivery_fee" CHECK ("delivery_fee_fen" BETWEEN 0 AND 1000);
ALTER TABLE "user" DROP CONSTRAINT "ck_user_role";
ALTER TABLE "user" ADD CONSTRAINT "ck_user_role" CHECK ("role" IN {ROLES_AFTER});
CREATE TABLE "menu" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "local_date" DATE NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "dishes" JSONB NOT NULL,
    "allergens" JSONB NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "offering_id" INT NOT NULL REFERENCES "offering" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_menu_canteen_bca5c8" UNIQUE ("canteen_id", "local_date", "meal_type", "offering_id")
);
ALTER TABLE "menu" ADD CONSTRAINT "ck_menu_meal_type" CHECK ("meal_type" IN ('breakfast', 'lunch', 'dinner'));
CREATE TABLE "meal_order" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "local_date" DATE NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "delivery" BOOL NOT NULL,
    "note" VARCHAR(200) NOT NULL,
    "status" VARCHAR(10) NOT NULL,
    "placed_at" TIMESTAMPTZ NOT NULL,
    "cutoff_at" TIMESTAMPTZ NOT NULL,
    "closed_at" TIMESTAMPTZ,
    "meal_id" BIGINT UNIQUE,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "offering_id" INT NOT NULL REFERENCES "offering" ("id") ON DELETE RESTRICT,
    "placed_by_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT
);
ALTER TABLE "meal_order" ADD CONSTRAINT "ck_meal_order_meal_type" CHECK ("meal_type" IN ('breakfast', 'lunch', 'dinner'));
ALTER TABLE "meal_order" ADD CONSTRAINT "ck_meal_order_status" CHECK ("status" IN ('placed', 'fulfilled', 'cancelled', 'missed'));
ALTER TABLE "meal_order" ADD CONSTRAINT "ck_meal_order_fulfilled" CHECK (("status" = 'fulfilled') = ("meal_id" IS NOT NULL));
CREATE INDEX "idx_meal_order_canteen_33d1ad" ON "meal_order" ("canteen_id", "local_date", "meal_type");
CREATE INDEX "idx_meal_order_diner_i_a7ef3c" ON "meal_order" ("diner_id", "local_date");
CREATE UNIQUE INDEX "uq_meal_order_open" ON "meal_order" ("diner_id", "local_date", "meal_type") WHERE "status" IN ('placed', 'fulfilled');
CREATE INDEX "ix_meal_order_placed" ON "meal_order" ("local_date") WHERE "status" = 'placed';
ALTER TABLE "meal" ADD COLUMN "order_id" BIGINT REFERENCES "meal_order" ("id") ON DELETE RESTRICT;
CREATE TABLE "delivery_run" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "local_date" DATE NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "deliverer_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_delivery_ru_canteen_1393d0" ON "delivery_run" ("canteen_id", "local_date", "meal_type");
CREATE TABLE "delivery_stop" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "position" SMALLINT NOT NULL,
    "outcome" VARCHAR(10),
    "note" VARCHAR(200) NOT NULL,
    "recorded_at" TIMESTAMPTZ,
    "meal_id" BIGINT REFERENCES "meal" ("id") ON DELETE RESTRICT,
    "recorded_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "run_id" INT NOT NULL REFERENCES "delivery_run" ("id") ON DELETE RESTRICT,
    "order_id" BIGINT NOT NULL UNIQUE REFERENCES "meal_order" ("id") ON DELETE RESTRICT
);
ALTER TABLE "delivery_stop" ADD CONSTRAINT "ck_delivery_stop_outcome" CHECK ("outcome" IS NULL OR "outcome" IN ('delivered', 'not_home', 'refused'));
ALTER TABLE "delivery_stop" ADD CONSTRAINT "ck_delivery_stop_meal" CHECK ("meal_id" IS NULL OR coalesce("outcome", '') = 'delivered');
CREATE INDEX "idx_delivery_st_run_id_2a9509" ON "delivery_stop" ("run_id", "position");
""",
}

DOWNGRADE = {
    # SQLite drops no column a foreign key uses: meal.order_id and the (then unused) orders
    # stay, as does the looser role check.
    "sqlite": """
DROP TABLE "delivery_stop";
DROP TABLE "delivery_run";
DROP TABLE "menu";
ALTER TABLE "canteen" DROP COLUMN "delivery_fee_fen";
ALTER TABLE "canteen" DROP COLUMN "order_cutoffs";
""",
    "postgres": f"""
DROP TABLE "delivery_stop";
DROP TABLE "delivery_run";
ALTER TABLE "meal" DROP COLUMN "order_id";
DROP TABLE "meal_order";
DROP TABLE "menu";
ALTER TABLE "canteen" DROP COLUMN "delivery_fee_fen";
ALTER TABLE "canteen" DROP COLUMN "order_cutoffs";
ALTER TABLE "user" DROP CONSTRAINT "ck_user_role";
ALTER TABLE "user" ADD CONSTRAINT "ck_user_role" CHECK ("role" IN {ROLES_BEFORE});
""",
}


async def _sqlite_user_roles(db: BaseDBAsyncClient) -> str:
    """The script that lets ``volunteer`` through SQLite's ``ck_user_role`` (see above)."""
    rows = await db.execute_query_dict("PRAGMA schema_version")
    version = int(next(iter(rows[0].values())))
    before, after = (
        f'"role" IN {roles}'.replace("'", "''") for roles in (ROLES_BEFORE, ROLES_AFTER)
    )
    return f"""
PRAGMA writable_schema = ON;
UPDATE "sqlite_master" SET "sql" = replace("sql", '{before}', '{after}')
 WHERE "type" = 'table' AND "name" = 'user';
PRAGMA schema_version = {version + 1};
PRAGMA writable_schema = OFF;
"""  # noqa: S608 (the module's constants and an integer)


async def upgrade(db: BaseDBAsyncClient) -> str:
    dialect = db.capabilities.dialect
    if dialect == "sqlite":
        return await _sqlite_user_roles(db) + UPGRADE[dialect]
    return UPGRADE[dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE[db.capabilities.dialect]


MODELS = (
    "eJztXVtz47YV/isYvXQ747pe2bHdTSYzstfbuLGtjK20nexkaIiEJHRJQCHBddR0/3sB8AZe"
    "RJMidSEXD7umQByA/AAcnCv4x8ChFrK942tIGEJk8A78MSDQQfwie+sIDOBymdwQBQxObVnX"
    "VCpNPeZCk/HiGbQ9xIss5JkuXjJMRQ+DETCp4/gEsxUICb8Fz88W5oTYZM/Pf31+5pcI8Utg"
    "IRNbCLwssLkANjWhDTx/6mELIw/wB7JXgC2Qi45F3xY1RRtkvt1ueJu/+chgdI5EIe/s46+8"
    "GBML/Y686OfykzHDyLZSoGJLNCDLDbZayrJbwj7IiuINpoZJbd8hSeXlii0oiWtjwkTpHBHk"
    "QoZE88z1BczEt+1wQCLkgydNqgSPqNBYaAZ9WwyWoA4eICkbGMbDeGI83UwMY5AbyIhCAT0s"
    "MikRk4A/qifffi4e4S/Dt2cXZ5en52eXvIp8zLjk4kvQdQJMQCjheZgMvsj7kMGghsQ4AVX+"
    "zcF6vYBuMa5R/Qyy/JGzyEY4lkEbFSTYJvN+F+A68HfDRmTOFvzn25OTEij/OXq8/mH0+IbX"
    "+rPokvKFGizgh/DWMLgn8E7whZblIs+rA7FCsjuUB4OdYDyshPGwBONhHuOILdUBWaXpHcrn"
    "ZxVAPj9bi7G4lYY4YPZ1AE4oNLyvwsuwg/5LSS1OrNL0kBu3D7KDoG288JejLwX8+B9P44di"
    "oLN0GbAtzkXA/4DNGUoHQS8BWSAiWnY87zdbBffN/ejfWdyv78ZXEhzqsbkrW5ENXGUGgboW"
    "cg3TZ3Q2qzUKOcLdD8Pgu5lPTIFwJBQfh3+941Di/86GztSC33+/LU606/Hib4U/I3dlzBDi"
    "/0gNEbyI9HWBvK3BOjlogTwB2HSReHMDFuyu7/kdweaL8U1TZpdDSHocXfSLN01u72+eJqP7"
    "n1IT/v1ociPuDGXpKlP65jyzCOJGwL9uJz8A8RP8Mn64ya6LuN7kl4F4JsiZkEHoi8EldQWT"
    "qDgq+iI02dknRe0SBVNofnqBrmWk7qiSFpzN8lPhKiT78OMjsqFEMj/oIRP62UNV9v9QjT2w"
    "0U5Kw0dMbx+zGRKtFGwddRAah810d1GUw7SgDjIszF+sIVDvRRs9nUtCrmsIzz1voq9zCNrI"
    "ZQ3xGYk2ejp9ZphAYiIDEd4YagjUh6CxG97Wqq8TyrQhdhridC3a6OmEkvgYFly1gdF72Nt5"
    "FOsVrk+abm9hU48+6StaDiJ+412O+H2FR5oVmkqToo0+AST0FDqk6zSX/C1n6GRLIIFz+Uqi"
    "b9GTKjIV+EojUWq9o9SJarzqJR0TBERt4FHbAowCygukOPwOYOaBpYtNTvayoGAJscUvIDsC"
    "kFjCUQmW1Mam8FlCFtS0OFHeR7qtTl73kH6MfMZG4OWUPldDKPoDXvPjQD5Ewb1antUrPP9a"
    "nKt/Gw5PTy+GJ6fnl9+cXVx8c3kSG3Xyt8qsO1e3fxcGniPVyPC6C1balyWKuUFYb/1PEfXQ"
    "/P/2vIovNmvRUVyx51nzv1xlxSbMsrmeItud+bIns16xa8mQkFX9AcgQ6iHYeAiWcAP4FSIN"
    "/cbQ06XAiLrGxstgXQu98ajsfjFw1ahWSINC0sMd97LChnu5dr+9zG63iuCZg1j4tYohTlOV"
    "+bQ6iHcJwMJHlY0cq+0Q1I7AA3UEpuwxkPh8irsIerRgCyiR+LOEG/GgAzOMplnQ6bACDzod"
    "rmVC4lZ6EX2m2NrIuZ4ibGFJHRjufVpRYqg2WE8Zsv6tpq3E2qYtTxUjgdJEfVIj2gsDEobV"
    "mqDGFBshemhzt2VAVSNo1YA1hURP0iItNgybqQdrhkpP1gJgZXBrXTO8StUjVHdtCJCemHpT"
    "OkXTI+hbm9DCJ2ZMa6KaJtIcuADXUC2pi2yWTE/ZANpchG5O0M2D/IG6CM/Jj2glsb7lDyVC"
    "twpgzWcBd2z2rgsQ4MUufIkdyRn5niPA3xsxicEjV+8eb68ng7xw1gK0VcNTuwqsKpFWgFWo"
    "BK1M2KCZbvGD6pM11psqQEqVSPGGsNYIOu8otBlJvwK8gSDVArg/xQ31E9qUxFkB2FCWagHZ"
    "itkkXWWxaaGzArKxLLU7bDs6Z7NSZxV2G4VSNuW1FUMyO4qsqvmvQbVKrlkrqQt3yJojt2rm"
    "QkcAT7uysYOZ4XuNkRLt8CXfI26awYk0hegpCG65w6S3KAVpHtD6j+8xEU7SRrbHKG6tr6jF"
    "SR8eo8uWsj6eeFM9Ylnbjdon/qAwaj9IDSmL2g9rVIrajzQIwAWjz8gCkMmw+tDAwK+DKHu4"
    "koH0Igj6HS8JThjzZD0w5a2I7RFZxTH77XdRELH/UbUfpYOaUpHbsXr5qz4FbY+noOlgtYbB"
    "ajqHYSc5DBb2FkUi1vpjcxKKvZ6XM/WxzTDxjkV/vTkcB9o2cjlytUYkRaQHpfVB0RFKfQv+"
    "6COy2vO4H8/jfvw5XYW3mkNnvalxmyppYOIt0Elj2295KrkR25qrHLstM71DpQ/ABYIWmFE3"
    "yfk+AkLOV1RGRgHiqiUmR5xM/OJK49Sl/nzBgDieqejQ7e100iih/EgV03V2+QbbxJ6zy7Vq"
    "q1XbTqi2oVG2gFdQaiNI1ui3ClkG5ymn6yDQZRxgPL5L6UtXtxl+8PDz/dUNR14CzythlmIT"
    "yrn/tIghlJz7TwtZwRbncpdPpOeiIys6dansuPSIYocIL21oIms3OL+t9nGFkm8r5A70kE+/"
    "QW5filCnyx50cl9w4PcmpyOrhHqQD3uQbeptdgS2SqizdA95jKVEXFcVVIhaSVn4avRBbQ7X"
    "+aXdw1S7GLaFbCjy1s0by5JpbF933+jcpmq+hdq5Tdorpr1iBwHvBmlOER9tAeCe5+Nkt5wG"
    "6Q27+8DHYeqNDUOEVXNmEChdjOOYoAnl/33Vgdc1HNfqRwcK3NeZbxKsd2Kr30Go5sYW4c8h"
    "FXL/5AGX+sQCdKYGQPPiqOHAFe1JHzRMRUQXR1a313SLLmsdSK0DqQ+BbWhvc615umVvs/7q"
    "4ibztXNGZ2383JLxM9rpaxpAM2QaWx0NvFe7RzwhtV7+qrkus3Yb6OW7T+HtCuhbzeFNYVai"
    "eEaYVtA8I8NAxeReofOJBFsIuMp6JDJv5YeyhMUHYCK/iyX1xm9lOfWZSR1OxpedvBdPQeCi"
    "JXWZtybBdyvdVFFJeXfRzkY9LF9dh0UfZlh0PEC5MXhyoG2XnPyZ0PVJfDkdXpzHAyB+lEH+"
    "dD+6uytw3wYrqY7mqpD07wD29kMeddTuNqN2XWSKvWMTq0CGVIeiHbJV4CBC0fbNqfYSjBYv"
    "k7qBKHnCHg1Ca2aZRP6sCquvzVwleO7pWP6vVV4vsYKFLs6mIVW9/Nz7UcZSkyzqChaw6KPa"
    "DZHtV5xEFlFl768AqbJX7c6s2FFk8/t6C2cMvHqcbBSxUjWkreJhsofFtytHs9U8S3YDG+SX"
    "/wMierbE"
)
"""aerich's description of ``Canteen`` and ``Meal`` as changed, and the four new models."""


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
