"""A lock row per (month, funder) for drafting claims, and the append-only record of payments.

``claim_period``: every draft of one funder's month writes its row first, so two drafts whose
canteens overlap (every canteen, and one of them) are decided one after the other on
PostgreSQL too (``canteen.claims.service.draft``).

``claim_payment``: the money a funder paid for a claim, one entry per payment, and a reversing
entry to correct one (never an edit). The CHECKs: a payment is not negative and reverses
nothing, a reversal is not positive and reverses one payment (at most once: the column is
unique); a payment that differs from what was claimed was confirmed. The claims already paid
get their payment entry here, marked confirmed when the amount differs, with a note saying it
was recorded before differences were asked to be confirmed. New tables only.
"""

import importlib.util
from pathlib import Path

from aerich.utils import compress_dict, decompress_dict
from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

_CHECKS = """
    CONSTRAINT "ck_claim_payment_kind" CHECK (("kind" = 'payment' AND "amount_fen" >= 0 AND "reverses_id" IS NULL) OR ("kind" = 'reversal' AND "amount_fen" <= 0 AND "reverses_id" IS NOT NULL)),
    CONSTRAINT "ck_claim_payment_difference_confirmed" CHECK ("kind" = 'reversal' OR "amount_fen" = "claimed_fen" OR "confirmed")
"""

_BACKFILL = """
INSERT INTO "claim_payment" ("kind", "amount_fen", "claimed_fen", "paid_on", "confirmed", "reason", "recorded_at", "claim_id", "recorded_by_id")
SELECT 'payment', "paid_amount_fen", "claimed_fen", "paid_on", "paid_amount_fen" <> "claimed_fen",
    CASE WHEN "paid_amount_fen" <> "claimed_fen" THEN 'recorded before a difference had to be confirmed' ELSE '' END,
    COALESCE("approved_at", "submitted_at"), "id", "paid_recorded_by_id"
FROM "claim" WHERE "status" = 'paid' ORDER BY "id";
"""

UPGRADE = {
    "sqlite": f"""
CREATE TABLE "claim_period" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "month" VARCHAR(7) NOT NULL,
    "funder" VARCHAR(16) NOT NULL,
    "last_drafted_at" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_claim_perio_month_830417" UNIQUE ("month", "funder")
);
CREATE TABLE "claim_payment" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "claimed_fen" BIGINT NOT NULL,
    "paid_on" DATE NOT NULL,
    "confirmed" INT NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "claim_id" INT NOT NULL REFERENCES "claim" ("id") ON DELETE RESTRICT,
    "recorded_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "reverses_id" INT UNIQUE REFERENCES "claim_payment" ("id") ON DELETE RESTRICT,{_CHECKS});
{_BACKFILL}""",
    "postgres": f"""
CREATE TABLE "claim_period" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "month" VARCHAR(7) NOT NULL,
    "funder" VARCHAR(16) NOT NULL,
    "last_drafted_at" TIMESTAMPTZ NOT NULL,
    CONSTRAINT "uid_claim_perio_month_830417" UNIQUE ("month", "funder")
);
CREATE TABLE "claim_payment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(8) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "claimed_fen" BIGINT NOT NULL,
    "paid_on" DATE NOT NULL,
    "confirmed" BOOL NOT NULL,
    "reason" VARCHAR(200) NOT NULL,
    "recorded_at" TIMESTAMPTZ NOT NULL,
    "claim_id" INT NOT NULL REFERENCES "claim" ("id") ON DELETE RESTRICT,
    "recorded_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "reverses_id" INT UNIQUE REFERENCES "claim_payment" ("id") ON DELETE RESTRICT,{_CHECKS});
{_BACKFILL}""",
}

