"""Meals sold at the counter, their subsidy lines, and the limit slots they take.

Hand-written beside Tortoise's schema: the CHECK constraints (a meal's price is always its
subsidy plus what the diner paid), and the ledger's new ``meal_id`` column (added, never
rebuilt: a rebuild of a money table is what can lose rows on SQLite).
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {
    "sqlite": """
CREATE TABLE "meal" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "subsidy_fen" BIGINT NOT NULL,
    "pay_fen" BIGINT NOT NULL,
    "operator_subsidy_fen" BIGINT NOT NULL,
    "payment" VARCHAR(8) NOT NULL,
    "local_date" DATE NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "manual_reason" VARCHAR(32),
    "voided_at" TIMESTAMP,
    "void_reason" VARCHAR(200),
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "card_id" INT REFERENCES "card" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "offering_id" INT REFERENCES "offering" ("id") ON DELETE RESTRICT,
    "policy_id" INT REFERENCES "policy" ("id") ON DELETE RESTRICT,
    "sold_by_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    "voided_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_meal_type" CHECK ("meal_type" IN ('breakfast', 'lunch', 'dinner')),
    CONSTRAINT "ck_meal_payment" CHECK ("payment" IN ('account', 'cash')),
    CONSTRAINT "ck_meal_amounts" CHECK ("price_fen" >= 0 AND "subsidy_fen" >= 0 AND "pay_fen" >= 0 AND "operator_subsidy_fen" >= 0),
    CONSTRAINT "ck_meal_price_is_subsidy_plus_pay" CHECK ("price_fen" = "subsidy_fen" + "pay_fen"),
    CONSTRAINT "ck_meal_voided_with_reason" CHECK (("voided_at" IS NULL) = ("void_reason" IS NULL)),
    CONSTRAINT "ck_meal_manual_reason" CHECK ("manual_reason" IS NULL OR "manual_reason" IN ('card_forgotten', 'card_damaged', 'scanner_down', 'phone_unreadable', 'other'))
);
CREATE INDEX "idx_meal_canteen_aad8db" ON "meal" ("canteen_id", "local_date");
CREATE INDEX "idx_meal_diner_i_c83f3d" ON "meal" ("diner_id", "local_date");
CREATE TABLE "limit_use" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "rule" VARCHAR(40) NOT NULL,
    "period" VARCHAR(10) NOT NULL,
    "slot" SMALLINT NOT NULL,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "meal_id" BIGINT NOT NULL REFERENCES "meal" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_limit_use_diner_i_fb0389" UNIQUE ("diner_id", "rule", "period", "slot"),
    CONSTRAINT "ck_limit_use_slot" CHECK ("slot" >= 1)
);
CREATE INDEX "idx_limit_use_meal_id_c27ccc" ON "limit_use" ("meal_id");
CREATE TABLE "subsidy_line" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "rule" VARCHAR(40) NOT NULL,
    "label" VARCHAR(100) NOT NULL,
    "funder" VARCHAR(16) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "pays" VARCHAR(8) NOT NULL,
    "meal_id" BIGINT NOT NULL REFERENCES "meal" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_subsidy_line_amount_positive" CHECK ("amount_fen" > 0),
    CONSTRAINT "ck_subsidy_line_pays" CHECK ("pays" IN ('diner', 'operator'))
);
CREATE INDEX "idx_subsidy_lin_meal_id_da53a4" ON "subsidy_line" ("meal_id");
ALTER TABLE "ledger_entry" ADD COLUMN "meal_id" BIGINT REFERENCES "meal" ("id") ON DELETE RESTRICT;
""",
    "postgres": """
