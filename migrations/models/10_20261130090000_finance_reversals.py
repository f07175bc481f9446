"""Reversing a cost or grant: ``finance_entry.reverses_id``, and a reversing entry's amount.

A mistake in a canteen's books is undone by a new entry that points at the original and
carries its amount negated, never by an edit; ``reverses_id`` is unique, so an entry is
reversed at most once. The CHECK ``ck_finance_entry_amount_positive`` keeps its name (the
migration tests know every CHECK by name) and now says: an entry's amount is positive, a
reversal's negative.

SQLite cannot add a UNIQUE column nor change a CHECK, so there the table is rebuilt: copied
into a new one, the old dropped (nothing references it, so nothing cascades), the new renamed
and its index made again. PostgreSQL alters it in place.

The models' state is the previous migration's with the new ``FinanceEntry`` put in (composed,
as migration 9's, because migrations numbered before this one are written in parallel).
"""

import importlib.util
from pathlib import Path

from aerich.utils import compress_dict, decompress_dict
from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {
    "sqlite": """
CREATE TABLE "finance_entry_reversible" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "local_date" DATE NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "category" VARCHAR(32) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "note" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "created_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "reverses_id" INT UNIQUE REFERENCES "finance_entry" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_finance_entry_category" CHECK (("kind" = 'cost' AND "category" IN ('ingredients', 'labor', 'rent', 'utilities', 'equipment', 'other')) OR ("kind" = 'grant' AND "category" IN ('operating_grant', 'startup_grant', 'donation', 'other'))),
    CONSTRAINT "ck_finance_entry_amount_positive" CHECK (("reverses_id" IS NULL AND "amount_fen" > 0) OR ("reverses_id" IS NOT NULL AND "amount_fen" < 0))
);
INSERT INTO "finance_entry_reversible" ("id", "local_date", "kind", "category", "amount_fen", "note", "created_at", "canteen_id", "created_by_id") SELECT "id", "local_date", "kind", "category", "amount_fen", "note", "created_at", "canteen_id", "created_by_id" FROM "finance_entry";
DROP TABLE "finance_entry";
ALTER TABLE "finance_entry_reversible" RENAME TO "finance_entry";
CREATE INDEX "idx_finance_ent_canteen_c76e14" ON "finance_entry" ("canteen_id", "local_date");
""",
    "postgres": """
ALTER TABLE "finance_entry"
    ADD COLUMN "reverses_id" INT UNIQUE REFERENCES "finance_entry" ("id") ON DELETE RESTRICT;
ALTER TABLE "finance_entry" DROP CONSTRAINT "ck_finance_entry_amount_positive";
ALTER TABLE "finance_entry" ADD CONSTRAINT "ck_finance_entry_amount_positive"
    CHECK (("reverses_id" IS NULL AND "amount_fen" > 0) OR ("reverses_id" IS NOT NULL AND "amount_fen" < 0));
""",
}

DOWNGRADE = {
    "sqlite": """
DELETE FROM "finance_entry" WHERE "reverses_id" IS NOT NULL;
CREATE TABLE "finance_entry_plain" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "local_date" DATE NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "category" VARCHAR(32) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "note" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "created_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_finance_entry_category" CHECK (("kind" = 'cost' AND "category" IN ('ingredients', 'labor', 'rent', 'utilities', 'equipment', 'other')) OR ("kind" = 'grant' AND "category" IN ('operating_grant', 'startup_grant', 'donation', 'other'))),
    CONSTRAINT "ck_finance_entry_amount_positive" CHECK ("amount_fen" > 0)
);
INSERT INTO "finance_entry_plain" ("id", "local_date", "kind", "category", "amount_fen", "note", "created_at", "canteen_id", "created_by_id") SELECT "id", "local_date", "kind", "category", "amount_fen", "note", "created_at", "canteen_id", "created_by_id" FROM "finance_entry";
DROP TABLE "finance_entry";
ALTER TABLE "finance_entry_plain" RENAME TO "finance_entry";
CREATE INDEX "idx_finance_ent_canteen_c76e14" ON "finance_entry" ("canteen_id", "local_date");
""",
    "postgres": """
DELETE FROM "finance_entry" WHERE "reverses_id" IS NOT NULL;
ALTER TABLE "finance_entry" DROP CONSTRAINT "ck_finance_entry_amount_positive";
ALTER TABLE "finance_entry" DROP COLUMN "reverses_id";
ALTER TABLE "finance_entry" ADD CONSTRAINT "ck_finance_entry_amount_positive" CHECK ("amount_fen" > 0);
""",
}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE[db.capabilities.dialect]


