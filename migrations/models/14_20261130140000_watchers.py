"""Watchers of elders who live alone (``watcher``), and how a case was handled (``alert.outcome``).

A watcher links an elder to a user with role ``volunteer`` or ``staff`` (a building head, a grid
worker, a volunteer, a neighbour): one row per elder and user (``uid_watcher_diner_i_ab13e2``),
its relation one of four (``ck_watcher_relation``). ``alert.outcome`` says how a case was
handled, as a watcher's phone offers it (``ck_alert_outcome``: called, visited and all well,
took to hospital, family reached), beside the note; it is empty for the alerts handled before
and for a handler who chose none.

The models' state is the previous migration's with ``Watcher`` and ``Alert`` put in (composed,
as migration 11's, because migrations are written in parallel).
"""

import importlib.util
from pathlib import Path

from aerich.utils import compress_dict, decompress_dict
from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

RELATIONS = "('building_head', 'grid_worker', 'volunteer', 'neighbour')"
OUTCOMES = "('called', 'visited_well', 'hospital', 'family_reached')"

UPGRADE = {
    "sqlite": f"""
CREATE TABLE "watcher" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "relation" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_watcher_diner_i_ab13e2" UNIQUE ("diner_id", "user_id"),
    CONSTRAINT "ck_watcher_relation" CHECK ("relation" IN {RELATIONS})
);
CREATE INDEX "idx_watcher_user_id_f5348f" ON "watcher" ("user_id", "diner_id");
ALTER TABLE "alert" ADD COLUMN "outcome" VARCHAR(16)
    CONSTRAINT "ck_alert_outcome" CHECK ("outcome" IS NULL OR "outcome" IN {OUTCOMES});
""",
    "postgres": f"""
CREATE TABLE "watcher" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "relation" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "diner_id" INT NOT NULL REFERENCES "diner" ("id") ON DELETE RESTRICT,
    "user_id" INT NOT NULL REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_watcher_diner_i_ab13e2" UNIQUE ("diner_id", "user_id")
);
ALTER TABLE "watcher" ADD CONSTRAINT "ck_watcher_relation" CHECK ("relation" IN {RELATIONS});
CREATE INDEX "idx_watcher_user_id_f5348f" ON "watcher" ("user_id", "diner_id");
ALTER TABLE "alert" ADD COLUMN "outcome" VARCHAR(16);
ALTER TABLE "alert" ADD CONSTRAINT "ck_alert_outcome" CHECK ("outcome" IS NULL OR "outcome" IN {OUTCOMES});
""",
}

DOWNGRADE = {
    "sqlite": """
DROP TABLE "watcher";
ALTER TABLE "alert" DROP COLUMN "outcome";
""",
    "postgres": """
DROP TABLE "watcher";
ALTER TABLE "alert" DROP COLUMN "outcome";
""",
}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE[db.capabilities.dialect]


MODELS = (
    "eJztmm1v2zYQgP8KoU8ZkAWNl6XFMAxwHAfNutiFo7ZDg0KgJdoWTJEqSdU1uvz38SjLerUj"
    "e45nB/oSOMe7E/Xc8XSi+MMKuEeoPGtTIpT1G/phMRwQ/SM/cIosHIapGAQKD6nRxEuVoVQC"
    "u+BnhKkkWuQR6Qo/VD5noHrPA6ImPhsjPOSRQpghQj0ikJpghaQe5YwgOeER9dCU8dmpVvHQ"
    "DEZnWCIPhmNTX53BNT3u6otqj8/jPmL+14g4io+1YyL0RR4erKnPPHNtn2mR/kG5i6njYUWs"
    "L1/0/3qcfCcy1jZaju8VFU/Rg+VipghhK0YFCblQxHOwiv2GU2fk6zvKBSq2NXJHzUMju2Xq"
    "xijCLIeOy2kUsFQ5nKsJZ0ttn5nwjYmeqL44uFcigvCxiNJFmJOIxkRSlfheMzYeGeGIQhKA"
    "dTyBVGY5Tq9vO/dd23GsUoIkFpmgLkQuZ5BceqrS3P0YpvBz6/zi9cWbXy4v3gA+EC0lrx/j"
    "S6dgYkODp2dbj2YcKxxrmGClUJMQ57F2JlhUc030C2T1lItkE47r0CaClG26nvYBN8DfHUrY"
    "WE30v+eXa0h+bA86b9uDk/PLn+CCXC//uCj0FiMtMwSwU7iZPC8hvtbSasR5qwJoECs/IGfJ"
    "+JEhX4P4um13CwClwiqSm+RnarG/DLV4SJh1pDnqEYV9Wkb8532/V404tSjmpu8q9A+iviyV"
    "2Z2h/n0UMRcYomHkU+UzeQaX/eO58K/BDYTAcyDlV5rFfHLX/rsYgc5f/SuDjEs1FsaLcXBV"
    "CMeIR8w8BysLBqz86qBk7daVDPjxssqGfXvXvbfbd+9zsYBiAiMtI50XpCfFFbJ0gj7d2m8R"
    "/Is+93vdYsiWevZnC+aEI8Ud3V852MsyScSJKBfibLezYZQLpjsI9KKXaeK8+zhPdMtNtwpz"
    "3rKJ8iFHWb9DuTyoaPBW9ygZk62alAOL5nN3KIxX9c+r8Sb6e2wA99P8/frqVQ22WmslXDNW"
    "bDgo5TNdbKJwq7ajaN1Uq0OuVnG8IFqbrqqyZbO+6qyv/M5Xzd2rvNHTu1iHv4h2s4+VeW3N"
    "bDbWhJo12Qrpob0U7ZpptpgP55vBrbRtErcMOentNwVcsmvgxnDhe8FoWrm5vfxukWd8wwXx"
    "x+wdmRvUt3pKmLlVz7TFt6HrxM+RFYjHJIkSaZoBAs+Wn1hylVHfvb5nosz9D3TDMbjt2FbV"
    "I20HYDupp+NK3Lpk8w/yGmzTZb4DvB9krbQ9UralilgDb/4x1SB+AnHlU30FZqjDQ+xOZ1h4"
    "zoqCrF8d/JHvYphvxWedq4X5zbsBoUZpNfhextXLCUDFt4B4z/c/0roBVwPj6QU9x0zO8RbP"
    "5FouC/NDKdiQg2eHMCUqakDCtc+IzfWfp+m+N/66ibsXkoqAMmgFBbgBZnhsZgnuwHgB4RNW"
    "bnxypHS2Jhk6XXe6ZpZRevJ8jQ4LComQnCFjB0dh+DciEBxsMUdhyodmatpUnoRZdpIR1Pvy"
    "2RcQL8rjsplqTrLs9SSLyCzTuptaYvXSbk60VO3Fu4Lg7T5d5i2bT9QHvU3c7K7tfuMn84io"
    "iTRj0RBtdnv+p92eSO6Eas0X5WOFmlmrG78fb/QWU6srf/wXx7ol5g=="
)
"""aerich's description of ``Alert`` as changed, and the new ``Watcher``."""


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