CREATE TABLE "meal" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "meal_type" VARCHAR(16) NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "subsidy_fen" BIGINT NOT NULL,
    "pay_fen" BIGINT NOT NULL,
    "operator_subsidy_fen" BIGINT NOT NULL,
    "payment" VARCHAR(8) NOT NULL,
    "local_date" DATE NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "manual_reason" VARCHAR(32),
    "voided_at" TIMESTAMPTZ,
    "void_reason" VARCHAR(200),
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "card_id" INT REFERENCES "card" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "offering_id" INT REFERENCES "offering" ("id") ON DELETE RESTRICT,
    "policy_id" INT REFERENCES "policy" ("id") ON DELETE RESTRICT,
    "sold_by_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    "voided_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_meal_type" CHECK ("meal_type" IN ('breakfast', 'lunch', 'dinner')),
    CONSTRAINT "ck_meal_payment" CHECK ("payment" IN ('account', 'cash')),
    CONSTRAINT "ck_meal_amounts" CHECK ("price_fen" >= 0 AND "subsidy_fen" >= 0 AND "pay_fen" >= 0 AND "operator_subsidy_fen" >= 0),
    CONSTRAINT "ck_meal_price_is_subsidy_plus_pay" CHECK ("price_fen" = "subsidy_fen" + "pay_fen"),
    CONSTRAINT "ck_meal_voided_with_reason" CHECK (("voided_at" IS NULL) = ("void_reason" IS NULL)),
    CONSTRAINT "ck_meal_manual_reason" CHECK ("manual_reason" IS NULL OR "manual_reason" IN ('card_forgotten', 'card_damaged', 'scanner_down', 'phone_unreadable', 'other'))
);
CREATE INDEX "idx_meal_canteen_aad8db" ON "meal" ("canteen_id", "local_date");
CREATE INDEX "idx_meal_diner_i_c83f3d" ON "meal" ("diner_id", "local_date");
CREATE TABLE "limit_use" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "rule" VARCHAR(40) NOT NULL,
    "period" VARCHAR(10) NOT NULL,
    "slot" SMALLINT NOT NULL,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "meal_id" BIGINT NOT NULL REFERENCES "meal" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_limit_use_diner_i_fb0389" UNIQUE ("diner_id", "rule", "period", "slot"),
    CONSTRAINT "ck_limit_use_slot" CHECK ("slot" >= 1)
);
CREATE INDEX "idx_limit_use_meal_id_c27ccc" ON "limit_use" ("meal_id");
CREATE TABLE "subsidy_line" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "rule" VARCHAR(40) NOT NULL,
    "label" VARCHAR(100) NOT NULL,
    "funder" VARCHAR(16) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "pays" VARCHAR(8) NOT NULL,
    "meal_id" BIGINT NOT NULL REFERENCES "meal" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_subsidy_line_amount_positive" CHECK ("amount_fen" > 0),
    CONSTRAINT "ck_subsidy_line_pays" CHECK ("pays" IN ('diner', 'operator'))
);
CREATE INDEX "idx_subsidy_lin_meal_id_da53a4" ON "subsidy_line" ("meal_id");
ALTER TABLE "ledger_entry" ADD COLUMN "meal_id" BIGINT REFERENCES "meal" ("id") ON DELETE RESTRICT;
""",
}

DOWNGRADE = """
ALTER TABLE "ledger_entry" DROP COLUMN "meal_id";
DROP TABLE IF EXISTS "limit_use";
DROP TABLE IF EXISTS "subsidy_line";
DROP TABLE IF EXISTS "meal";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXW1z27gR/isYfzlnRkltxXZySaczdi7Xc8+Jr4mv7Vx8Q0MkZKGmCB4BWqde89+7AE"
    "XxXQIlUqZYfPHIJBYkH7zts7tY/HEwZQ5x+YvzUExu2APxDt6gPw48PCXwo3hzgA6w7ye3"
    "5AWBR64qjaGYJZblRlwE2BZwZ4xdTuCSQ7gdUF9QJh9zcI5GBAckQErmLWKeO0dUcPT5h/"
    "Pnw9MzRDniggXEGSDOEEY28+eIjZGYEORgeC7mBLnsniOPgTRB1HshH+0wG55NvftWnxJ6"
    "9LeQwAffEygawLO+/AqXqeeQ3wmP//UfrDElrpPBlTqyAnXdEnNfXbv0xPeqoPyAkWUzN5"
    "x6SWF/LibMW5amnpBX74lHAiyIrF4EoQTZC1130SIx7tGbJkWiV0zJOGSMQ1c2lZSOXiC5"
    "dmBZH69vrM/vbyzroNCMsUQK88Ulm3myC8CrcvX19/IVng+PT16dvH55dvIaiqjXXF559T"
    "V6dAJMJKjg+Xhz8FXdhyaJSiiME1BV+1oTzCdFcN9NcFCOblYqhzK8fh7lGNPuwjzFv1su"
    "8e7FBP49O1mB6T/OP7374fzT4dnJM/lABsM1GskfF3eG6paEPYHZDoiEwsKiCPN3cEfQKS"
    "mHOiuZg9pZiL6If2wCfHwhQT6ZenYA/Qqoby4/vP98c/7hJ1n9lPPfXIXX+c17eWeors5z"
    "Vw/Pcs2yrAT98/LmByT/Rb9cf3yv4GRc3AfqiUm5m18O5DvBxMwsj80s7KQxiS/HlzLNTH"
    "73KVS3QTNnJU0zd7qZA/IIE+Amozkr2UAzLyZJ08rNt3LISWDVUjpSEus1jz0Ys00oH1Kd"
    "Gz+U6h4SriK634NWSe+9H8lcgXwJb4Q9m5SAulC0f15Us2fgfo17T3w1Gc0Bni3133Sngm"
    "+HLyZCff0n6OCfLt8BxhLiEbYfZjhwrAzW8g4bstyVZdnirelwmr+CPXyv0JGfIV96AfsV"
    "u6fezSRgQih8CwQoW2CwigS5sqgl0mXXEqF3AByxQ0EfCRShLnGQqoajMQsU5ZDIyXdChw"
    "8wxj0Elz0mniHsOWg2IR4QGjTFc0B9jvA9LuNBbT1kCxoUP7COvp6WMdp6hbZeTZJky4dy"
    "ZdFfCtIiu1sLjjq8EKSXVpfZUgsKPUHduipUXtYoUV1TogpL/tMsUEovKFmXYn2hejmKFZ"
    "P1i9BnNiVyFZhNWGTtot4bhJ0p9QbIpo/UfY7HMBUE0loGv+Ai9gSBVSF660Be4BNKArlu"
    "jPGUuvPiItTWQ4wtrlu2OLOyt26H8zHnMwYzS12LZ0GwGbCfmuBl4B6enmrgDaUqAVf3so"
    "gHzK3VoePyPcT3+EwD3uP8ap2gK29lwXUo9108t+rOGnm53YF9cLAbqI+OdLA+OqoGW97L"
    "TR6AUS2YlwK9w/flUAPel8NKdOWtLLigZgHJLqJ7wWBCwF45wIlQDuERSLUFcbwe7lbzv7"
    "i+vsoo/ReXNzl0f/5w8R46tQIdCtHITlRkX8YZtUkD7AX1yjRzxALqmbCzQhtZLjrGpls2"
    "Yi8Aa8CO/S6pab8Q1rVkZ/tWbWN2LmihxBp3sZD7/sdPxMXqMyrRzoTn7OcsVQA8pxvCN1"
    "ku9R62ROp7ZTG4gor6CpVgfuhzKyA2AXWiZLqsA9eNrKw/gzirpIUOFRbxoKoya3i98QdV"
    "vYea5j3Fijpk6jNBPHsuexYLnC0Ru0wq/KTq6+tw9JlL7a072E+ylr52LhtA4BblPNx2un"
    "qHtTrSPoI0JfBKFmfulhB9gHr6OtYijB4ZzFa7QWlfOlKbnqlY0y9xTqVIQLV/KsU5dALG"
    "bTadAt5iHjuG3qK7O4dKZGxxd/enuzv4SQj8RA6xoSeg2YTaE+QyG7uIhyNOHZiOEbyQO5"
    "cR3gEpixhv6zHGTdUtN1VdY/Pujcy7s+i3YWbGjhMQXqL9VEOcEumdqXmohfFwBcbDIsbx"
    "tFTTabKU6R3Kzbtao8m+DsCJhIF3LbzSwP6fmv6otEwPZ+PmQZbasTWDj2Ozkvn4b5+vP5"
    "YDnZfLe0pgFkH/RS5MKHsI+gqQJSIZ90gM7uGH83/lcX93dX2R93vICi6Mu+r/xV1VI1Iw"
    "vbDg8Xg7rqq5ZWBfuGp6tLDxmMhatrSeXS+q2d9BsRqmCZsSS7lItgTqO1lHT/uSMg4Z29"
    "muzELLMVdiF0qPx2rDEEuX0rAMAaWZyKBgTgSSjY2YJ/fyR+abbzjyge8QpaeUGXxqShs7"
    "jrHjdGaA78COo0iAQqkGyBmhPiLdeAysmmWscVkIzgW9r5wlMmJ92q377XD48uWr4dHLs9"
    "enJ69enb4+Wk4cxVurZpCLy7/KSSTTEMVgQoHLVM1qahyX3z0lPvjzOPRsiSoahdQV1OMv"
    "5PP+0pYJaNdE2YTQmhDap5+G9t0m0YUQ2q61aQ9jaLsG8c6DaHdH7vfF9NEmt4/MRCXEfm"
    "k/qmb1zrLIekrvIeIFzJWJKuC9SFDC2wtFbr1b72ZCEEyc1CGeQJffwetPRyRI0vxFGQCJ"
    "ZwdzHxoaHd7dUceKSlk29YHQ3909QzMqJgijBzKHMnKr5K2XKSkvyXIye0bUHzzCuUqW4T"
    "L28Dz036o0gy7mAgqFAbKBKsEnkwBKBQRq9gXCPg7ErTciNg45UTkHbRbCuJC2CBzYE8LR"
    "SIWQTFXVssAU8wd4J3jwFPEJm/H49nyGzXZoY5/o2HLQtmczP3jrAF0m20PQj4evdWwVw9"
    "fVxgp5rwr3ujvQi5Jmv79ON5dLyUlNoJcybXXrp8NYB+JqhAsAB+QeXgfQc+rt8s+K9XD2"
    "0LFzVps5C1bOEQ3ExJJmgXKDQznMWalVxoY9xHsFwNJ4kAMQPs6pt8wlEj3snjpLW/XCVl"
    "jWupcaoTDD7m9mBBMPbOKB9z9g1cQDt5thHoC4Z+X7cqu9cVkp45Nr3CcHkwQeUZeKOTT+"
    "IynJdvl5il230lhUJt+jrBwvh6/OlnYj+c8qk9HnD+dXV0VfnEOJwNE2ct1unxIxfb7xPs"
    "8FFmEtfSWR2OFMn3i+9zHsxXigN+nve+eBDn1nw2bOSppm7nQzq3D0jaINSiR7pB+0FXGQ"
    "Rq0ItkndNchFHZT0si1CD6Ic1CY3VQX4xUwv24GkmeJlL+Fx6ZQKK+TbZgu6kvX8zPd4HT"
    "RbedoM90lH2apYk2osrz1yw+CPRg60pKp+LBtfa0ZFpabvktCo7OReHR+VWk5UQY2NT5GI"
    "OrxHHasgT+jhhETRQsxHoY/EhHKkQq/Q4W14Qo6O5N8hvg1fHx0dy98j+H36koxvw7NXR9"
    "/C72+P4crJ+MSB36PRGfy1T8mzsq1TO39+SXDTl+U5F1GA2a8m2ukJo52C1Gyh70WvnGH6"
    "4KNs3pVmjCbrpvResOko9W2taSotYkL2S3a8mNMwzWmYHTBErD8NszARNACqbpKHfUU1Pf"
    "t16pDRmCGVsIMUeaqmBimyppcPAXD4hquDPf2A+Jg6UWaDRT3lWRA0ZMzegm5p2yPsyhFf"
    "f9t4TrA3R3vueNe4Cwrdxm1QIry7dhgeHfWrKQwnWrd8Gk7U1ADb+zWloL/ruLsaOS/jij"
    "j3JNA9MKOjI0nnGJbtYNI9fWVvACpq12vpTeyAaJvcPOlobovabEVX0oO0hLLkxnA1bXFV"
    "QXXQzlyPu0Bzoyl7JFO5f5uN4bdH5oh6CHsxEXmLPPJIArQIDBos/o0QcYrUppkq1zOfLz"
    "FLW7QS/P21FhtapSv2jBDtRDespk0P8PF1HBRx+R46J5qP6MRTNQhq06GsXJ9MrTtmQjGn"
    "xGMBk+/GpoGMuGmOjZujPiE1RHQPiGh2sdekolmhPg2qxhx0KnNoXfUoJdSjqOFdp8CUnL"
    "Nef06L9Aj4tnyjlTF3tT15+iF3XZsvdAlvdqrUcJKK2GSyJbQ9O/g2j2t6yGqgOl1Ey24J"
    "ar9S7OUxTS0/nXI7R125xIKz7OPVtpvlcFpvtPmgLCrKYwwYsZRh5Q3CIpPX7tDGfDIAEL"
    "HHxyR4JvPuM8+lXslRjM1Va9zW3XJbGxPBE6t6UxgHrJYJLJEwRjANI1hAYBoiiyVRPw46"
    "JdS7XCGt5CE0xhVjXDHGFW3jSkBsQh+JY43m9bAtChq6b+j+U9L9VI9sAOB+naSYB7c4er"
    "fY9f4EYUB7AnurmffPQ4eKypCM1N3BykByWa5uQAYnHqcyyRDCKt/TWzQLqBDEk1EUkoZz"
    "eJmIfEcFEFZp6RfFZSZ84o7LIzMarFsnRION/k1sEfVG2VjRvyZUo7OhGkbB76mCX3eTcC"
    "LRQwNE83k0cxOdLso5sR5C3fxu7GQRqQ906WLRB5ib79EjMgatvohxdXrMRGKr7Jjd1D7L"
    "cG3nOEYZB1YH9qWAQX2rQzBZzX0uaRFjndGwzgBcxnSw1i6TdKpO+bYvHTL1GRBFe/6J2C"
    "zIkrbKQoNV7Jgmxa0gKb+WJMtT58Y04ALx0LYJ5+PQRcBYZyRAgqFDudt/IE+TezbQobfy"
    "5DgyHoN+UOTM7T5qZXolqHS75EqGNe+KNcumqqGMLor3UA0dnp5q6KFQqvqUDXkvuzaP4f"
    "kk8ANaZtuvRjkn1kO02zhtozwH++rTBirzsO+1F7CJQwZGzKl1wkBcfvfHC/RIlzepCTZp"
    "ir2zaZrUYia1WAcY2/rUYk9D2H5iLrVLnZeLO4NV1MxPymj5LB9JwCXHYeOI+4QjTp05Ck"
    "KX8IFkRGMW2EClAjZFd3cRBaKPxJIX7u5Q6AnqKkmP/C5kUqxy92U7jzHxyt2KVzZHeLd7"
    "bGF2XJQrSeVIFyWbPh22C9lByqAuORsW6gtllos6Cn5axij5Rsk3Sv5qJT9urLoBtAU546"
    "FZq+8nmBk3zRqlv9C9tgjw3N0ZK3sCdqtxnepUoxJSFJ92VE2JbKzrnzqPMvlKgRfoUnD0"
    "90/Ix3OXYQfJ0zlIIKODI5YiPULUiU7wkIyGBDIV1gOZx1mxuIChV5Jnq62H6IR1LrOj1Q"
    "vjNMRoS2IEDUfL9oevOCJ1KdEMOXpaeHPUSIsZrSBGeV5EOQ83Uikzgkaj7LRGGZBH9rBR"
    "K2clG2jmbq7HPWplC9Q0XvdwpJzgRvNmx1q27e3XncgS/dQYN7x3dLGm1CW+eTHDe9fyXn"
    "Pcix7p1ciJXNqBjTVhDbD5MWuMCXtiTFge/1uWtTt1NPCKlN3xQcT6rlbuMpVYGyu35zdA"
    "9bE8FJQFMtW2mMBPVekACfxAPDSaqzOGZMeo2BK6eX233q0nI2SjToAO1QwxUPUMkA/Ukz"
    "kDVf8zaZKYTbBAU6iEIzFjcTIpjriNPQ9eSNUr7RkIi1tvGUJL1ewg4CESNBl1O2Jiot5G"
    "WTNcrKJzpSeYchKdovRmYeeA7iCzWcHsIeB5rksBz8GtJ+0hHENl8FYBkfurI+NIQJ77Ab"
    "WJ8wKdo0dGnUVO8mgLrKwY4JHfwwdoHBAiX1q9ggSoOqJ3ucBIYNTAU9DIX7KyQpTvl2WG"
    "M7NNtpsBv3FDarOKuOH756E+0THDnFSbYU4KZphkdOjCm0j0EOBjHYCPqwE+LgCsJp0CvG"
    "tifBcyfeJqTUT4Gurbk5zUHQV1BwudocaVjdASNd5tlt99BbWraX4V7CWML26OarYXt7vm"
    "wUzSv8uZ60jOI7mR6mVvlDdX0ZQBUCoWZeyV3GqwdPBG0bvwEwhXRGgQLdnc2NZDdFzIwP"
    "kEId6ifV1mQ1urmEEo+SUzntL3DB3qJB1SI7Vu7pOMUB/19sbdLGqU1U/jnBEzulHNXp+i"
    "TdFug/oNkBM0TbBxE/h4A/hTQgb6jaFnvsSIBdbGw6CqBnMa+saDoXz7wQpDWSLSwxVXJ+"
    "F5dbrzQrLzlOJZgLh6i0xWquntMd2gbpobZEwyyV7GVgExDqGL14+tKgj2L7aq+XSH0g25"
    "UbhiRtBEK3Z5RMmm2mA85cT6N5pa2f2atTzp7ifLCPWJRjTmtZGRG3VBXUqYMEXjWtwFpm"
    "w8JvKB9WDNSZnOWkJGlTegHqwZGQNqicWRufUjwLNCZhYowXWhGtdFNi9muuz6PeWR3tSA"
    "s/tdUtOe9V7tTeUZHVMjjMBEZ+gBWzM6I97ovXWHjarZr/lAv7MudXcNSGMFqgFYr1NV9R"
    "PanLapAW+SrW1LcJPUcP2ENqNxagC70KUaQLbnWRCzSqcGsktdanfY7mmfzWud5izBFkDP"
    "Ov7iTVnbIpXaAtaTcZ/DydsWos9RKMAV1NQnlNoMP01DVhKFmkO0Ohg1jsJw45JaQamLPY"
    "J8ggMidw3GewHfRNv7VDToOITmCBCbyaSsD8QXiDOEke1iOkXActCIyK12ixRF5XGpLT1H"
    "JzTVbL7rQpyL2Xyn4SBrfvMdfDeplWFqKdBDeI+1/I/HK/yPx0X/YzRr1YE4kegjxo2HSe"
    "OpOtq8dnxiVq5PhvPdByaWqIUroxLLTo/pQ+9uOCTR7Izsys5Is4Vvn7fwnQMlsCcHJfRp"
    "cWewijnhpMw6zlSNqDl0olu5VRdHi9RZt1IiPVy6WjnLTw6qGggvivcQ3VaoBTxR1DyQIi"
    "VizqOoeR5FQT3Y5WL29X/U0cVy"
)