DOWNGRADE = """
DROP TABLE IF EXISTS "claim_payment";
DROP TABLE IF EXISTS "claim_period";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


def _previous_models_state() -> str:
    """The state the highest-numbered earlier migration left."""
    here = Path(__file__)
    number = int(here.name.split("_")[0])
    earlier = [p for p in here.parent.glob("[0-9]*_*.py") if int(p.name.split("_")[0]) < number]
    path = max(earlier, key=lambda p: int(p.name.split("_")[0]))
    spec = importlib.util.spec_from_file_location("previous_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.MODELS_STATE)


# The two models this migration adds, as aerich describes them (aerich.utils.compress_dict).
_ADDED = (
    "eJztWV9T2zgQ/yo7frkwkzIQKMm1T0Dplbny5yC9m2npOIotJ5rYUmoppJkO3/12pThOHC"
    "ckHHDA8JJxVrur1W9XK2n3l5eokMd68zBmIjlno4RL472DX55kCceP0vEqeKzfz0eJYFg7"
    "tgIBcfr9Kda2NikLSG3EYs2RFHIdpKJvhJIkcqIkH0HKAy6ueQiRSoGB1VMF/DZdjoPXPN"
    "UsBhWBHgRdYBJQfzp6D5KGgIfC8HCTJgxVgDMK2bln3VfySu5DqzVeW6tFalUaaquFJWog"
    "DcqGEDIUbbXsLDz0Iy6RV2gYdpmxvHYEmO5lFpkraWgwUaS5ClqhlbqrUkNGKjJiPCtUWi"
    "03FemFNzAzywZow0YaroUW6I8qmXOF9EDJSKTIhoZoYiArQhFFPOUy4DBkGiY80B6hqcou"
    "3a0QacJsAi0+A6vVQpNZj2tAgCfGtVnQg4owOoND8g5D7KowFAaBRX1MK7nxfgoGYa2RgC"
    "GVKvKRtZkNGamx/hGdrpng22FCWjcPpPgx4L5RHY5cKTr723ckCxnyn1xnf/s9PxI8DmeC"
    "WoSkwNJ9M+pb2rE0Hy0jRVDbD1Q8SGTO3B+ZrpITbuFiu8MlT2mBSDPpgGJbDuJ4vBeycH"
    "eW5izOxCmZkEdsENMOIWlnQE7zfP/0rOlfHjV935vbPZnEVNCPSehQ2nloqrar75AJb2rb"
    "u/Xdxs7ebgNZrJkTSv3GTZ0D4wQtPKdN78aOM8Mch8U4B7WHy5qH9bDL0nJcM/4CsmhyEd"
    "kMx2XQZoQc2zzZPAa4Cfvpx1x2TBf/NpYA+ff+xeGn/YtKY4OmU5gZXd48HQ/UaISQzpHN"
    "9/s8vgeiszByZ+Vuj+DngLML4t9rtZ2dem1rZ6/xdrdef9vYmkTz/NCysD44/oMie8YTWa"
    "jnDpjKset5oCD46oI7u6DPROirEvg/IHLl4E+JFIDHHMYNOmaTPp6hC5ag+WG/eVSM3uxg"
    "L4ldpWLO5ILgnZYrINhGwYcCbkJ5XOQOzs4+k+ZE6x+xC8xCVJ5+OTk4uqhs28yNTHgrLA"
    "9Wd8tZ5zDMJR7vOPS8RzkMa1tbKxyHyLXwQLRjRYTdvdRnpjwl0PZeBPWM6LLUQB8vKz00"
    "j0+OLpv7J+czkU5Jg0ZqljoqUCt7Bc9MlMA/x81PQH/h69npkYVTadNJ7Yw5X/OrRzaxgV"
    "G+VEOfhdOYZOSMNH/0+mtd2KdFXtKJ+x9v7iWbpz1aD9l5wTvhO371vFx46YnM9brYzkjd"
    "C7DP/r1JL/ioV/rctLt8Ht+PKuWiI//kIwvzMZrEZMBLIJ2ubD3DpHCTBVBGzd2bsuGk6D"
    "GTDXH1uGburi0XmJsvjg+b3qLccA/gftF8levLE0sIq0I7nw4XAExhTKWxIUvxLTgdzzSi"
    "aqo0wrOMMO+HM8mbCn/WCfGp4u1zyiKr+2Imfa7iiFtwL98CB2PpzAUXPGZ2TQ+F/hPdCx"
    "bKpJYUYjlhknWslaSOhGdQ4KlQs6XYkuHqCu2FnPPW7gI6CaIBopf+piFR0nSrMEyFMVwC"
    "vm+1oXo3uXwEYcoiQ20AYaDCIFZBD1I1rI77AC6iwo35LsMDzOG6DY570Mc8aqvhQhMztH"
    "mEqZhUxEr1tG0iTCrqGliM78lwBAF1DtBEoFJ6wKThXOp3V/LcXdIv//rsSu9dFY+7GKgc"
    "V2CNGkgjYtcosEYEKklQTxVQDF++VietkVt217O4khpzIrVAslWSvEZfQ2UMi4NpAzTnbk"
    "qHj5IcJx43ZqhRYtGgcXyE4RIWlfy/eVav3ahWs/f9tQvwP3YBcm+sWPmYCLzAPsAyKLPC"
    "R31h2aNeLHqMA3wNcHOJF4ju9t4K8G4Xixc5vjQ0C3DMtPFt6rpTZalE/LW69OSqS3Nvyn"
    "Vu50sukCtdiG7+BeIz3Lk="
)

MODELS_STATE = compress_dict(decompress_dict(_previous_models_state()) | decompress_dict(_ADDED))
