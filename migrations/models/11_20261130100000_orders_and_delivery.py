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
    "estimate_fen" BIGINT NOT NULL,
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
    "estimate_fen" BIGINT NOT NULL,
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
    "eJztXWtz47YV/SsYfel2xnW9smO7m0xmZK+3cWNbGVtpO9nJ0BAJSeySgEKC66jp/vcC4At8"
    "iAZF6kEuPuxaAnFB6uB1H+eCfwxcYiHHP76GmCKEB+/AHwMMXcQ+5C8dgQFcLtMLvIDCqSPq"
    "mlKlqU89aFJWPIOOj1iRhXzTs5fUJvwOgxEwiesG2KYrEAl+C56fLZsJ2iZ9fv7r8zP7iBD7"
    "CCxk2hYCLwvbXACHmNABfjD1bctGPmAP5KwAXSAPHfN7W8TkbeD5dm/D2vwtQAYlc8QL2c0+"
    "/sqKbWyh35Eff11+MmY2cqwMqLbFGxDlBl0tRdktph9ERf4LpoZJnMDFaeXlii4ITmrbmPLS"
    "OcLIgxTx5qkXcJhx4DhRh8TIh0+aVgkfUZKx0AwGDu8sLh0+QFo2MIyH8cR4upkYxqDQkbGE"
    "BHpUZBLMBwF7VF/8+jl/hL8M355dnF2enp9dsiriMZOSiy/hrVNgQkEBz8Nk8EVchxSGNQTG"
    "KajibwHW6wX0ynGN6+eQZY+cRzbGsQrauCDFNh33uwDXhb8bDsJzumBf356cVED5z9Hj9Q+j"
    "xzes1p/5LQmbqOEEfoguDcNrHO8UX2hZHvL9OhBLIrtDeTDYCcZDJYyHFRgPixjHy1IdkGWZ"
    "3qF8fqYA8vnZWoz5pSzE4WJfB+BUQsP7KrzUdtF/Ca61EssyPVyN2wfZRdAxXtiPIy8l6/E/"
    "nsYP5UDn5XJgW2wVAf8DDltQOgh6BcgcEd6y6/u/OTK4b+5H/87jfn03vhLgEJ/OPdGKaOAq"
    "1wnEs5BnmAEls1mtXigI7r4bBt/NAmxyhGOl+Dj66x9HGv93DnSnFvz++22tRLvuL/ar7M/I"
    "WxkzhNg/XEMFLxN9XSFvq7NODlohTwE2PcR/uQFLdtf37Apf5svxzUrmp0Mkehx/6NfaNLm9"
    "v3majO5/ygz496PJDb8yFKWrXOmb89wkSBoB/7qd/AD4V/DL+OEmPy+SepNfBvyZIFuEDExe"
    "DKapS5jExXHRF27Jzj5JZhcvmELz0wv0LCNzRda04GxWHApXkdiHHx+RAwWSxU6PFqGffaSy"
    "/0dm7IH1dloaPWJ2+5jNEG+lZOuog9A4aqa7k6IapgVxkWHZ7Ic1BOo9b6OnY4nrdQ3huWdN"
    "9HUMQQd5tCE+I95GT4fPzMYQm8hAmDWGGgL1IWzshrW16uuAMh1ouw1xuuZt9HRACXwMC67a"
    "wOg97O04SuwKL8BNt7eoqccA9xUtF+Gg8S6Hg77CI9wKTbVJ3kafAOJ2ChmSdZZL8ZI7dPMl"
    "EMO5+En83vxOsspUEiuNVan1gVI3rvFqlHSMEeC1gU8cC1ACCCsQ6vA7YFMfLD3bZGIvCwKW"
    "0LbYB0iPAMQWD1SCJXFsk8csIQ1rWkyoGCPd1k1ej5B+jGPGRhjlFDFXgxv6A1bz40A8RMm1"
    "WpHVK3v+tQRX/zYcnp5eDE9Ozy+/Obu4+ObyJHHqFC9VeXeubv/OHTxHspPh9RCs8C8LFAud"
    "sN77nxHqofv/7blKLDbv0ZFCsed597+YZeUuzKqxnhHbnfuyJ6Ne8msJSsiqfgfkBHUXbNwF"
    "S7gB/JKQhn5j6MmSY0Q8Y+NpsK6F3kRUdj8ZmGlUi9IgifRwx71U2HAv1+63l/ntVlI8CxDz"
    "uFY5xFmpqphWB/GuAJjHqPLMsdoBQR0IPNBAYMYfA3HAhriHoE9KtoAKjT8vuNEadGCO0ewS"
    "dDpUWINOh2sXIX4pO4k+E9vaKLieEWxhSh0Y7n2aUbyrNphPObH+zaatcG2znidFJlBWqE9m"
    "RHs0IO5YrQlqIrERooc2dlsGVHaCqhLWJBE9SMus2Ig2Uw/WnJQerCXACnJrXTe8LNUjVHft"
    "CBCRmHpDOiPTI+hbG9A8JmZMa6KaFdIrcAmukVlSF9m8mB6yIbQFhm5B0S2C/IF4yJ7jH9FK"
    "YH3LHopTt0pgLWYBd2z0riMIsGIPviSB5Jx+zxBgvxtRgcEjM+8eb68ng6Jy1gK0qvTUrgIr"
    "a6QKsHKToJUBGzbTrfVAfbAmdpMCpERiijeEtQbpvKPQ5jR9BXhDRaoFcH9KGuontBmNUwHY"
    "SJdqAVnFbJKuLrFZpVMB2USX2h22HR2zea1TZbmNqZRN11pFSmZHkZUt/zWoquSatZK6cIes"
    "OfJUMxc6Ang2lG27NjUCvzFSvB025Xu0muZwwk0hegrJLXc27i1KYZoHtP4T+JTTSdrI9hgl"
    "rfUVtSTpw6dk2VLWxxNrqkdL1nZZ+zgYlLL2w9SQKtZ+VEOJtR9bEIApRp+RBSAVtPrIwcA+"
    "hyx7uBJEek6CfsdKwhPGfFEPTFkrfHtEVjlnv/1blDD2P8r+oyypKcPcTszLX/UpaHs8BU2T"
    "1RqS1XQOw05yGCzbX5SpWOuPzUkl9npezjSwHWpj/5jfrzeH40DHQR5DrlaPZIR0p7TeKZqh"
    "1DfyRx+R1ZHH/UQe9xPP6Sq8agGd9a7GbZqkoYu3xCZNfL/VqeRG4mtWOXZbZHpHRh+ACwQt"
    "MCNemvN9BLieL5mMlADETEsbHzEx/o0ZjVOPBPMFBfx4prJDt7dzk0YJ5Ueymq6zyzfYJvac"
    "Xa5NW23adsK0jZyyJWsFIQ6CeI19K4nlcJ4yuQ4CXbUCjMd3GXvp6ja3Hjz8fH91w5AXwLNK"
    "Ns0sE9K5/6RsQag495+ULgVbHMtdPpGeqY607NSlquPSY4kdIrx0oIms3eD8Vu3lChXvVigc"
    "6CGefoPcvoygTpc96OQ+5LNOYNDXPzAhL9kn18OOUyTCU9c3OaJaFtQz7aBnmukQf7NzyGVB"
    "nSp9yH0szJK69rgk1EreyFdjlOuYhE7y7R6mOs6zLWQju6Nu8l5eTGP7egxNJ5ipBXhqJ5jp"
    "0KQOTR4EvBvkmsXraAsA9zwpKr/lNMgx2d1bVg7TbmzI05Z9yiFbvRzHMUYTwv77qtnvNdgD"
    "8psfSjgEuRdDrGcSyC+jEDWVaO6RFPL+5AOPBNgCZCaz0Flx3HDIB/AFEQBmaOnl9Pb2mm6R"
    "N6DZ7JrNfgjLhg751xqnWw7561dfbjJeO+d01s7PLTk/452+pgM0J6ax1ZTsvfo9kgGp7fJX"
    "3XW5udvALt99HnVXQN9qInUGswrDM8ZUwfKMHQOKGdbc5uNZzhAwk/WIpz+Lt5Vxjw+wsXg5"
    "mbAbvxXlJKAmcZkYm3biWjIEgYeWxKP+mizrrdxGxSRlt4t3NuLb4qdrbvphctOTDir0wZML"
    "Hafi+NVUrk/qy+nw4jzpAP6lCvKn+9HdXUn4NpxJdSxXSaR/p+C3zzvV1OltUqc9ZPK9YxOv"
    "QE5UU9EO2StwEFS0fa9UeyGjJdOkLhGlKNijTmjNLZPqn6qwBtrNVYHnnt6N8LXq6xVesCjE"
    "2ZRSlQ2tdmx0q3pq0kmt4AGL32zeENl+8STyiEp7vwKk0l61O7diR5Et7ustHPTw6pm+MWNF"
    "ldKmeKLvYa3bymy2mgf6buCD/PJ/dskvHA=="
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
