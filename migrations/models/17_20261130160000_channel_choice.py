"""Families' choice of the channels that reach their phone: ``channel_choice``, one row per
family user who chose (SMS, WeChat), with the number SMS goes to and the WeChat openid once bound.

``ck_channel_choice_channels`` keeps the choice to the known channels: the list holds nothing
but ``"sms"`` and ``"wechat"``, each at most once (checked as JSON text of the forms the service
writes: sorted, no spaces).

The models' state is the previous migration's with ``ChannelChoice`` put in (composed, as
migration 11's, because migrations are written in parallel).
"""

import importlib.util
from pathlib import Path

from aerich.utils import compress_dict, decompress_dict
from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {
    "sqlite": """
CREATE TABLE "channel_choice" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "channels" JSON NOT NULL,
    "sms_phone" VARCHAR(20) NOT NULL,
    "wechat_openid" VARCHAR(64) NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "user_id" INT NOT NULL UNIQUE REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "ck_channel_choice_channels" CHECK (json("channels") IN (json('[]'), json('["sms"]'), json('["wechat"]'), json('["sms","wechat"]')))
);
""",
    "postgres": """
CREATE TABLE "channel_choice" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "channels" JSONB NOT NULL,
    "sms_phone" VARCHAR(20) NOT NULL,
    "wechat_openid" VARCHAR(64) NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "user_id" INT NOT NULL UNIQUE REFERENCES "user" ("id") ON DELETE RESTRICT
);
ALTER TABLE "channel_choice" ADD CONSTRAINT "ck_channel_choice_channels" CHECK ("channels" IN ('[]'::jsonb, '["sms"]'::jsonb, '["wechat"]'::jsonb, '["sms", "wechat"]'::jsonb));
""",
}

DOWNGRADE = """
DROP TABLE "channel_choice";
"""


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS = (
    "eJzdll1v2jAUhv+KlatO6lDHEK2qaRKlTGVaYaLZOnWaLJOYxKpjp7Ejijr++3ychHyWdR"
    "dcdDcovOcc+/h5HTtPTiR9ylVvHBIhKB+HknnUOUdPjiARPHQnHCOHxHEZBkGTJbcVXpaK"
    "vTJ3qXRCPG2iK8IVNZJPlZewWDMpoOY2ZF6I8kqFiMmLGN+gVNEEMYW05D5abo4RET5ahz"
    "Sh50gKihK5RrFJqaavQ2lGkor2YG5femZyJoLDTpMK9pBSrGVAtakzk/38ZWQmfPpIVfE3"
    "vscrRrlfI8x8GMDqWG9iq02F/mQTYQVL7EmeRqJMjjc6lGKXzYQGNaCCJkRTGF4nKWAWKe"
    "e5LwX5rNMyJWuxUuPTFUk5mAXVWQOl5mA8m7v4ZuJi7LSMLCoq0HPJkwI2gWlV2dUH0MLb"
    "/rvB6eDs/XBwZlJsmzvldJtNXYLJCi2emetsbZxokmVYxiXUwuM22s8381k322pNg7DPPI"
    "1+I85Ui3TBdR/qQihZl+/BDuyHVSo84IiWKeOaCdWD+T46B7JgD19gBCNHSj1wEGbfR4vx"
    "1WhxdD368QYi0rzP2es+G3+ZX1hkUukgsaPYAS6sRaUlKlI4NlBp2xNzuiTdntSKGqaYxR"
    "zMjENBdyLyiDkVgQ5hs5/sMaFA3j9pEs8jfRuqQ15Ts4s1ljEVXefK86Bbhf8d7OHgBbCH"
    "g2dhQ6gOO419QIGJbpO+NBHNItpNu17ZPGzy0l7xcCjwBzzf96B2p9eTG3d0/bV2wlyO3A"
    "lE+lbdNNSjYcOW3SDodupeIfiL7uazSfMg2uW5dw70RFItsZBrTPwqk0IupLrN5rrH/3RL"
    "Vyr+flW/xM1Xf1fD18/qvnJVg7Ak3v2aJD5uRWRfdl7rALbtw1xQV5ofa8bU9E6E13Vh5N"
    "+y3/JBXpUJ22KPFWo5f0LWu8/K6tYzKzfrpdqufWFeg8V0bLyoka+DhlDUj5oKESSwC4bW"
    "tts/eUftAw=="
)
"""aerich's description of ``ChannelChoice``."""


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
