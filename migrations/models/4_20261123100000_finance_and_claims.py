"""Costs and grants, the daily claim roll-up, and subsidy claims with their adjustments.

Hand-written beside Tortoise's schema: the CHECK constraints (a finance entry's category
belongs to its kind; a roll-up row never counts below zero; a claim's figures are frozen from
submission on and it is ``paid`` exactly when it carries the amount and day paid), and the
backfill of ``claim_day`` from the meals already sold, so the roll-up equals the live meals'
subsidy lines from the first day (the same "first line" order as ``canteen.claims.rollup``:
funder, rule, pays, compared byte by byte). New tables only: no money table is rebuilt.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {
    "sqlite": """
CREATE TABLE "finance_entry" (
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
CREATE INDEX "idx_finance_ent_canteen_c76e14" ON "finance_entry" ("canteen_id", "local_date");
CREATE TABLE "claim_day" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "local_date" DATE NOT NULL,
    "funder" VARCHAR(16) NOT NULL,
    "rule" VARCHAR(40) NOT NULL,
    "pays" VARCHAR(8) NOT NULL,
    "meals" INT NOT NULL,
    "funder_meals" INT NOT NULL,
    "all_meals" INT NOT NULL,
    "subsidy_fen" BIGINT NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_claim_day_canteen_634aac" UNIQUE ("canteen_id", "local_date", "funder", "rule", "pays"),
    CONSTRAINT "ck_claim_day_pays" CHECK ("pays" IN ('diner', 'operator')),
    CONSTRAINT "ck_claim_day_counts" CHECK ("all_meals" >= 0 AND "all_meals" <= "funder_meals" AND "funder_meals" <= "meals"),
    CONSTRAINT "ck_claim_day_amount" CHECK ("subsidy_fen" >= 0 AND ("meals" > 0 OR "subsidy_fen" = 0))
);
CREATE INDEX "idx_claim_day_local_d_412e38" ON "claim_day" ("local_date", "funder");
CREATE TABLE "claim" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "month" VARCHAR(7) NOT NULL,
    "funder" VARCHAR(16) NOT NULL,
    "scope" VARCHAR(16) NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "meals" INT,
    "subsidy_fen" BIGINT,
    "adjustment_fen" BIGINT,
    "claimed_fen" BIGINT,
    "rows" JSON,
    "created_at" TIMESTAMP NOT NULL,
    "submitted_at" TIMESTAMP,
    "approved_at" TIMESTAMP,
    "paid_amount_fen" BIGINT,
    "paid_on" DATE,
    "approved_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "canteen_id" INT REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "created_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "paid_recorded_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "submitted_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_claim_month_2facb8" UNIQUE ("month", "funder", "scope"),
    CONSTRAINT "ck_claim_status" CHECK ("status" IN ('draft', 'submitted', 'approved', 'paid')),
    CONSTRAINT "ck_claim_month" CHECK ("month" LIKE '____-__'),
    CONSTRAINT "ck_claim_scope" CHECK (("canteen_id" IS NULL AND "scope" = 'all') OR ("canteen_id" IS NOT NULL AND "scope" = CAST("canteen_id" AS VARCHAR(16)))),
    CONSTRAINT "ck_claim_frozen_at_submit" CHECK ("status" = 'draft' OR ("submitted_at" IS NOT NULL AND "meals" IS NOT NULL AND "subsidy_fen" IS NOT NULL AND "adjustment_fen" IS NOT NULL AND "claimed_fen" IS NOT NULL AND "claimed_fen" = "subsidy_fen" + "adjustment_fen")),
    CONSTRAINT "ck_claim_approved" CHECK ("status" IN ('draft', 'submitted') OR "approved_at" IS NOT NULL),
    CONSTRAINT "ck_claim_paid" CHECK (("status" = 'paid') = ("paid_amount_fen" IS NOT NULL AND "paid_on" IS NOT NULL) AND ("paid_amount_fen" IS NULL OR "paid_amount_fen" >= 0))
);
CREATE TABLE "claim_adjustment" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "funder" VARCHAR(16) NOT NULL,
    "rule" VARCHAR(40) NOT NULL,
    "pays" VARCHAR(8) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "reason" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "claim_id" INT REFERENCES "claim" ("id") ON DELETE RESTRICT,
    "meal_id" BIGINT NOT NULL REFERENCES "meal" ("id") ON DELETE RESTRICT,
    "source_claim_id" INT NOT NULL REFERENCES "claim" ("id") ON DELETE RESTRICT,
    "line_id" BIGINT NOT NULL UNIQUE REFERENCES "subsidy_line" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_claim_adjustment_amount" CHECK ("amount_fen" <> 0),
    CONSTRAINT "ck_claim_adjustment_pays" CHECK ("pays" IN ('diner', 'operator'))
);
INSERT INTO "claim_day" ("canteen_id", "local_date", "funder", "rule", "pays", "meals", "funder_meals", "all_meals", "subsidy_fen")
SELECT "canteen_id", "local_date", "funder", "rule", "pays", COUNT(*), SUM("first_of_funder"), SUM("first_of_meal"), SUM("amount_fen")
FROM (
    SELECT m."canteen_id", m."local_date", l."funder", l."rule", l."pays", l."amount_fen",
        CASE WHEN ROW_NUMBER() OVER (PARTITION BY l."meal_id", l."funder" ORDER BY l."funder", l."rule", l."pays") = 1 THEN 1 ELSE 0 END AS "first_of_funder",
        CASE WHEN ROW_NUMBER() OVER (PARTITION BY l."meal_id" ORDER BY l."funder", l."rule", l."pays") = 1 THEN 1 ELSE 0 END AS "first_of_meal"
    FROM "subsidy_line" l JOIN "meal" m ON m."id" = l."meal_id"
    WHERE m."voided_at" IS NULL
) AS "lines"
GROUP BY "canteen_id", "local_date", "funder", "rule", "pays";
""",
    "postgres": """
