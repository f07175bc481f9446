"""The first schema: users, canteens, diners, accounts and their ledger, audit, idempotency.

CHECK constraints are written here by hand (Tortoise does not create them); SQLite cannot add
one to an existing table, so they sit inside its CREATE TABLE statements.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {
    "sqlite": """
CREATE TABLE "login_throttle" (
    "username" VARCHAR(64) NOT NULL PRIMARY KEY,
    "failures" INT NOT NULL,
    "locked_until" TIMESTAMP
);
CREATE TABLE "canteen" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "address" VARCHAR(200) NOT NULL,
    "district" VARCHAR(64) NOT NULL,
    "street" VARCHAR(64) NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "meal_windows" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
CREATE TABLE "user" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "username" VARCHAR(64) NOT NULL UNIQUE,
    "password_hash" VARCHAR(255) NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "display_name" VARCHAR(100) NOT NULL,
    "phone" VARCHAR(32) NOT NULL,
    "active" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "canteen_id" INT REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_user_role" CHECK ("role" IN ('admin', 'staff', 'manager', 'cashier', 'family')),
    CONSTRAINT "ck_user_canteen_role" CHECK ("role" NOT IN ('manager', 'cashier') OR "canteen_id" IS NOT NULL)
);
CREATE TABLE "auth_token" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "revoked_at" TIMESTAMP,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE TABLE "offering" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "tags" JSON NOT NULL,
    "active" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_offering_price" CHECK ("price_fen" >= 0),
    CONSTRAINT "ck_offering_meal_type" CHECK ("meal_type" IN ('breakfast', 'lunch', 'dinner'))
);
CREATE TABLE "diner" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(64) NOT NULL,
    "id_number_cipher" VARCHAR(128) NOT NULL,
    "id_number_hash" VARCHAR(64) NOT NULL UNIQUE,
    "id_last4" VARCHAR(4) NOT NULL,
    "region_code" VARCHAR(6) NOT NULL,
    "birth_date" DATE NOT NULL,
    "gender" VARCHAR(8) NOT NULL,
    "phone" VARCHAR(32) NOT NULL,
    "address" VARCHAR(200) NOT NULL,
    "district" VARCHAR(64) NOT NULL,
    "street" VARCHAR(64) NOT NULL,
    "categories" JSON NOT NULL,
    "disability_level" SMALLINT,
    "dietary" JSON NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "home_canteen_id" INT REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_diner_status" CHECK ("status" IN ('active', 'suspended', 'deceased')),
    CONSTRAINT "ck_diner_disability_level" CHECK ("disability_level" IS NULL OR "disability_level" BETWEEN 1 AND 4),
    CONSTRAINT "ck_diner_gender" CHECK ("gender" IN ('male', 'female'))
);
CREATE INDEX "idx_diner_id_last_31817c" ON "diner" ("id_last4");
CREATE INDEX "idx_diner_phone_28b771" ON "diner" ("phone");
CREATE TABLE "family_link" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "relation" VARCHAR(32) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_family_link_user_id_c27a51" UNIQUE ("user_id", "diner_id")
);
CREATE TABLE "account" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "balance_fen" BIGINT NOT NULL,
    "low_balance_fen" BIGINT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "diner_id" INT NOT NULL UNIQUE REFERENCES "diner" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_account_balance_not_negative" CHECK ("balance_fen" >= 0),
    CONSTRAINT "ck_account_low_balance" CHECK ("low_balance_fen" >= 0)
);
CREATE TABLE "topup" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "reference" VARCHAR(128) NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE RESTRICT,
    "received_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_topup_amount_positive" CHECK ("amount_fen" > 0),
    CONSTRAINT "ck_topup_method" CHECK ("method" IN ('cash', 'transfer', 'online'))
);
CREATE TABLE "ledger_entry" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "balance_after_fen" BIGINT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE RESTRICT,
    "topup_id" INT REFERENCES "topup" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_ledger_entry_amount_not_zero" CHECK ("amount_fen" <> 0),
    CONSTRAINT "ck_ledger_entry_balance_after" CHECK ("balance_after_fen" >= 0),
    CONSTRAINT "ck_ledger_entry_kind" CHECK ("kind" IN ('topup', 'meal', 'void', 'refund', 'adjustment'))
);
CREATE INDEX "idx_ledger_entr_account_533383" ON "ledger_entry" ("account_id", "id");
CREATE TABLE "audit_entry" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "at" TIMESTAMP NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "object_type" VARCHAR(32) NOT NULL,
    "object_id" VARCHAR(64) NOT NULL,
    "before" JSON,
    "after" JSON,
    "actor_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_audit_entry_object__ec873f" ON "audit_entry" ("object_type", "object_id");
