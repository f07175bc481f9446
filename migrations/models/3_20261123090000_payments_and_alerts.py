"""Online top-ups (intents a provider confirms) and alerts with their notification outbox.

Hand-written beside Tortoise's schema: the CHECK constraints (an intent is ``succeeded``
exactly when it carries the provider's payment, and only then points at its top-up; an
alert's status says which steps of 发现-上报-处置-回访 it has passed). New tables only: no
money table is rebuilt.
"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {
    "sqlite": """
CREATE TABLE "topup_intent" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "provider" VARCHAR(32) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "pay_url" VARCHAR(500) NOT NULL,
    "provider_ref" VARCHAR(64),
    "created_at" TIMESTAMP NOT NULL,
    "expires_at" TIMESTAMP NOT NULL,
    "paid_at" TIMESTAMP,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE RESTRICT,
    "created_by_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "topup_id" INT UNIQUE REFERENCES "topup" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_topup_inten_provide_a618f4" UNIQUE ("provider", "provider_ref"),
    CONSTRAINT "ck_topup_intent_amount_positive" CHECK ("amount_fen" > 0),
    CONSTRAINT "ck_topup_intent_status" CHECK ("status" IN ('pending', 'succeeded', 'expired', 'failed')),
    CONSTRAINT "ck_topup_intent_paid" CHECK (("status" = 'succeeded') = ("paid_at" IS NOT NULL AND "provider_ref" IS NOT NULL)),
    CONSTRAINT "ck_topup_intent_topup" CHECK ("topup_id" IS NULL OR "status" = 'succeeded')
);
CREATE INDEX "idx_topup_inten_status_e3029a" ON "topup_intent" ("status", "expires_at");
CREATE TABLE "alert" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "local_date" DATE NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "detail" JSON NOT NULL,
    "found_at" TIMESTAMP NOT NULL,
    "reported_at" TIMESTAMP,
    "handled_at" TIMESTAMP,
    "note" VARCHAR(500) NOT NULL,
    "followed_up_at" TIMESTAMP,
    "follow_up_note" VARCHAR(500) NOT NULL,
    "canteen_id" INT REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "followed_up_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "handled_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_alert_kind_5d7cda" UNIQUE ("kind", "diner_id", "local_date"),
    CONSTRAINT "ck_alert_kind" CHECK ("kind" IN ('low_balance', 'missed_meal')),
    CONSTRAINT "ck_alert_status" CHECK ("status" IN ('open', 'handled', 'followed_up')),
    CONSTRAINT "ck_alert_handled" CHECK (("status" = 'open') = ("handled_at" IS NULL AND "handled_by_id" IS NULL)),
    CONSTRAINT "ck_alert_followed_up" CHECK (("status" = 'followed_up') = ("followed_up_at" IS NOT NULL AND "followed_up_by_id" IS NOT NULL))
);
CREATE INDEX "idx_alert_diner_i_07257b" ON "alert" ("diner_id", "local_date");
CREATE INDEX "idx_alert_canteen_c639e1" ON "alert" ("canteen_id", "local_date");
CREATE INDEX "idx_alert_reporte_7adb48" ON "alert" ("reported_at");
CREATE TABLE "notification" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "payload" JSON NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" SMALLINT NOT NULL,
    "next_attempt_at" TIMESTAMP NOT NULL,
    "last_error" VARCHAR(300) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "sent_at" TIMESTAMP,
    "alert_id" INT REFERENCES "alert" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "recipient_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_notification_status" CHECK ("status" IN ('pending', 'sent', 'failed')),
    CONSTRAINT "ck_notification_sent" CHECK (("status" = 'sent') = ("sent_at" IS NOT NULL)),
    CONSTRAINT "ck_notification_attempts" CHECK ("attempts" >= 0)
);
CREATE INDEX "idx_notificatio_status_5784de" ON "notification" ("status", "next_attempt_at");
CREATE INDEX "idx_notificatio_recipie_ec01ad" ON "notification" ("recipient_id", "id");
CREATE INDEX "idx_notificatio_alert_i_f963fc" ON "notification" ("alert_id");
""",
    "postgres": """
