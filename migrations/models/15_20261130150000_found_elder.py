"""The found-elder page of a meal card: ``found_page`` (the family's switch, one row per elder
who has one), ``found_scan`` (every scan of a card's page and what came of it),
``found_report`` (a finder's report, attached to the day's ``found_wandering`` alert) and
``found_message`` (the thread between finder and family); and the ``found_wandering`` kind in
``ck_alert_kind``.

``ck_found_scan_result`` keeps a scan's result one of ``canteen.found.models.SCAN_RESULTS``.

The kind is let through ``ck_alert_kind`` as migration 12 did for ``not_home``: on SQLite the
table's definition is edited in ``sqlite_master`` (the check only loosens, every stored row
still passes it), on PostgreSQL the check is dropped and added.

The models' state is the previous migration's with the four new models put in (composed, as
migration 11's, because migrations are written in parallel).
"""

import importlib.util
from pathlib import Path

from aerich.utils import compress_dict, decompress_dict
from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

KINDS_BEFORE = "('low_balance', 'missed_meal', 'not_home')"
KINDS_AFTER = "('low_balance', 'missed_meal', 'not_home', 'found_wandering')"
RESULTS = "('shown', 'not_live', 'reported', 'refused', 'limited')"

UPGRADE = {
    "sqlite": f"""
CREATE TABLE "found_page" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "enabled" INT NOT NULL,
    "changed_at" TIMESTAMP NOT NULL,
    "changed_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL UNIQUE REFERENCES "diner" ("id") ON DELETE RESTRICT
);
CREATE TABLE "found_scan" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "result" VARCHAR(16) NOT NULL,
    "card_id" INT REFERENCES "card" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_found_scan_result" CHECK ("result" IN {RESULTS})
);
CREATE INDEX "idx_found_scan_card_id_5d257a" ON "found_scan" ("card_id", "at");
CREATE TABLE "found_report" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "finder_phone" VARCHAR(20) NOT NULL,
    "where" VARCHAR(200) NOT NULL,
    "lat" REAL,
    "lon" REAL,
    "thread_hash" VARCHAR(64) NOT NULL UNIQUE,
    "alert_id" INT NOT NULL REFERENCES "alert" ("id") ON DELETE RESTRICT,
    "card_id" INT NOT NULL REFERENCES "card" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_found_repor_card_id_828dd0" ON "found_report" ("card_id", "at");
CREATE INDEX "idx_found_repor_alert_i_56ba3a" ON "found_report" ("alert_id");
CREATE TABLE "found_message" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "author" VARCHAR(8) NOT NULL,
    "body" VARCHAR(500) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "report_id" INT NOT NULL REFERENCES "found_report" ("id") ON DELETE RESTRICT,
    "user_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_found_messa_report__f04e3b" ON "found_message" ("report_id", "id");
""",
    "postgres": f"""
CREATE TABLE "found_page" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "enabled" BOOL NOT NULL,
    "changed_at" TIMESTAMPTZ NOT NULL,
    "changed_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL UNIQUE REFERENCES "diner" ("id") ON DELETE RESTRICT
);
CREATE TABLE "found_scan" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "result" VARCHAR(16) NOT NULL,
    "card_id" INT REFERENCES "card" ("id") ON DELETE RESTRICT
);
ALTER TABLE "found_scan" ADD CONSTRAINT "ck_found_scan_result" CHECK ("result" IN {RESULTS});
CREATE INDEX "idx_found_scan_card_id_5d257a" ON "found_scan" ("card_id", "at");
CREATE TABLE "found_report" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "finder_phone" VARCHAR(20) NOT NULL,
    "where" VARCHAR(200) NOT NULL,
    "lat" DOUBLE PRECISION,
    "lon" DOUBLE PRECISION,
    "thread_hash" VARCHAR(64) NOT NULL UNIQUE,
    "alert_id" INT NOT NULL REFERENCES "alert" ("id") ON DELETE RESTRICT,
    "card_id" INT NOT NULL REFERENCES "card" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_found_repor_card_id_828dd0" ON "found_report" ("card_id", "at");
CREATE INDEX "idx_found_repor_alert_i_56ba3a" ON "found_report" ("alert_id");
CREATE TABLE "found_message" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "author" VARCHAR(8) NOT NULL,
    "body" VARCHAR(500) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "report_id" INT NOT NULL REFERENCES "found_report" ("id") ON DELETE RESTRICT,
    "user_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_found_messa_report__f04e3b" ON "found_message" ("report_id", "id");
ALTER TABLE "alert" DROP CONSTRAINT "ck_alert_kind";
ALTER TABLE "alert" ADD CONSTRAINT "ck_alert_kind" CHECK ("kind" IN {KINDS_AFTER});
""",
}

DOWNGRADE = {
    "sqlite": """
DROP TABLE "found_message";
DROP TABLE "found_report";
DROP TABLE "found_scan";
DROP TABLE "found_page";
""",
    "postgres": f"""
DROP TABLE "found_message";
DROP TABLE "found_report";
DROP TABLE "found_scan";
DROP TABLE "found_page";
ALTER TABLE "alert" DROP CONSTRAINT "ck_alert_kind";
ALTER TABLE "alert" ADD CONSTRAINT "ck_alert_kind" CHECK ("kind" IN {KINDS_BEFORE});
""",
}