CREATE TABLE "idempotency_record" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "status" SMALLINT NOT NULL,
    "body" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_idempotency_user_id_24982e" UNIQUE ("user_id", "key")
);
CREATE TABLE "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);
""",
    "postgres": """
CREATE TABLE "login_throttle" (
    "username" VARCHAR(64) NOT NULL PRIMARY KEY,
    "failures" INT NOT NULL,
    "locked_until" TIMESTAMPTZ
);
CREATE TABLE "canteen" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "address" VARCHAR(200) NOT NULL,
    "district" VARCHAR(64) NOT NULL,
    "street" VARCHAR(64) NOT NULL,
    "timezone" VARCHAR(64) NOT NULL,
    "meal_windows" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE TABLE "user" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "username" VARCHAR(64) NOT NULL UNIQUE,
    "password_hash" VARCHAR(255) NOT NULL,
    "role" VARCHAR(16) NOT NULL,
    "display_name" VARCHAR(100) NOT NULL,
    "phone" VARCHAR(32) NOT NULL,
    "active" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "canteen_id" INT REFERENCES "canteen" ("id") ON DELETE RESTRICT
);
CREATE TABLE "auth_token" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "token_hash" VARCHAR(64) NOT NULL UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "revoked_at" TIMESTAMPTZ,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE TABLE "offering" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "tags" JSONB NOT NULL,
    "active" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT
);
CREATE TABLE "diner" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(64) NOT NULL,
    "id_number_cipher" VARCHAR(128) NOT NULL,
    "id_number_hash" VARCHAR(64) NOT NULL UNIQUE,
    "id_last4" VARCHAR(4) NOT NULL,
    "region_code" VARCHAR(6) NOT NULL,
    "birth_date" DATE NOT NULL,
    "gender" VARCHAR(8) NOT NULL,
    "phone" VARCHAR(32) NOT NULL,
    "address" VARCHAR(200) NOT NULL,
    "district" VARCHAR(64) NOT NULL,
    "street" VARCHAR(64) NOT NULL,
    "categories" JSONB NOT NULL,
    "disability_level" SMALLINT,
    "dietary" JSONB NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "home_canteen_id" INT REFERENCES "canteen" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_diner_id_last_31817c" ON "diner" ("id_last4");
CREATE INDEX "idx_diner_phone_28b771" ON "diner" ("phone");
CREATE TABLE "family_link" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "relation" VARCHAR(32) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_family_link_user_id_c27a51" UNIQUE ("user_id", "diner_id")
);
CREATE TABLE "account" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "balance_fen" BIGINT NOT NULL,
    "low_balance_fen" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "diner_id" INT NOT NULL UNIQUE REFERENCES "diner" ("id") ON DELETE RESTRICT
);
CREATE TABLE "topup" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "amount_fen" BIGINT NOT NULL,
    "method" VARCHAR(16) NOT NULL,
    "reference" VARCHAR(128) NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE RESTRICT,
    "received_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE TABLE "ledger_entry" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "balance_after_fen" BIGINT NOT NULL,
    "at" TIMESTAMPTZ NOT NULL,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE RESTRICT,
    "topup_id" INT REFERENCES "topup" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_ledger_entr_account_533383" ON "ledger_entry" ("account_id", "id");