FINANCE_ENTRY = (
    "eJzdmG1v2zYQx78KoVcp4AWpnMZe3yWpsxpDk8LVVqBNodDSWSYskSpJNTUKf/fdUZZlyw"
    "91tiyo8yKB9b878vjj8fTww8tUDKn3mv3wJM8Af5SKOb4SkssIetLqqddiHs/z2kqC5cPU"
    "BYxKzxAWrkNjNY8sGkc8NYBSDCbSIrdCSQq5kcAiZSzLuYiZ0kyhkGguLdMQgfgGMRtOGW"
    "cRSgCyhQ54laqIpyzmFo5pnlhFOJGQyeMMeStvJS1XgGFcA9pT9M9zkDHELSbhG2gGsbAQ"
    "v8bITBjLJ8CEYYWMaTY3vCY3g0kxx4Md2THcSoNw2UTImHH8i3C6ROlpi6GR8UwVmKWEBG"
    "WcKFdCWhqAW2dXWiSIOMULrYpkfCvv7spZwNzdvWgxo5yfKTAhdByKVNgpJpIrbVvsfiyi"
    "MRozQ14ZZUnLpQVZw4RlqrAOZyHF1wJCqxJAR41QP39BGZOG72Do8rM3hxeKmCIcvJBG87"
    "6Qaz4JRwLSeKWeSlenh3aaO60v7ZVzpF0chpFKi0zWzvnUjpVceCMOUhOQoAkRalYXVFay"
    "SNN5GVaVVq6idinTX4qJYcSLlIqTossEas0Lw+ubIPzQC8LQWyvcKmKp8OZSpCQVPaZq3O"
    "oTSuE3/+Vp57TbPjvtEi2SFkpnVk5dgykDHZ7rwJs5O7e89HD8a6hL5NfgvkF1M93VqAZl"
    "kq3I4LiyL/Ou6O4CXgk18fr0PwHyHTzfnAc9B7QGSGdxHd3lmOvN6Cr/BjRM4ABReRn/Hq"
    "YgEzvGy+4Ocn+fDy7fng+Oui9oOoVdvez513ODT5ZVslVzewjd5ZhnSLjt74G47W9lTKZV"
    "yOU9IxyBXMd8IZKt/XU17ud99hBQl632d99vtzv+Sfus++q003nVPVn03HXTruZ70f+D+u"
    "/KVlQNud4AqTa13u0VXvk/XXV73pPUtn9yskdxo9fW6na2Rg/RQDRCbjff3ug+taWTrETu"
    "usXRjwMs9x2wg/673ofg/N17Gj4z5mta3fzI4jt12lCPzhr7shiEfewHbxldsk831z2HE5"
    "+vE+1mrP2CTx7lxAurQqnuQx4vM6nkSmrcKpafJvd8RFwNek4t7D8+La4fn+H0gWibcf+K"
    "7vw5+7nCrV69Hoa2EfUoYA/+DYfeGUeTjS8481O+TvhKaRCJ/BOmDnQfk6KvDxugzj9kXN"
    "YjHVhbmFVFVKn1Fmt+v3jVbnREJIDrBusYDLBHD/qXgbelPzwC378M7PMM84t1hb3ZNlvi"
    "FrxUykMeTe65jsOVmiaL8tXGKq+6wvo23EgIFP7bcxOaX+sOqZPsuxWNFrrPRvyE++YTcD"
    "GPrrZgACl3a/q/6P+iR8GhzPysUcsZlzxxWdJws9k/Hnw35A=="
)
"""aerich's description of ``FinanceEntry`` with ``reverses`` (and its ``reversed_by``)."""


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
    state["models.FinanceEntry"] = decompress_dict(FINANCE_ENTRY)["model"]
    return compress_dict(state)


MODELS_STATE = _models_state()