async def _sqlite_alert_kinds(db: BaseDBAsyncClient, before: str, after: str) -> str:
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
    dialect = db.capabilities.dialect
    if dialect == "sqlite":
        return UPGRADE[dialect] + await _sqlite_alert_kinds(db, KINDS_BEFORE, KINDS_AFTER)
    return UPGRADE[dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    """Only while no ``found_wandering`` alert is stored (the check would refuse them)."""
    dialect = db.capabilities.dialect
    if dialect == "sqlite":
        return DOWNGRADE[dialect] + await _sqlite_alert_kinds(db, KINDS_AFTER, KINDS_BEFORE)
    return DOWNGRADE[dialect]


MODELS = (
    "eJztWu9v2jwQ/lesfFkndVWbUuDdPtGWbmgtVJS+k1ZNkUkciJrYLDFiaOr/vrOTkN+QtJQVxh"
    "dE7nyO85x9fu7s34rDDGJ7R1dsSo0b4nl4RJSP6LdCsSP+5OoPkYInk0grBBwPbWlgipaaE2s6"
    "9LiLdQ5KE9seAZFBPN21JtxiVJj0KEGBAWImwsglE+bydx7iY5dg4xCZLnPggSDTogZxEXNjIu"
    "xY9vxIvMpgOrzLoqO19jql1s8p0TgbEdC40PfDDxALm1/EE48Pit+3ZhnCAH5/iBaTR820iG0k"
    "APWbSLnG5xMpO7dGHcqvZFvxGUNNZ/bUoVH7yZyPGV0YWJQL6YhQ4mJOxBu4OxXQ0qltB64I0f"
    "bHHzXxBx6zMYiJp7ZwkLD2BxDJFE3r9gbaXXugaUrGeaFFDPlApDMqHA9D9SQAcmJ9+E9VT08b"
    "6vFpvXlWazTOmsdNaCvHm1U1nvzBRGj5XUnMOp873YEYEIPZ5c89IXiSNphj30r6J0IfTwFHN+"
    "uBizF28/GPLFI+gI9L+yBEfJkTQkHkhWhVbMINDv6l2YSO+Bgem0sA/r/Vv/jS6h803ydB7gYK"
    "VWgE2hG6Q2bMq2Abtt9BZM+Oj0tgC60K0ZW6JL6YZ9G9BIS45ZCC2ctz8DUCk6PwzxaivQTcQe"
    "emfTdo3dyK7h3P+2lLnFqDttCoUjpPSQ/qKT8sOkHfOoMvSDyi771uW8LJPD5y5RujdoPvihgT"
    "hAumUTbTsBHHJBSHooRbE5tH0ruF20LCZvXusAUeDTYI9aTWqDVP67XFvrCQLNsOwtAfoTr1iF"
    "sN05jFsxANttNdAlTQGPMxdyv1Z2AW3ivmEmtEv5K5RLkDY8JUJzmoxrllf9Hblk3bp3AWhdJo"
    "Irh4tiCAyQULIMCnEy5h6EMA6XcuBkpm+q4B3Pugm+2aumVBja3YAkjFBB5i/XGGXUNLzGShYS"
    "pLSRZtsypHddISTCG7MILPEIOOT+nbZbnUbclEalI6i/o2lukJwhTBGIkLiY4OH4LYhFDPz2lE"
    "jx+kEol+PyFvZnF9TAw0nMeyHpEIMdO0dJLNql7tLauzrEop1b+ST71wuyzOlAgVn52XrDJmE0"
    "zz0Y1ZpSAegtlrhfcQ983yzPNe7zpBMc87qXy0e39z3u4fnEhuCY0snkhTI7D1MaYQSLTqBD9p"
    "uSf6b5roh84azqsR04zdnp5m15Bh0aqEP26ynhxq67eEJYQ/moV7XrqCl2YW7BrYaWqmZ33Qo2"
    "TA4KekBy7DXrZqjpf1QHxplwH/5XQ/yGCLCH+U4K6i/FFivZr0t4KzC6DhvhkQbMwly/YZ+Ax7"
    "PiP/hDDnWNJwzmQDA8/BDNvE5Vmev86OyxygiCQicBdQGVA/KLIDrfJhyp75v5D576vMO0k+/f"
    "WsTcBHpMohTdpuBw9r1DJnNWrxUY2aOamZQZyrhPLCYHPwKsqGwC2H7jJ4M/jaeUHqyma4IPbb"
    "uSHKFAZby0Lz4Lzs3Z9ft9Ftv33Ruev0uskwJJXJWkS/3bpOYwujqYSt336PbQls/asn2hh74y"
    "rRIWW2nhjxd0lMIkbUayVCRL1WGCGEKnVUHpLH8vwwbrI/Uc2rUkYcvWzhKrLYI/pWa1Y7gOmS"
    "qpVc1WsoWLXCfrYM3rIFk3j0K3E8XVCDqgzrs6tQWwJriTpUOsSuAdWLoJsdBTW2rVQurMaqc/"
    "7lYC/niDOwvPraJ5A5WLkEt+Bm9I5A/vTq1yPudEyVomqpVB6urpV6YbtSl8zFJQUAAx0wF4ny"
    "Cvx/798NFzPqXVDQlLcWPspKphAfIsjN6SHCoJmJGqgO4xVWVk7Z9NXe8owa6v4K+tu8gr4vr+"
    "5ieRW6EthkXFuc1EcWO1hSPamXyOhP0g6LMnqh+tvZ5xsrTb328f5Gqecbw3YTzHP9jOrpDw6x"
    "4+g="
)
"""aerich's description of the four new models."""


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