CREATE TABLE "audit_entry" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL,
    "action" VARCHAR(64) NOT NULL,
    "object_type" VARCHAR(32) NOT NULL,
    "object_id" VARCHAR(64) NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "actor_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT
);
CREATE INDEX "idx_audit_entry_object__ec873f" ON "audit_entry" ("object_type", "object_id");
CREATE TABLE "idempotency_record" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "key" VARCHAR(255) NOT NULL,
    "fingerprint" VARCHAR(64) NOT NULL,
    "status" SMALLINT NOT NULL,
    "body" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_idempotency_user_id_24982e" UNIQUE ("user_id", "key")
);
CREATE TABLE "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);
ALTER TABLE "user" ADD CONSTRAINT "ck_user_role" CHECK ("role" IN ('admin', 'staff', 'manager', 'cashier', 'family'));
ALTER TABLE "user" ADD CONSTRAINT "ck_user_canteen_role" CHECK ("role" NOT IN ('manager', 'cashier') OR "canteen_id" IS NOT NULL);
ALTER TABLE "offering" ADD CONSTRAINT "ck_offering_price" CHECK ("price_fen" >= 0);
ALTER TABLE "offering" ADD CONSTRAINT "ck_offering_meal_type" CHECK ("meal_type" IN ('breakfast', 'lunch', 'dinner'));
ALTER TABLE "diner" ADD CONSTRAINT "ck_diner_status" CHECK ("status" IN ('active', 'suspended', 'deceased'));
ALTER TABLE "diner" ADD CONSTRAINT "ck_diner_disability_level" CHECK ("disability_level" IS NULL OR "disability_level" BETWEEN 1 AND 4);
ALTER TABLE "diner" ADD CONSTRAINT "ck_diner_gender" CHECK ("gender" IN ('male', 'female'));
ALTER TABLE "account" ADD CONSTRAINT "ck_account_balance_not_negative" CHECK ("balance_fen" >= 0);
ALTER TABLE "account" ADD CONSTRAINT "ck_account_low_balance" CHECK ("low_balance_fen" >= 0);
ALTER TABLE "topup" ADD CONSTRAINT "ck_topup_amount_positive" CHECK ("amount_fen" > 0);
ALTER TABLE "topup" ADD CONSTRAINT "ck_topup_method" CHECK ("method" IN ('cash', 'transfer', 'online'));
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ck_ledger_entry_amount_not_zero" CHECK ("amount_fen" <> 0);
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ck_ledger_entry_balance_after" CHECK ("balance_after_fen" >= 0);
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ck_ledger_entry_kind" CHECK ("kind" IN ('topup', 'meal', 'void', 'refund', 'adjustment'));
""",
}

DOWNGRADE = """
DROP TABLE IF EXISTS "idempotency_record";
DROP TABLE IF EXISTS "audit_entry";
DROP TABLE IF EXISTS "ledger_entry";
DROP TABLE IF EXISTS "topup";
DROP TABLE IF EXISTS "account";
DROP TABLE IF EXISTS "family_link";
DROP TABLE IF EXISTS "diner";
DROP TABLE IF EXISTS "offering";
DROP TABLE IF EXISTS "auth_token";
DROP TABLE IF EXISTS "user";
DROP TABLE IF EXISTS "canteen";
DROP TABLE IF EXISTS "login_throttle";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXW1z47YR/isYfYlvxneV5dfkOp2xL3eNG9+5YyttJ3GGhkhQQk0CDAlaUdP7712Aov"
    "gukdaLKRZfPDK5C5IP3vZZLBZ/9FxuESd4dxmKyZA/Edb7Dv3RY9gl8KN48xD1sOclt+QF"
    "gUeOksYgZoiF3CgQPjYF3LGxExC4ZJHA9KknKJeP6V2iEcE+8ZHSeY84c2aIigDd/3D5dn"
    "B6hmiAAsF9Yh2igCOMTO7NELeRmBBkYXguDghy+DhAjIM2QZS9k4+2uAnPpmy81aeEjP4W"
    "EvjgMQFRH571y69wmTKL/E6C+F/vybApcawMrtSSBajrhph56to1E5+UoPyAkWFyJ3RZIu"
    "zNxISzhTRlQl4dE0Z8LIgsXvihBJmFjjOvkRj36E0TkegVUzoWsXHoyKqS2tELJNd6hvHl"
    "dmjcfxwaRq9QjbFGCvP5JZMz2QTgVQP19WP5Cm8HRyfnJxfHZycXIKJec3Hl/Gv06ASYSF"
    "HB82XY+6ruQ5VEEgrjBFRVv8YEB5MiuB8m2C9HN6uVQxleP49yjGl7YXbx74ZD2FhM4N+z"
    "kyWY/uPy7sMPl3cHZydv5AM5dNeoJ3+Z3xmoWxL2BGbTJxIKA4sizN/DHUFdUg51VjMHtT"
    "VXfRf/eAnw8YUE+WTo2QH0S6AeXn/+eD+8/Px3WbwbBL85Cq/L4Ud5Z6CuznJXD85y1bIo"
    "BP3zevgDkv+in2+/fFRw8kCMffXERG74c0++EwzM3GB8amArjUl8Ob6UqWbyu0ehuBdUc1"
    "ZTV3Orq9knzzAAvqQ3ZzU3UM3zQVLX8uZrOQyIbzQyOlIaqy2PPeizmzA+pDlnP5XaHhKu"
    "IrqfwKqkY/YjmSmQr+GNMDNJCahzQ/uneTF7Bu7XuPXEV5Pe7OPpwv5NNyr4dvhiItTX30"
    "EDv7v+ABhLiEfYfJpi3zIyWMs7fMBzVxayxVvuwM1fwQyPFTryM+RLz2G/4WPKhhOfC6Hw"
    "LRCgrMDhMhLkSFFDpGVXEqEPABwxQ0GfCYhQh1hIFRMgm/uKckjk5Duhgyfo4wzBZcbFG4"
    "SZhaYTwoDQIBfPAPUZwmNcxoO29ZA1aFD8wCb2elpHW+sV1no1SZI1H8qZpf5UkFbZ3VzQ"
    "b/FEkJ5aHW5KKyhkgjpNTai8rjai2mZEFab815mglF1QMi/F9kL1dBQbJqsnoXvuEjkLTC"
    "c88nZR9h3ClkvZITLpM3XeYhuGAl96y+AXXMRMEJgVorf25YVgQokv5w0bu9SZFSehbT1E"
    "++La5YvTM/vW/XAeDoIph5GlqcezoLgZsF+b4GXgHpye1sAbpCoBV/eyiPvcadSgY/kO4n"
    "t0VgPeo/xsnaArb2XBtWjgOXhmNB018nq7A7vX2w3U/X4drPv9arDlvdzgARg1gnmh0Dl8"
    "jwc14D0eVKIrb2XBBTMLSHYR3SsOAwJm5QAnSjmER6C1LYjj+XC3lv/V7e1Nxui/uh7m0P"
    "3p89VHaNQKdBCikZ+oyL70YtRLKmAvqFemmiMW0MyFnVV6keeiZWx6y07sOWAb8GN/SEra"
    "L4TrerKzbauxMzsXtFDijbua63368Y44WH1GJdqZ8Jz9HKUKgOdsQ/gmw6HsaU2kPimPwQ"
    "0U1FWoBPdCLzB8YhIwJ0qGyyZwDWVh3enEWSMttKgwCIOiyrzhzfofFPURSpp1FCtqEdfj"
    "gjBzJlsW9601EbtOCrxT5XWpO27TERxPrCW+4NScW+0OTk3xdeIzTe66gLeYxX7Y9+jxER"
    "g3IGOKx8c/PT7CT0LgJ7KICc0ETSfUnCCHm9hBQTgKqAXdC8ELOTMZUOmTsgDNbT1Ge4Xb"
    "5RVu6tvZvU9ndw60bXh1gFEB6SoZm6shTql0zrMzqIXxYAnGgyLG8bDU0Ee50Okcyptf2Y"
    "gG+yYAJxoa3pXwSn/Wfxq6f9M6HRyNNw+yS7BjTOHj+LRkPP7b/e2XcqDzennHJIwi6L/I"
    "gQFlD0FfArJEJOONjME9+Hz5rzzuH25ur/JuRlnAlfYO/794hxsE5qQnFmzb6zHXmhG6+8"
    "jyuW0TWcqa3P52Xsz+dorlME24SwzlkVwTqO9lGR1qS9v0eywaVYnjI93gqj0fPC1Vw/UB"
    "NvtEBpkFRCA5KSPO5N7QyD/xTYA8MOiJmojLPBoNtbWjQjsqWtPBd+CoUFauQqkByBmlLi"
    "K98ZgqNcoYdtmS7hUdV44SGbUu7f76djA4Pj4f9I/PLk5Pzs9PL/qLgaN4a9kIcnX9VzmI"
    "ZCqiGJwicJktVc39Yvndc77en+2QmRJVNAqpIygL3snn/WVbPo5dM0EdkqVDsl5/GNp30t"
    "2GkKy21WkHY7LaBvGOgrK2yV8jrl9CXhdOgGrmai1EVtNWhgjzuSM398J7Eb+EmxZEHtgD"
    "G04IgsGBWoQJdP09vL47In6SGinKmkSY6c88aDfo4PGRWkYkZZjUA9L6+PgGTamYAM99Ij"
    "OQkdtLHlhGUl6ScnLHcdS6GAkCtcHY4fzpbei9V6mZHBwIEAp9ZAIdgE8mPkj5BEr2BMIe"
    "9sUDGxEThwFReZpMHkLdS76NfXNCAjRScQCuKloKuDh4gneCB7somPBpEN+eTbHeQqY5eM"
    "uGvG0vT+U7bxOgy3Q7CPrR4KIOHx9cVBNyea8K96a79oqaeo9knWYup5KThkAvdLbVrF8P"
    "4zoQVyNcANgnY3gdQM9qtjMyq9bB0aOOL6/alVfw5I2oLyaGpL7lpLoc5qzWMkK9h3gvAV"
    "gS5ByA8HFWs2ku0ehg86wztVVPbIVprX3bSQsj7P7uJtVBnTqoc/+jDnVQ53az8gIQY16+"
    "l6l6xSmrpdedNr7uBIMEHlGHihlU/jMpyRB272LHqXQWlel3aCfz8eD8bOE3kv8scxndf7"
    "68uSmuN1mUCBxtvavb7FMqus1vvM0HAouwkb2SaOxwpE9Wd/cxtEOvsr6kve/dKmvoWS+s"
    "5qymruZWV7OKKX7RinqJZofsg22tqqdRK4Kt050c5lbWS1rZGjlPorydOp9HBfjNAunTMW"
    "5qFbwa0VtGhhz+1MhokRTVjQb9tWG8RqphlQRtZJtddeRGqqErwRrbDiIVlYpdJcmV+dYD"
    "QqI4Bu6h0ENiQgOkgkLQwUN4Qvp9+XeAH8KLfv9I/h7B79NjYj+EZ+f9b+H3t0dw5cQ+se"
    "D3aHQGf81T8qZs48LOn18SdvHLImtxFPryq47DeMU4DD81WtRf36scYbqwerJ5J7+mc6uG"
    "9E7Y+VEis0bDVFpFB8yWxJvrs4302UYtoEirzzYqDAQbALXuHuJ9RTU9+rUqoDtmSCXsIE"
    "WelpyVmxKqtRsZcPgmUMc0eT7xMLWifcXzcsr3INfQ0VHP7bK2R9iRPb75ps2cYmcOatrx"
    "nk0HDLoX10GJ8u7qYdDvd6sqNCdaNX1qTrSpDrb3c8qL8iFtJPvxDbHGxK+b/rilPalOUu"
    "31YKqbS3tvACpa1yvpTbwAsW1y86q9eVvUZr0TblOdtISy5PrwktNtlaBKmz6rx12gupHL"
    "n4krd5ZyG34zMkOUIcxiIvIeMfJMfDQPWTic/xshYhWpzWaKXM18folZ2ryW4O+vjdjQMl"
    "uxY4RoJ7ZhNW16go9vskARy3dwcWLzsWbYVZ2gMR3K6nXJ1bpjJhRzSmwLGHxf7BrIqOvq"
    "eHF1NCekmojuARHNTvY1qWhWqUudamMLdIo9NUM1raLDGVeu0FVGfjVeT6of+NW2VluXdm"
    "U7bI2lOhET9zWh7dhhWnlc0122VSt1Ee4lpHdRIdV0d1H3q3nuZ0VC1SIbgMRTXPQ7hEUm"
    "SdGBPMP+EFDELLCJ/0YmCubMoazkcKTNFatX+tq10qdZ1Sub8S70A97Ia5BoaL9BDb+BT2"
    "AYIvNJsX7oaEqpcxu/t5JUSvNRzUc1H63NR+OzcY3RrBm2RUXNTTU3fU1ummqRGwC4W2cb"
    "5cEt9t41tjC+QuTEnsC+1WOAUidtlwXeZs7hXhJ7uzj6u8EadkBYQGXGCIRV8o73aOpTIQ"
    "iTC8+ShgfwMhH5jgQQVjmG5+IyrTFx7PLF7A2WXWdVm4/+TUwRtUZZWdG/enW7tavb2sDv"
    "qIHfdF9lotFBB8Tmk6LlBrq6KOfUOgj15jewJpNIc6BLJ4suwLz5Fj0iNlj1RYyrc50lGm"
    "ulOmun9VmG63bOj5KhM01gXyho1Nc6tYs33BqQVtHemRreGYBLuw5W+mWSRtWqte1ri7ge"
    "B6Jozu6Iyf0saasUOlzGjmkibviJ/EqSLI8QsqkfCBSEpkmCwA4dBIx1SnwkODqQG6QP5d"
    "FAbw7r0Ft5DBCxbbAPipx5u49ampEGCl0vH41mzbtizbKqGhijc/EOmqGD09MadihIVadM"
    "l/eyc7MNzye+59My3341yjm1DqK9jdTp5Ql1l6eOrkyqu9ergJvIGD3iVqN00bH87nNFd8"
    "iW17u5X1IVe+fT1NmYdDamFjC21dmYXiltEPGpOemVLV5Gdw6XLlwmMqvoWDWiOg64XXHA"
    "z8QPGi4DpVQ6aEBvha7ITtUA4bl4B9E9qnV+1tGS87OOiudnwRMFKSOCS44eSlS0Xd3Qrm"
    "6Q7GXzk9nX/wF6uKRT"
)