CREATE TABLE "topup_intent" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "amount_fen" BIGINT NOT NULL,
    "provider" VARCHAR(32) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "pay_url" VARCHAR(500) NOT NULL,
    "provider_ref" VARCHAR(64),
    "created_at" TIMESTAMPTZ NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "paid_at" TIMESTAMPTZ,
    "account_id" INT NOT NULL REFERENCES "account" ("id") ON DELETE RESTRICT,
    "created_by_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "topup_id" INT UNIQUE REFERENCES "topup" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_topup_inten_provide_a618f4" UNIQUE ("provider", "provider_ref"),
    CONSTRAINT "ck_topup_intent_amount_positive" CHECK ("amount_fen" > 0),
    CONSTRAINT "ck_topup_intent_status" CHECK ("status" IN ('pending', 'succeeded', 'expired', 'failed')),
    CONSTRAINT "ck_topup_intent_paid" CHECK (("status" = 'succeeded') = ("paid_at" IS NOT NULL AND "provider_ref" IS NOT NULL)),
    CONSTRAINT "ck_topup_intent_topup" CHECK ("topup_id" IS NULL OR "status" = 'succeeded')
);
CREATE INDEX "idx_topup_inten_status_e3029a" ON "topup_intent" ("status", "expires_at");
CREATE TABLE "alert" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "local_date" DATE NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "detail" JSONB NOT NULL,
    "found_at" TIMESTAMPTZ NOT NULL,
    "reported_at" TIMESTAMPTZ,
    "handled_at" TIMESTAMPTZ,
    "note" VARCHAR(500) NOT NULL,
    "followed_up_at" TIMESTAMPTZ,
    "follow_up_note" VARCHAR(500) NOT NULL,
    "canteen_id" INT REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "followed_up_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    "handled_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_alert_kind_5d7cda" UNIQUE ("kind", "diner_id", "local_date"),
    CONSTRAINT "ck_alert_kind" CHECK ("kind" IN ('low_balance', 'missed_meal')),
    CONSTRAINT "ck_alert_status" CHECK ("status" IN ('open', 'handled', 'followed_up')),
    CONSTRAINT "ck_alert_handled" CHECK (("status" = 'open') = ("handled_at" IS NULL AND "handled_by_id" IS NULL)),
    CONSTRAINT "ck_alert_followed_up" CHECK (("status" = 'followed_up') = ("followed_up_at" IS NOT NULL AND "followed_up_by_id" IS NOT NULL))
);
CREATE INDEX "idx_alert_diner_i_07257b" ON "alert" ("diner_id", "local_date");
CREATE INDEX "idx_alert_canteen_c639e1" ON "alert" ("canteen_id", "local_date");
CREATE INDEX "idx_alert_reporte_7adb48" ON "alert" ("reported_at");
CREATE TABLE "notification" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(16) NOT NULL,
    "channel" VARCHAR(16) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" SMALLINT NOT NULL,
    "next_attempt_at" TIMESTAMPTZ NOT NULL,
    "last_error" VARCHAR(300) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "sent_at" TIMESTAMPTZ,
    "alert_id" INT REFERENCES "alert" ("id") ON DELETE RESTRICT,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "recipient_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_notification_status" CHECK ("status" IN ('pending', 'sent', 'failed')),
    CONSTRAINT "ck_notification_sent" CHECK (("status" = 'sent') = ("sent_at" IS NOT NULL)),
    CONSTRAINT "ck_notification_attempts" CHECK ("attempts" >= 0)
);
CREATE INDEX "idx_notificatio_status_5784de" ON "notification" ("status", "next_attempt_at");
CREATE INDEX "idx_notificatio_recipie_ec01ad" ON "notification" ("recipient_id", "id");
CREATE INDEX "idx_notificatio_alert_i_f963fc" ON "notification" ("alert_id");
""",
}

DOWNGRADE = """
DROP TABLE IF EXISTS "notification";
DROP TABLE IF EXISTS "alert";
DROP TABLE IF EXISTS "topup_intent";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS_STATE = (
    "eJztXetz27i1/1cw/lJ7Rpva8iPZpNMZO5vtunXivbH33k7XOxJEQhauKYIFQCu67f7v9w"
    "AUJT4lUKIkisWXRCZxQPKH13mffx2NmUs88eY6lKNH9kL8o/foX0c+HhP4kb/ZQUc4CBa3"
    "1AWJB55ujaFZT87bDYTk2JFwZ4g9QeCSS4TDaSApU485ukYDgjnhSNN8QMz3pohKgR5+uv"
    "6ue3mFqEBCMk7cDhIMYeSwYIrYEMkRQS6G52JBkMeeBfIZUBNE/Tfq0S5z4NnUf97qU0Kf"
    "/jMk8MHPBJpyeNavv8Fl6rvkGxHxn8FLb0iJ56Zwpa7qQF/vyWmgr9368kfdUH3AoOcwLx"
    "z7i8bBVI6YP29NfamuPhOfcCyJ6l7yUIHsh543G5EY9+hNF02iV0zQuGSIQ08NlaKOXmBx"
    "7ajX+3L/2Hv49NjrHeWGMaZIYD675DBfTQF4VaG//lm9wnfds4u3F+/Ory7eQRP9mvMrb3"
    "+PHr0AJiLU8Hx5PPpd34chiVpojBeg6vHtjbAY5cH9OMK8GN00VQZleP0syjGmzYV5jL/1"
    "POI/yxH8eXWxBNP/vv768afrr8dXFyfqgQyWa7SSv8zudPUtBfsCZocTBUUPyzzMP8AdSc"
    "ekGOo0ZQZqd0b6Jv6xDvDxhQXyi61nB9Avgfrx9vOnh8frzz+r7sdC/NPTeF0/flJ3uvrq"
    "NHP1+CozLPNO0P/cPv6E1J/oH/dfPmk4mZDPXD9x0e7xH0fqnWBjZj2fTXrYTWISX44vpY"
    "aZfAsodLfGMKcp7TA3epg5eYUNcJ3VnKasYZhnm6Qd5fpHORSE9yoxHQmK1ZzHAazZOpgP"
    "xc4NXwp5DwVXHt0fgaukz/7fyFSDfAtvhH2HFIA6Y7R/mXVzYOD+Hs+e+OpiNXM8mfO/yU"
    "kF3w5fTKT++q8wwb/efgSMFcQD7LxMMHd7KazVHdZlmSvztvlb4+44ewX7+Fmjoz5DvfQM"
    "9jv2TP3HEWdSanxzAlC6QWeZEOSppj2ZbLtSEPoIwBEnlPSVQBPqERfpbgQaMq5FDoWcei"
    "d0/AJr3Edw2WfyBGHfRZMR8UGgQWM8BdSnCD/jIjloWw/ZQAyKH1iFX0/SWG69hFsvF5LU"
    "yIfqZDE/CpIkuzsLTht8ECSPVo85igsKfUm9qixUltYyUU1jonJH/n4OKM0XFJxLMb9Qfh"
    "zFjMnqQ+iBjYk6BSYjFmm7qP8eYXdM/Q5y6Cv1vsND2Aq40pbBL7iIfUngVIjemqsLYkQJ"
    "V+fGEI+pN80fQtt6iNXFNUsXZ0/2revhAizEhMHOUlXjmSOsB+x9C3gpuLuXlwZ4Q6tSwP"
    "W9NOKceZUmdNy+hfieXRnAe5Y9rRfoqltpcF0qAg9Pe1V3jSzd7sA+OtoN1KenJlifnpaD"
    "re5lNg/AqBLMc4LW4XveNYD3vFuKrrqVBhfYLBCy8+jeMNgQsF8M8IIog/AAqLYFcXwe7p"
    "bzv7m/v0sx/Te3jxl0f/l88wkmtQYdGtFIT5SXvqwxap0BOAjRKzXMkRRQTYWdJlpLc9Ew"
    "aXrLSuwZYDXosT8uejoshE012em5VVmZnXFaKNDG3czofvzbV+Jh/RmlaKfccw5zl8oBnu"
    "EN4Zt6HvVfNkTqR60xuIOO2gqVZEEYiB4nDgF2omC7rALXo+qsPYs4zaSFLpU94kNXRdrw"
    "ausPuvoEPU1bihV1yThgkvjOVM0sxt0NEbtddPhV99fW5RgwjzobT7CfVS9tnVwOgCB6VI"
    "hw0+3qIzaaSIcI0pjAK/UE8zaE6DP009a1FmH0ymC32g1KhziRNH/Qg5tEUW3OHdzqnto6"
    "pbBHuBS9IfM8NlGW2mBDTkH119KZNcNqhH3X23QBthknn0k6pI5GYMMV+CXRVYvQ2qYlPd"
    "ZMFBjTE0qLcnt6QkdiEuDisPEY8JbT2JD9AfX7LlXIOLLf/2O/Dz8JgZ/IJQ6cXGgyos4I"
    "eczBHhLhQFAX2EcEL+RNVUQKJ0URLtt6jDWrN8usXtU4tnuj2O4skNswi2HX5UQU7MrlEC"
    "dIWmca6xph3F2CcTePcbwtVTTyzmlah3L9riHRZl8F4AWFhXclvMog+H8V7edJmhbuxvWD"
    "rKT53gQ+jk0K9uO/Ptx/KQY6S5e17MIugv6NPNhQDhD0JSArRFLm3Bjc48/Xf8/i/vHu/i"
    "Zrp1Ud3Fjz+n+Keb2CZ3PyYMHD4WYyq2GI06HIqsnVwoZDonrZUKq/n3VzuItiOUwjNiY9"
    "bdLdEKgfVB8tnUtamW11/cuVjVbJuCu12XxPKtCbJfercsUZS7Yy0JyByDdSQR6CSKQWA2"
    "K+ys0Sqbf+IFAA8iDRfFyRQqwitdVzWT1XYxb4DvRcWkjSKFUAOUXURqRrj2nQu0xvWORS"
    "eUOfS3eJFFmbsi983+2en7/tnp5fvbu8ePv28t3pfOPI31q2g9zc/kVtIqmByDuHS1zEip"
    "erDuL2u1cZHP1pGPqOQhUNQupJ6os36nl/3paKbNeKBBsSYUMi9r8NHbrOpgkhEU0b0xbG"
    "RDQN4p0HRexO+WFl+1iNViDYz/Vr5VK9O2+yWqT3EfE581TiIXgvwgvk9lyTJ//JfxwRBB"
    "sndYkv0e0P8PrjAeGLtK1RRlfiO3wawECj436fur2oVc+hAQj0/f4JmlA5Qhi9kCm0UaHv"
    "T36qpbqk2qlsSNF88IkQOvmRx9jLd2HwQaeN9bCQ0CjkyAFRCT6ZcGjFCfQcSIQDzOWTPy"
    "AODgXROWQdFsK6ULoIzJ0REWigXWzGumvVYIzFC7wTPHiMxIhNRHx7OsE2vYXVTzTsONi2"
    "5Te7eKsAXUTbQtDPuu9MdBXdd+XKCnWvDPeqGUXylDZ/i8k0V0fJRUWg5zTbmtb7w9gE4n"
    "KEcwBz8gyvA+i51bK2pMlauHuY6DnL1Zw5LeeAcjnqKbVAscKhGOY01TJlwwHivQRgpTzI"
    "AAgf51Y75hYULZyeJkdb+cGWO9aal+omt8MebqYb6y9t/aUP36HX+ktvt2IIAPHMivMslF"
    "vj0lTWJle7TQ42CTygHpVTGPxXUpC9+GGMPa9UWVRE36IsS+fdt1dzvZH6Y5nK6OHz9d1d"
    "3hbnUiJxlBbEdNonSOycr33OC4llWIlfWVDscKdfWL4P0e3FWqDXme8HZ4EOA3fNYU5T2m"
    "Fu9DBrd/21vA0KKFvEH2zL4yCJWh5sm4qxk/E6KJhlG7geRDUFbK7BEvDzmbs2A8kwZddB"
    "wuPRMZW9UGya/e1O9fOLOOBz0IY6bQCPzdjV1MCwgwRof+mnDgauSs52SR937elVjum9Tx"
    "4Z/GMwAxddtYNp+72iT2KCeSpwTEyzVuXeiQlmTjc0CDuMSHQpRF2kStU7FIREvnosQGGA"
    "5IgKpB0f0fFTeEFOT9W/XfwUvjs9PVO/B/D78pwMn8Krt6ffw+/vz+DKxfDChd+DwRX861"
    "ySk6LAxZ0/v8C18Nd51bDIvfM362u4R19DntgtzH1YSneYNngI1G/ItirLVVt6K3RZUSGB"
    "SttUksQGzBTEm9na4ra2eAPUgKtri+c2ghpANU1Bc6ioJne/RpVsjyWkAukgITyViwYJYc"
    "0sGwng8Aehy6QHnASYulFekVk/xTlIDGhsZE+zuO0B9tSKr560IUPYmkLpO87Z4AFDt/YY"
    "FBDvbhy6p6ftGgorE606Pq1MVNcCO/gzJce/mxiba6k+dkfcZ8JNy481dCWZFLWrwfbVao"
    "CsjbCSTWelMBiba7YtCu5179uWILiRcJfc0goEvMyOVy7kebqhLvI4NZP0YLjRmL2Ssco1"
    "wYbw2ydTRH2E/Vhs+4B88ko4mjkxdmZ/Roi4eUGwni5Xy4m/xjLtbJTg398qyY7LOOuWiY"
    "874aTLhcwX+Pgq5py4fQtNOfV7n+OxXgSVhcc0XZsU0zuWG2MJHA8lbL5rK1JS5HY41h6O"
    "6uK7FdsPQGxPH/aGgnuaqE2LqjZzps5yXJU9ShC1KMJh1+l6IyG2ynxOkrQI+G1Zkks9FC"
    "vbPc0dFJu2X5gKvOmt0sCkLGMF04bQmiqqGjZ1TXFNLlkDVMczz/4NQW1XOtAsponjp1FG"
    "+mgqF2hw5nO8XHczX06rlTaftUZF29cBI5ZQrLxHWKZycB47WIw6ACL2xZDwE1UjhPke9Q"
    "vK6tbXrTXyN8vIb1UEe2b1xrAOWCUV2ILCKsEMlGCcwDZEZkeiudd4gqh1eY22kjPVKles"
    "csUqV4yVK5w4hL4StzeYVsM2T2jFfSvu71PcT8zIGgBuV1XcLLj51btBho49OE0dCOzrBi"
    "7TubdPMaDmccvVnIcOCdYqoQmhS2Wp80ribmdpgIJqV9V1RRBfUJU6DmGdxe8DmnAqYTiU"
    "v4lSWAh4mUhNETVAWBcbmTVX9U2INyz2YamxbxNnFjb4X+LIaIKpaR39aZ1aGuvUYkWhlo"
    "pCVYPPFxQtVNXUnx05s9GZopwhayHU9Uf5Lw6R6kAXHhZtgLn+GT0gQ5B/8hiXJz1eUGyU"
    "87iZDGURrtspsqs85qrAPiewqG9U2phVjJ9Kklg9loEeC+CySpaVGqzFpGqUF8CtS8YBA0"
    "HRmX4lDuNpoa20UWeZdEwXzXt80X6lkKxqiQ4pFxKJ0HGIEMPQQyCxTghHkqFjlUWio2qE"
    "nnRMxFtVD5QMh8Af5GXm7T5qadou6HSzpF1Wat6V1KyGqgIzOmveQja0e3lpwIdCq/LaSe"
    "pe+mwewvMJDzgtUm+Wo5whayHa26ihVFxZY3kNmdLqGgdtL62jdMyAuZXqxsTtd180pkW8"
    "vE15sc5QHJxO06assynrGiCxrU5Ztx+B7WfmUafQeDm701kmmgWLNkY2y1fChZJx2DCSfc"
    "KBoO4U8dAjoqMkoiHjDohSnI1Rvx+JQPSV9NSFfh+FvqSepvTJN6mSrRWbL7fzGOvZ3SzP"
    "bv1/BU4/bt9CFn8rxWjT66KYSSpGOk9Zd83vJuRRKYK6oOI39BeOC31ulhSGTNBYJt8y+Z"
    "bJX87kx4NV1dU4R2ctNCv5/QVm1kyzgunPTa8NXGF3VznrQMCu5gFbUSzSteoKhKK4hl25"
    "SORgU/vUdZQhWhG8QbdSoP/6igI89Rh2kar6Qrjyo46kFGURom5UGUZJNISrpGEvZBrnDx"
    "MSll5BRrJtPcTErXOeR66aG6cVjDYUjGDgaFEk/ZLC13OKeoSj/cKbEY2MJKMlglFWLqJC"
    "hGuxlClCy1E2mqPk5JW9rDXKacoahrmZ53GLRrkHbJqoWnQrQ7jWvtmwkd12oHojso/vG+"
    "Oao2xnZ0pVwTdLZuXelXKvLSNkJvQaZI8unMBWm7AC2OyatcqEA1EmzIu6F+U3TxR8X5Lc"
    "PC4vb25qFR7TKcixNnv+AUR9rIrNMq6SkssR/NSddpDEL8RHg6muXaUmRklI6Pr9PflPvv"
    "KQjSYBOtY7REf300EBiJ7M7ej+T5RKYjLCEo2hE4HkhMVptwQSDvZ9eCHdr9JnICyf/LkL"
    "LdW7g4SHKNCU1+2AyZF+G63N8LD2zlWWYCpIVJ3r/UzPAdNB5f2C3UPC8zyPAp6dJ1/pQw"
    "SGzuCtOFGR6JFyhJPvAk4d4r5B1+iVUXeWvT0KgVUdAzzqe0QHDTkh6qX1KyiAyj165weM"
    "AkYvPA2N+qU6y3n5/jrPBWfDZJvp8BsPpLFUEQ98+yzUFyZqmItyNcxFTg2zWB2m8C4oWg"
    "jwmQnAZ+UAn+UA1ptODt4VPr4zmjbJanV4+FrRtyXZuxsK6g4OOisalw7ClkTj3eZDPlRQ"
    "m5oQWcNeIPHFw1Eu7cXjbljCStl3BfNcJfMo2UjPsvfamqvFlA6IVCzKbaxkq87cwBt578"
    "JPELgigQbRguDGbT3ExIQMMp8kxJ+Nr8ccGGvtMwgtf02tp+Q9Kw41UhzSK7Vq7pMUURv5"
    "9trNLHqVVU94nSKzvFHFWZ8Qm6Jog+oDkCG0Q7D2EAR4DfgTRBb6taFngcKI8d7ay6Csh9"
    "0NSrtKu8O8Lg4/WKIoW5C08MQ1SQ1fnhg+lxY+wXjmIC4PkUlT1R0e0wzRzTBAxiaTbKVv"
    "FQjGIUzx6r5VOcL2+VbVn+5QmSHXcldMEVpvxSavKDVUa6ynDFn7VtNWol/TmifTeLIUUZ"
    "vEiNqsNspzoyqocwrrpmhNi7vAlA2HRD2wGqwZKjtZC4RRbQ2oBmuKxoJaoHFkXnUP8DSR"
    "3QUKcJ2xxlWRzZLZKbs6pjzim2owdn9c9HRgs9c4qDzFYxq4EVjvDDNgK3pnxIHeG0/YqJ"
    "vD2g/MJ+ucdzeANGagaoD1PtFVO6HNcJsG8C6ytW0I7iI1XDuhTXGcBsDOeKkakG15FsQ0"
    "02mA7JyX2h22Bzpns1ynrbq4BdDThr84KGtTpBIhYC1Z9xmc/E0heohcAe6gpzahtE330y"
    "RkBV6oGUTLnVFjLwwvbmnklDqLERQjzImKGoxjAd9H4X3aG3QYwnBwxCYqKesLCSQSDGHk"
    "eJiOEUg5aEBUqN0sRVGxX+qWnmPimmqD75rg52KD7wwMZPUH38F3k0oZpuYELYT3zMj+eL"
    "bE/niWtz9Gu1YViBcUbcS4djdpPNZF4Cv7J6bp2qQ4371jYgFbuNQrsah6TBtmd80uiTYy"
    "simRkTaE75BD+B5ZEAawYIh+85wMlbzdWSZDSdWwRxctDXLDDvFY5VcZk/GAcBBxjhnX8X"
    "RsOKQOyDwnaELFSIXjwb6ocrCQKYInKMlGGzKABDs6eQoIRUp4K8oNW/9D4lwvA+ypKQ00"
    "r0Som1OQyEhU8jDg7JW6mlrAMiAu8pmk8EQcFUDkShAT76MKiVgX4HjykyUSVScRmkiG3B"
    "eo39d1F4lL3H4fHYNwx3yXqrbYQ7/8rLz3ohS3IO2xAF4jqkV2EkcpPvnxZ1CBHE6AFt5q"
    "QuUIvrTf1+MHHSvF2BQdj0EoZC5cj7653++A/DgknKgPTn/gSXm6l7iRXvWz3z3opyDPy6"
    "JyGvkWUE6Ecte0SXV3mlTXsov7ZhcT68WYZUyusfaxjfW7kZdVdlySOrqsquMWAT6CLdyd"
    "GXcPUfRUoYYhr6Q/SZDsEOfdAHxppD+5XKI/uczrT1JH6hpbRkzXPnf5+uvB2io7pdC3Kf"
    "4kwXxWHOY0pR3mRg+zSuKyxhgnyGwYWZPHdybqVnNqThO1SYypL7Jpr0XI2o6uDXOqH9OZ"
    "XrIKpkmSWgIbDl5ptET7bz3vzfT/FT3vZ2dRDcBeL3pqKbTpc9skrGEP5R0PFdzN6zvmrV"
    "eZ3Tk/CPc+eWTwj+EQPMa9HNK+bDoAydPIBPuNrIHXHuGFdsDoRmeZBRDPm6w0/T0wZV9S"
    "NQPwgIVSmazg9QiPbGEC7ionRzFioeeiF2Dyo1yb2t9xggVy1e2ItCibZ/3dF1q3XmDi6G"
    "fHR1c2P2dxpchOPsnn8hSgnASMzzRI1iK2U4tYPMSmmtW4fQsNMfWbCGxWsQ2zih2IJUt5"
    "IxyqGcslEtMCK9ZfH+6/lEjkc4rs3KSORP9GHhVbY8aP/jQM/ch/ZBBST1JfvFGP/fO24F"
    "8Ct0IopS6MYT7+fP337Ah8vLu/yeoBVQc3WY9hYPTXUdwm6axqvtGq2yS3U3GUM6RWRd/k"
    "cR4By+2tNcxpSjvKTR5lnxVxd+UMStzeOoCYOIAMmeexCSyFMFjrUMxS27XU5LUUjZcara"
    "qrKk9p15fJ+tpXgsyGLSJr52w+psnNvKp1vpDWTtw8yDHnWRXgHJ0F1xqW92NY3kcawoZN"
    "XPPEbhWzEC6WeQ3wtjuVU25HNIA3fUxZiFdAXHiqb5AyKxnAuGGuoy+JrtozAFvNdZSCrM"
    "BAn4W03E7vZ1saluAUAt5MxclCj/SVcHSsw2hDOWDfTt6jCadSEl9FtGKUiGTtIKGCWAdT"
    "lY8Ilr1PPATzg/CyKpy1P0fF6/b7nDg0oNCk31cRsKrPWWhwCNsAojoudsj4B0TGgZyqn7"
    "rR7BRQgbwSD4fafqMqgVJnFIXV9vsee4ZO44eqFyRCfYAih3voOKLkBOtIXMqR9pUQCEvU"
    "7//l0yP6Y3Sh3y8Npl0SMOuTb7KHARR4b+0jEDkNzD53tvBVFid1XT/I5nTad8yndTnYiz"
    "l3tkar4JsgsRCbBX56DBdM4XKTeYJk9zbz/Sift2IdPxB/kAOPbJ6dtAU4P4yx55WHFyXo"
    "WlPo87z79mp+PKo/lh2ID5+v7+7yWrUs/5LDdbkZq4Dcung02pDlYSF7hHNWKdFFmqp1Bq"
    "xzIwPW+RID1nmBActGrf8nLCgl+a4xxgkya/lv8vjOhfbcAJdzGwkSa22yNuhdYJrVORni"
    "miWz03WlcXQea7VpcGjcz2GhaxwZmtgEbRWxfZmc5+vbmuxWAJvdCRuVKfaacOqMjoqCQ6"
    "M7naXRoYs2q+xN5bCutovY8Mhdhke+Ei5oxUrtC5IWqtO7l5cGQjy0Ki/Tru5lFI5BQYh8"
    "OcKz5i1EdytFKOCJsvBsKrdXJEisvaKivSLH1O7yMPv9/wHEp3Nj"
)