CREATE TABLE "finance_entry" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "local_date" DATE NOT NULL,
    "kind" VARCHAR(8) NOT NULL,
    "category" VARCHAR(32) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "note" VARCHAR(200) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "created_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_finance_entry_category" CHECK (("kind" = 'cost' AND "category" IN ('ingredients', 'labor', 'rent', 'utilities', 'equipment', 'other')) OR ("kind" = 'grant' AND "category" IN ('operating_grant', 'startup_grant', 'donation', 'other'))),
    CONSTRAINT "ck_finance_entry_amount_positive" CHECK ("amount_fen" > 0)
);
CREATE INDEX "idx_finance_ent_canteen_c76e14" ON "finance_entry" ("canteen_id", "local_date");
CREATE TABLE "claim_day" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "local_date" DATE NOT NULL,
    "funder" VARCHAR(16) NOT NULL,
    "rule" VARCHAR(40) NOT NULL,
    "pays" VARCHAR(8) NOT NULL,
    "meals" INT NOT NULL,
    "funder_meals" INT NOT NULL,
    "all_meals" INT NOT NULL,
    "subsidy_fen" BIGINT NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_claim_day_canteen_634aac" UNIQUE ("canteen_id", "local_date", "funder", "rule", "pays"),
    CONSTRAINT "ck_claim_day_pays" CHECK ("pays" IN ('diner', 'operator')),
    CONSTRAINT "ck_claim_day_counts" CHECK ("all_meals" >= 0 AND "all_meals" <= "funder_meals" AND "funder_meals" <= "meals"),
    CONSTRAINT "ck_claim_day_amount" CHECK ("subsidy_fen" >= 0 AND ("meals" > 0 OR "subsidy_fen" = 0))
);
CREATE INDEX "idx_claim_day_local_d_412e38" ON "claim_day" ("local_date", "funder");
CREATE TABLE "claim" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "month" VARCHAR(7) NOT NULL,
    "funder" VARCHAR(16) NOT NULL,
    "scope" VARCHAR(16) NOT NULL,
    "status" VARCHAR(12) NOT NULL,
    "meals" INT,
    "subsidy_fen" BIGINT,
    "adjustment_fen" BIGINT,
    "claimed_fen" BIGINT,
    "rows" JSONB,
    "created_at" TIMESTAMPTZ NOT NULL,
    "submitted_at" TIMESTAMPTZ,
    "approved_at" TIMESTAMPTZ,
    "paid_amount_fen" BIGINT,
    "paid_on" DATE,
    "approved_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "canteen_id" INT REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "created_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "paid_recorded_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "submitted_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_claim_month_2facb8" UNIQUE ("month", "funder", "scope"),
    CONSTRAINT "ck_claim_status" CHECK ("status" IN ('draft', 'submitted', 'approved', 'paid')),
    CONSTRAINT "ck_claim_month" CHECK ("month" LIKE '____-__'),
    CONSTRAINT "ck_claim_scope" CHECK (("canteen_id" IS NULL AND "scope" = 'all') OR ("canteen_id" IS NOT NULL AND "scope" = CAST("canteen_id" AS VARCHAR(16)))),
    CONSTRAINT "ck_claim_frozen_at_submit" CHECK ("status" = 'draft' OR ("submitted_at" IS NOT NULL AND "meals" IS NOT NULL AND "subsidy_fen" IS NOT NULL AND "adjustment_fen" IS NOT NULL AND "claimed_fen" IS NOT NULL AND "claimed_fen" = "subsidy_fen" + "adjustment_fen")),
    CONSTRAINT "ck_claim_approved" CHECK ("status" IN ('draft', 'submitted') OR "approved_at" IS NOT NULL),
    CONSTRAINT "ck_claim_paid" CHECK (("status" = 'paid') = ("paid_amount_fen" IS NOT NULL AND "paid_on" IS NOT NULL) AND ("paid_amount_fen" IS NULL OR "paid_amount_fen" >= 0))
);
CREATE TABLE "claim_adjustment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "funder" VARCHAR(16) NOT NULL,
    "rule" VARCHAR(40) NOT NULL,
    "pays" VARCHAR(8) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "reason" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "claim_id" INT REFERENCES "claim" ("id") ON DELETE RESTRICT,
    "meal_id" BIGINT NOT NULL REFERENCES "meal" ("id") ON DELETE RESTRICT,
    "source_claim_id" INT NOT NULL REFERENCES "claim" ("id") ON DELETE RESTRICT,
    "line_id" BIGINT NOT NULL UNIQUE REFERENCES "subsidy_line" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_claim_adjustment_amount" CHECK ("amount_fen" <> 0),
    CONSTRAINT "ck_claim_adjustment_pays" CHECK ("pays" IN ('diner', 'operator'))
);
INSERT INTO "claim_day" ("canteen_id", "local_date", "funder", "rule", "pays", "meals", "funder_meals", "all_meals", "subsidy_fen")
SELECT "canteen_id", "local_date", "funder", "rule", "pays", COUNT(*), SUM("first_of_funder"), SUM("first_of_meal"), SUM("amount_fen")
FROM (
    SELECT m."canteen_id", m."local_date", l."funder", l."rule", l."pays", l."amount_fen",
        CASE WHEN ROW_NUMBER() OVER (PARTITION BY l."meal_id", l."funder" ORDER BY l."funder" COLLATE "C", l."rule" COLLATE "C", l."pays" COLLATE "C") = 1 THEN 1 ELSE 0 END AS "first_of_funder",
        CASE WHEN ROW_NUMBER() OVER (PARTITION BY l."meal_id" ORDER BY l."funder" COLLATE "C", l."rule" COLLATE "C", l."pays" COLLATE "C") = 1 THEN 1 ELSE 0 END AS "first_of_meal"
    FROM "subsidy_line" l JOIN "meal" m ON m."id" = l."meal_id"
    WHERE m."voided_at" IS NULL
) AS "lines"
GROUP BY "canteen_id", "local_date", "funder", "rule", "pays";
""",
}

DOWNGRADE = """
DROP TABLE IF EXISTS "claim_adjustment";
DROP TABLE IF EXISTS "claim";
DROP TABLE IF EXISTS "claim_day";
DROP TABLE IF EXISTS "finance_entry";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXWtz27jV/isYf1l7RpvajnNp0umMk822aXPZJt63na47EkRCFmqKUAHSjtruf3/PAS"
    "/iVQIlSqJYfElkEgckH9zO/fznZCZc5qkn12EwvRH3zD95Rf5z4tMZgx/lmwNyQufz5S28"
    "ENCxp1tTaDYM0nZjFUjqBHBnQj3F4JLLlCP5POACH3NyTcaMSiaJpnlNhO8tCA8U+frH6+"
    "8vnz0nXBEVCMncAVGCUOKI+YKICQmmjLgUnksVI564U8QXQM0I95/go13hwLO5f7fTp4Q+"
    "/1fI4IPvGDSV8Kxf/gGXue+yb0wlf87vhxPOPDeHK3exA319GCzm+tp7P/hRN8QPGA8d4Y"
    "Uzf9l4vgimwk9bcz/Aq3fMZ5IGDLsPZIgg+6HnxSOS4B696bJJ9IoZGpdNaOjhUCF19ALL"
    "ayfD4afPN8Ov726Gw5PSMCYUGczjS47wcQrAqyr99Xf4Ct9fXly9uHr59PnVS2iiXzO98u"
    "LX6NFLYCJCDc+nm5Nf9X0YkqiFxngJqh7f4ZSqaRnct1Mqq9HNUxVQhtcvopxg2l2YZ/Tb"
    "0GP+XTCFP59frcD0/66/vP3j9ZfT51dn+EAByzVayZ/iO5f6FsK+hNmRDKEY0qAM8w9wJ+"
    "AzVg11nrIAtRuTPkl+bAJ8cmGJ/HLr2QP0K6C+ef/x3deb648/Yfczpf7labyub97hnUt9"
    "dVG4evq8MCxpJ+Sv72/+SPBP8vfPn95pOIUK7qR+4rLdzd9P8J1gYxZDXzwOqZvFJLmcXM"
    "oNM/s259DdBsOcp7TD3OlhluwBNsBNVnOesoVhjjdJO8rtj3KomBw2YjoyFOs5jyNYs20w"
    "H8jOTe4reQ+Eq4zuj8BV8jv/z2yhQX4Pb0R9h1WAGjPaP8fdHBm4vyazJ7m6XM2SPqb8b3"
    "ZSwbfDF7NAf/0XmOBf3r8FjBHiMXXuH6l0hzms8Y64FIUradvyrdnlrHiF+vROo4OfgS8d"
    "w/5B3HH/ZipFEGh8SwJQvsFglRDkYdNhkG27VhB6C8AxJwz4A4Mm3GMu0d0oMhFSixyIHL"
    "4TOb2HNe4TuOyL4IxQ3yWPU+aDQENmdAGoLwi9o1Vy0K4esoUYlDywCb+epbHceg23Xi8k"
    "4ciHeLKYHwVZkv2dBecdPgiyR6snHOSCQj/gXlMWqkhrmaiuMVGlI/8wB5TmCyrOpYRfqD"
    "+OEsZk/SH0VcwYngKPUxFpu7j/ilB3xv0BcfgD976nE9gKJGrL4BdcpH7A4FSI3lriBTXl"
    "TOK5MaEz7i3Kh9CuHmJ1cd3SxdmTfed6uDlV6lHAztJU41kibAfsQwt4Obgvnz0zwBta1Q"
    "Ku7+URl8JrNKGT9j3E9+K5AbwXxdN6iS7eyoPrcjX36GLYdNco0u0P7JOT/UB9fm6C9fl5"
    "Pdh4r7B5AEaNYE4Jeofv00sDeJ9e1qKLt/LgApsFQnYZ3TcCNgTqVwO8JCogPAaqXUGcnI"
    "f75fzffP78Icf0v3l/U0D3549v3sGk1qBDIx7picrSlzVGbTIARyF65YY5kgKaqbDzRBtp"
    "LjomTe9YiR0D1oIe++2yp+NC2FSTnZ9bjZXZBaeFCm3cm5juxz9/YR7Vn1GLds495zh3qR"
    "LgBd4Qvmnocf9+S6R+1BqDD9BRX6EKxDycq6FkDgN2omK7bALXDXbWn0WcZ9JClwdD5kNX"
    "VdrwZusPunoHPS16ihV32WwuAuY7C5xZQrpbIvZ+2eEX3V9fl+NceNzZeoL9hL30dXI5AI"
    "IacqXCbbert9RoIh0jSDMGrzRUwtsSoo/QT1/XWoTRg4Ddaj8oHeNE0vzBEG4ypNqeO3iv"
    "e+rrlKIek4EaToTniUe01M635BSwv57OrBirKfVdb9sF2GecfBHwCXc0AluuwE+ZrnqK1o"
    "T7qGpoh1H/Meqsz6y641E+U0M6n0uxtfz3FjvrN1CupJPA4rQWpxmV6Ko0p1UqWItVDisV"
    "jmc8sLOqgNQuHaQShXOFj1RGF13vJpVRfZvELTpiNgO8g0Xin/SajEYuR2ScYDT6zWgEPx"
    "mDn8RlDggk5HHKnSnxhEM9AvNDcRdOMwIv5C0w0FCyqsDFXT3Gekt1y1uqqc/D/n0d9udY"
    "sgtvB+q6kqkK5rEe4gxJ7zweLo0wvlyB8WUZ42RbagJylqZ3KLfv8Rdt9k0AXlJYeNfCi3"
    "4e/27oFpWl6eFu3D7IqKQdPsLHiceK/fhPXz9/qga6SFd02IFdhPyXeLChHCHoK0BGRLDn"
    "1EsnAff04/Xfiri//fD5jQYn436DHbyxXlP/K15TDQJWsgcLnUy2E1YNI1ePRVbNrhYxmT"
    "DsZUvl4+e4m+NdFKthmooZG2pPnS2B+gH76Olc0jZKa8JdbUOytqMuWkOOckJFGlmrh12J"
    "z9ClizYw+oH2ah7tUl+dMgMVCusso1CvsRbZVgYqa5erKQbNKhYQPIWI8DHXXaRX/k6Rue"
    "QO0wJUlSa6IbVVMFsFc2cW+B4UzFo7oVFqAHKOqI9Itx4jqneZ4aQqROUNv6vdJXJkfcpm"
    "9dvLy6dPX1yeP33+8tnVixfPXp6nG0f51qod5M37P+AmkhuIcrBdQKtk4HqdXdJ+/7q6k9"
    "9NQt9BVMk45F7AffUEn/f7Xemm963BsyGmNsT08NvQsStLuxBi2rUx7WGMadcg3nuQ6f60"
    "jseiA9mlbB/prysE+1SxXS/Vu2mT9SK9T5gvhYeJHOG9mKyQ20tNbv1b/2bKCGyc3GV+QN"
    "7/AK8/GzO5TIMfZchnviMXcxhocjoacXcYtRo6fA4C/Wh0Rh55MCWU3LMFtMFUQrd+riVe"
    "wnaYXTKaDz5TSieT9IS4/z6cv9Zp+D2qAmgUSuKAqASfzCS0kgx6ngeEzqkMbv0xc2iomM"
    "7J74gQ1gXqIqh0pkyRsfZtm+muscGMqnt4J3jwjKipeFTJ7cUjtenCrH6iY8fBrl0uiou3"
    "CdBVtD0E/eLypYmu4vJlvbIC79Xh3jRDW5nS5sMzmeZ4lFw1BDql2dW0PhzGJhDXI1wCWL"
    "I7eB1Az22WBS9P1sPdw0TPWa/mLGk5x1wG0yGqBaoVDtUw56lWKRuOEO8VAKPyoAAgfJzb"
    "7JhbUvRwepocbfUHW+lY617qwNIOe7yZA22ggg1UOH5PehuosNsKbADEnah2AKu3xuWprE"
    "2udZscbBJ0zD0eLGDwH1hFNYivM+p5tcqiKvoeZa18evnieao3wj9WqYy+frz+8KFsi3M5"
    "C2jkrWg67TMkds63PudVQIOwEb+ypNjjTr+0fB+j24u1QG8y34/OAh3O3Q2HOU9ph7nTw6"
    "zjZDbyNqig7BF/sCuPgyxqZbBtautBweugYpZt4XoQ1WiyuZtrwC/IdVsn1jVMgXqU8Hh8"
    "xoNhqLaNe/qA/fysjvgctDGGW8BjM6B2NSLzKAE6XDrPo4GrkbNd1sdde3rVY/rZZzcC/j"
    "GYgcuu+sG0/drQJzHDPFU4JuZZq3rvxAwzpxsahB1GJLq0tC76ifWjFWORr56Yk3BOgilX"
    "RDs+ktPb8Iqdn+O/l/Q2fHl+foG/x/D72VM2uQ2fvzj/Lfz+7QVcuZpcufB7PH4O/zrP2F"
    "lV4OLen1/hWvhLWoU1cu/8h/U1PKCvoczsFuY+LLU7TB88BNo3ZFuV5botvRe6rKgwU6Nt"
    "KktiA2Yq4s3wrGgGaYbCIrpeIZgcxlsqAg0zXnUNXFM1YGZS1aj/ShtBC6Ca5n46VlSzu1"
    "9jreoug5YSCalCOsgIT/WiQUZYM8tGAjh8p4jwGZlLhmnlo7wicT/VOUgMaGxkT7e47TH1"
    "dMaqxkkbCoT7O9jOd4v0nnM2eMDQbTwGFcT7G4fL8/N+DYWVidYdn1YmamuBHf2ZUuLfTY"
    "zNraRF/MDcOyZ7nRUxKhLcgu2r1wBZG2Ejm85aYTAx1+xaFDzo3rcrQXAr4S67pVUIeIUd"
    "r17I83RDnX12YSbpwXCTmXhgM8w1ISbw22cLwn1C/URse0189sAkiZ0YB/GfESJuWRBsp8"
    "v1cuIviUwbjxL8+49GsuMqzrpn4uNeOOl6IfMePr6JOSdp30NTTvve53SmF0Fj4TFP1yfF"
    "9J7lxkQCx0KVcnNFSo7cDsfGw9FcfLdi+xGI7fnD3lBwzxP1aVG1Zs7UWY6bskcZoh5FOO"
    "w7XW8kxDaZz1mSHgG/K0tyrYdiY7unuYNi1/YLU4E3v1UamJSDRMG0JbSmiqqOTV1TXLNL"
    "1gDVWezZvyWo/UoHWsQ0c/x0ykgfTeUKDU46x+t1N+lyWq+0+ag1Ktq+DhiJjGLlFaFBLg"
    "fnqUPVdAAgUl9NmDzDGiHC97hfUc+6vW6tkb9bRn6rIjgwqzeDdSAaqcCWFFYJZqAEkwy2"
    "IRYfieZe4xmi3uU12knOVKtcscoVq1wxVq5I5jD+wNzheNEM2zKhFfetuH9IcT8zI1sAuF"
    "/lqIvgllfvFhk6DuA0dSSwbxq4zFNvn2pAzeOWmzkPHROsTUITQpcHtc4rmbuDlQEK2K6p"
    "64pivuKYOo5QncXvNXmUPIDhQH8TVFgoeJlITRE1IFQXG4mbY30T5k2qfVha7NvEmUWM/8"
    "mcIJpgOK2jP61TS2edWqwo1FNRqGnw+ZKih6qa9rMjFzY6U5QLZD2Euv0o/+Uh0hzoysOi"
    "DzC3P6PHbALyTxnj+qTHS4qtch53k6GswnU3RXbRY64J7CmBRX2r0saiYfxUlsTqsQz0WA"
    "CXVbKs1WAtJ1WnvADeu2w2FyAoOosvzBEyL7TVNhqsko75svlQLtuvFZKxluiESxUQFToO"
    "U2oSegQk1kcmSSDIKWaRGGCN0LOBiXiL9UDZZAL8QVlm3u2jVqbtgk63S9plpeZ9Sc04VA"
    "2Y0bh5D9nQy2fPDPhQaFVfOwnv5c/mCTyfybnkVerNepQLZD1Eexc1lKora6yuIVNbXeOo"
    "7aVtlI4ZC7dR3Zik/f6LxvSIl7cpLzYZiqPTadqUdTZlXQcktvUp6w4jsP0kPO5UGi/jO4"
    "NVotl82cbIZvnApEIZR0wi2SccK+4uiAw9pgYoEU2EdECUkmJGRqNIBOIPbIgXRiMS+gH3"
    "NKXPvgWYbK3afLmbx1jP7m55duv/G3D6Sfsesvg7KUabXxfVTFI10mXKtmt+dyGPShXUFR"
    "W/ob9wVulzs6IwZIbGMvmWybdM/momPxmspq7GJTproVnL7y8xs2aaNUx/aXpt4Qq7v8pZ"
    "RwJ2Mw/YhmKRrlVXIRQlNezqRSKHmtqnrqMM0UjwhLwPFPnLFzKnC09Ql2DVFybRjzqSUt"
    "AixN2oMgxKNExi0rB7tkjyh6kAll5FRrJdPcTErTPNI9fMjdMKRlsKRjBwvCqSfkXh65Si"
    "HeHosPAWRCMjyWiFYFSUi7hS4UYsZY7QcpSd5iglexD3G41ynrKFYe7medyjUR4Cm6aaFt"
    "0qEG60b3ZsZHcdqN6J7OOHxrjlKNv4TGkq+BbJrNy7Vu61ZYTMhF6D7NGVE9hqE9YAW1yz"
    "VplwJMqEtKh7VX7zTMH3FcnNk/Ly5qZW5Qmdgpxqs+d3IOpTLDYrJCYlD6bwU3c6IAG9Zz"
    "4ZL3TtKpwYNSGhm/d369/66CEbTQJyqneIge5nQOYgegp3oPs/Q5XE45QGZAadKBI8iiTt"
    "liLKob4PL6T7RX0GocGtn7rQcr07BPAQBA29bscimOq30doMj2rvXLQEc8Wi6lyvYj0HTA"
    "fM+wW7RwDP8zwOeA5ufdSHKAqdwVtJhpHokXJEsu/nkjvMfUKuyYPgbpy9PQqBxY4BHvwe"
    "NSATyRi+tH4FBKjeozc9YBAYvfA0NPgLOyt5+f6S5oKzYbLddPhNBtJYqkgGvn8W6isTNc"
    "xVvRrmqqSGWa4OU3iXFD0E+MIE4It6gC9KAOtNpwTvGh/fmKZPslobHr5W9O1J9u6OgrqH"
    "g86KxrWDsCPReL/5kI8V1K4mRNawV0h8yXDUS3vJuBuWsEL7rhKeizIPykZ6lr3S1lwtpg"
    "xApBJRbmOUrQapgTfy3oWfIHBFAg3hFcGNu3qIiQkZZL6AMT8eX084MNbaZxBa/pJbT9l7"
    "VhzqpDikV2rT3Cc5oj7y7a2bWfQqa57wOkdmeaOGsz4jNkXRBs0HoEBoh2DjIZjTDeDPEF"
    "noN4ZezBEjIYcbL4O6HvY3KP0q7Q7zujr8YIWibEnSwxPXJDV8fWL4Ulr4DONZgrg+RCZP"
    "1XZ4TDdEN8MAGZtMspe+VSAYhzDFm/tWlQj751vVfrpDNENu5K6YI7Teil1eUThUG6ynAl"
    "n/VtNOol/zmifTeLIcUZ/EiNasNui50RTUlMK6KVrT4j4wFZMJwwc2g7VAZSdrhTCqrQHN"
    "YM3RWFArNI7Ca+4Bnieyu0AFrjFr3BTZIpmdsutjyiO+qQVj99tlT0c2e42DynM8poEbgf"
    "XOMAO2oXdGEui99YSNujmu/cB8sqa8uwGkCQPVAqyfM131E9oCt2kA7zJb25bgLlPD9RPa"
    "HMdpAGzMS7WAbM+zIOaZTgNkU15qf9ge6Zwtcp226uIOQM8b/pKgrG2RyoSA9WTdF3Dyt4"
    "Xoa+QK8AF66itKjkf5bEjdf4YqQOP7loi9xe6u0976hNounXazE63Cd7cwD+tdeBPfFS9p"
    "aeTKG0dWqimVDGMtkwjKV1FQpPahnYQwHJKIR0xle8/mAVGCUKKnDwHZkIwZBijGiZ2qvX"
    "l39BwTh14bstgF7yAbsmhgVmw/ZBG+mzXKy5US9BDeCyOr7cUKq+1F2Wob7VpNIF5S9BHj"
    "1p3L6Qzj8Zt7debp+mRu2L87ZwVruNKXs6rmTh9md8uOnDaetCvxpDbwsVOBj/VCar2MCm"
    "LGjYB/diGpHouyqKHseSPm4Rw2GqZ7KMme2duDVbJngA2HfNnSIBPxhM4wm8+MzcZMgmh4"
    "KqSO3hSTCXdAVjwjj1xNMfgTzhPM+MMWBJ6AEqE2mwEJdXSqHhAmUeitykTc/kOSzEJj6u"
    "FWADQPTOHNBUiyLCqwOZfigbuaWsH2wVzii4DDE2lUblOiAKteRfU4qS73cutnC3JiJxGa"
    "JAilr8hopKt8Mpe5oxE5BaFY+C7HttQjP/+EvqJRQmWQksUcXiOqfHeWxMTe+slncEUcyY"
    "AW3uqRB1P40tFIjx90jGrYBTmdgTAtXLgeffNoNAC5e8Ikww/Of+BZfXKhpJFeh/HvIfRT"
    "kVVoWaePfZtzyRQ6B9sUzntN4WzZ7EOz2Zn1YsxqZ9dY/9jt9oMW6uqIrkhUXldDdIcAn8"
    "AW7sauBMcosmNgaygb6Z0yJHvEeT8APzPSOz1boXd6VtY75Y7UDbaMhK5/wRntVx+2NZ1q"
    "oe9TtFOG+Ww4zHlKO8ydHmZMGbTBGGfIbNBil8c3FnWbudDnifokxrQXR3fQknd9R9cG1b"
    "WPaayXbIJplqSVMJqjVxqtsJrYOA8zu0nDOI/4LGoB2OtlTz2FNn9umwTRHKCY6LGCu301"
    "0bLVr7A7lwchseMZDsFN0ssx7cumA5A9jUyw38oT9dpjstIOGN0YrLIA0rTJWtPfV4H2Ja"
    "xQQcciDNBkBa/HZGQLU3AXnUPVVISeS+6ByY8yu2o/0UeqiIu3I9Kq3LHtd19p3bqHiaOf"
    "nRxdxWyw1XVJB+WUsqsTzko2FzLWIFmL2F4tYskQm2pWk/Y9NMS0byKwOey2zGF3JJYs9E"
    "Y4VjOWywLKK6xYf/r6+VONRJ5SFOcmdwLyX+JxtTNm/OR3k9CP/EfGIfcC7qsn+Njf7wr+"
    "FXAjQjl1YQLz6cfrvxVH4O2Hz2+KekDs4E3R0xoY/U0Ut1k6q5rvtOo2y+00HOUCqVXRd3"
    "mcp8ByexsNc57SjnKXR9kXVdxdPYOStLcOICYOIBPheeIRlkI43+hQLFLbtdTltRSNF45W"
    "01VVprTry2R9HSoda8cWkbVzdh/T7Gbe1DpfSWsnbhnkhPNsCnCJzoJrDcuHMSwfIullxy"
    "ausemzac7L5TJvAd5+Jw4r7YgG8OaPKQvxGogrT/UtErRlAxi3zBP1KdNVfwZgpzmicpBV"
    "GOiLkNbb6f1iS8OCr0rBm2GcLPTIH5gkpzqMNgzG4tvZK/IoeRAwHyNaKclEsg6IwiDW8Q"
    "LzOMGy95lHYH4wWVfztfXnYLzuaCSZw+ccmoxGGAGLfcahwSFsA4TruNiJkK8Jm82DBf7U"
    "jeJTAAN5AzqZaPsN1p3lzjQKqx2NPHEHnSYPxRdkCj8AyeEeOY0oJaM6EpdLon0lFKEBGY"
    "3+8O6G/Ca6MBrVBtOuCJj12bdgSAEUeG/tIxA5DcSfGy98zH6F1/WDbC6sQ8d8WpeDg5hz"
    "4zXaBN8MiYXYLPDTE7RiCtebzDMk+7eZH0b5vBPr+JH4gxx5ZHN80lbg/HVGPa8+vChD15"
    "uysk8vXzxPj0f8Y9WB+PXj9YcPZa1akX8p4brajFVBbl08Om3I8qgKhkxK0SjRRZ6qdwas"
    "p0YGrKcrDFhPKwxYNmr9f2FBoeS7wRhnyKzlv8vjmwrtpQGu5zYyJNbaZG3Q+8C0qHMyxL"
    "VIZqfrWuNoGmu1bXBo0s9xoWscGZrZBG3NukOZnNP1bU12a4At7oS7zbDb0AL1I/dxbKLi"
    "ShUWqNz9wSoL1CRqOWRpUyMTlANcFcEUPERIXT3kTlI/IAAaw2ogseknMtcMCGZZJTpYjC"
    "ATW21t2q5LNCy9i8pWEV3UBFPAwmczmGUupmidcZjP90xnXBUSeg2SPrVlKk62irGn7Nvc"
    "g4kBt7lPeKBuffTUPHutbUgqhG4AszH3eLAgUZgDXJ1pM9YMe0w/0cR0VB9uaqNL9xldag"
    "MgtwyAtLayXZUlcACHOyErvGxWWMoyND1EuP1MtDbf8oHzLdvopHhuXxopny9XKJ8vrfL5"
    "f1Q5eaggma6Nab9yLXZMgt6xPu0QXvFdm787c4s/RLq1jk3fQ2Zba08DpIsmnVSofqIbg1"
    "U6HydtYqTriQokfqfi0q+TWD0zE34wHaR/xlMRlTd4iXoeFpZFnUi1umfrXlHj8yO/C+H4"
    "JKejERbDUqMRefKEjEa6Txg7YMuxXM5oJMUjevRq1VDkU/w45R7DwkKSTgLt17zQdx0xm4"
    "cw7rc+ejxHJXsmUvwbXgITloXjGVcK0MHHKEfMWeTDPBrBu8HPkqcydwdYOHdZWeg0+UQN"
    "ANzETs6Sirrxm0f6KwHLrz7nme5HL+O0gqXuq5TwzGqS9qlJWg6LoSSTEvRQUF8FZSLKvK"
    "gVZF7Y6q57dqiMNpAG+KYEFl4TeI/DK1ififvRdlyYaPIu6jV5FyVNnmYEGpxraXsrm5UF"
    "X+B3FHcXzfWiBcIeYbtnveiy1uoGyukSrR2HTcchI1I0G4QCoR2BTUcAZbgy9PWhTEn7re"
    "KYOob8vsOYrN1gk6E4OruBVmsEmw10kda6r3d5pOkcK05uNNAFUjvOXR7nqDzehk4NFcSW"
    "bdmUbdFgiooRqHcry5Bs6VPWsRFo5lKWbjhNza5lwh5N3/aM2jaj5k5gtb4CuwNX74ySOU"
    "K6G0BcQ22BrlT8xVx9U5ArKC3AnfR66RjC1umlA9gaOr3UbRUW4DUAV+yOJiVIlwytRXhd"
    "oGmJ+TcAuMgZWJTXoFzDSm2R03RprNoyo6n2gLtOe+vPGOStIZQr1MUdDrWOKuT3mwu2CF"
    "udR2Ye2TW+mZlR1a3Xumlek9jeTjzuM3SRpKkn4WnkvXgWuVaSRx5MXVjKfhz3qkNgHwR3"
    "y26arfSKbppf9FzFcFr0jcTL36lsvlhC72C8VBBlgo2cLSO3UO02qUtKI31w65+ORkqE0m"
    "FD3WA0Onud+HtGjpiRdycQcC/qLvEzxdxkca/QLD2H0cHz1neo1KHDPHhC0DtVfzA0iwYC"
    "WwXwpSpY6ZJp3S4P6HZpXQN37LsmQ6+RZ2DSvofgXplE6F3VB+hdleLz5nTRyC0wad9DcF"
    "uOnraBvYd222FUVZm/VuwcKcUefV6RKzk50q3ZeunUQt8nm34kGzQzKmVIrBa+vDmh83cl"
    "oquOhgyRPRc2PheyYlxDC1OZsk/j0NrkRiG28eTOELUDahekzj1M7RW2PdwvWlAof4y7Ob"
    "JZbapRzuyqJkanzB7QhtE06aen4FZsmSaG0z2j2zFmw9houh7VJkkC8ht4Gf7PPrsR8I8h"
    "+F8jHe6HuK+j2r5NRyBzaJkMwPYa/x9oZd7N9N5gvY7fpYb5Nv8apw4gqFFDLbxI0ydE+T"
    "Lj22muBF//mSTHXAyIwNJtugIaf8CybvCcsrZ/N4+JCr4lyRm0Jj8q+KYvRfr9KX3ATAyJ"
    "kSGYcqVf4gm51s20dYEoBt3DH9hMxe9368cveCpk2iC6pM6Sp6HKHm0Po1F0Z5i8zalO2p"
    "D8efYKP0mbDLhUwa0Pj+BAHj0P6E+TjA34bgOCKrgzgvZP+YR8FZgDdAZQlh+jYaFLQwTG"
    "Jd36KRQAQHpLkwx0zolld5l3zAIY2Wa0YSUmY99gHnmL+owRGSejQr7LVBWeam1RwVhMJP"
    "FLNZktX9fN8nU2p+mWDujWpmRtStam1ANwW7Yp7TfFxEbQ7rjWXGs6qiyv1ADRIpkFtpQ3"
    "IuEaG6Cao7GQdioZSheR3XcKDpvdtq+hKF2DuNVYlCbKv/b0VNdMcmd6UqGliu8MVumo6L"
    "LNOgVVPajWR7JbPpIPTCrezBcnQ9JDueDy2TMDyQBa1efax3ulsPUmCMfNe4juhVElg4sV"
    "lQwuKioZCNhxq+qX1SeCypDYmvYNk0GV+IR9Hma//j9tTECV"
)
