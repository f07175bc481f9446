"""Login throttling by client address and by username from that address; users' counters.

Before, one row per username counted failed logins from anywhere, checked before the password
hash and written after it: guesses sent at once were all evaluated, and anyone could lock any
account. Now ``login_throttle`` holds one counter per client address and one per (username,
address), keyed by a digest (``canteen.auth.throttle`` says how they are taken), with the
account they guard when it exists, so a password reset clears them. The old table only held
counters of recent failures: it is dropped, not carried over (everyone starts afresh).

The models' state is the previous migration's with the new ``LoginThrottle`` (and the user's
reverse relation to it) put in: migrations numbered before this one are written in parallel,
so the state is composed rather than copied.
"""

import importlib.util
from pathlib import Path

from aerich.utils import compress_dict, decompress_dict
from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {
    "sqlite": """
DROP TABLE IF EXISTS "login_throttle";
CREATE TABLE "login_throttle" (
    "key" VARCHAR(64) NOT NULL PRIMARY KEY,
    "failures" INT NOT NULL,
    "locked_until" TIMESTAMP,
    "last_try_at" TIMESTAMP,
    "user_id" INT REFERENCES "user" ("id") ON DELETE CASCADE
);
""",
    "postgres": """
DROP TABLE IF EXISTS "login_throttle";
CREATE TABLE "login_throttle" (
    "key" VARCHAR(64) NOT NULL PRIMARY KEY,
    "failures" INT NOT NULL,
    "locked_until" TIMESTAMPTZ,
    "last_try_at" TIMESTAMPTZ,
    "user_id" INT REFERENCES "user" ("id") ON DELETE CASCADE
);
""",
}

DOWNGRADE = {
    "sqlite": """
DROP TABLE IF EXISTS "login_throttle";
CREATE TABLE "login_throttle" (
    "username" VARCHAR(64) NOT NULL PRIMARY KEY,
    "failures" INT NOT NULL,
    "locked_until" TIMESTAMP
);
""",
    "postgres": """
DROP TABLE IF EXISTS "login_throttle";
CREATE TABLE "login_throttle" (
    "username" VARCHAR(64) NOT NULL PRIMARY KEY,
    "failures" INT NOT NULL,
    "locked_until" TIMESTAMPTZ
);
""",
}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE[db.capabilities.dialect]


LOGIN_THROTTLE = (
    "eJztll1P2zAUhv+KlRtAYtXWVQVx10ERFaNMkG0SY3Lc+CS16tjFdlQq1P+O7SRN+jE00J"
    "DYtLvk9fnyc04cPwSZpMCDI/QQCJKBfSgU3fosUybCsZLGcAj2UUCm03rZCYaMuPfgzhSb"
    "pu1IG0ViY1cTwjVYiYKOFZsaJoXzuRSAYpkLAwrJBE2J1jOpKEpz0Bo02o2imNhVEC2Sm3"
    "Grih5Fe0eIoJgzEAYRSpW139H7SCpEXGoqY5ubifTVstyKXINyuHY0SpTMkLRpSqPWrbgV"
    "UTSBeRQhpm0QylLQxqWfjYlxWlER3UdaIiLmyMC9QWY+BYqI86jCo4QZjZhpuX3lgt3lgI"
    "1MwYxB2d39+GllJijcg65epxOcMOB0paO2GBfBL2CXx4nHY6JOvamDNsKx5HkmGubTuRlL"
    "sbS3UJ2aggBFbPWN1oqc83IWKqmo1gpG5bAsk9YChYTk3A2I8y5KqLUA4+FliK/7IcbBxv"
    "BUHo1Ol1IshRs8Joz2BDJyjzmI1Izta7ezKPLUIAorl/Bb7+r4rHe12+3suYTSTm8x3MNy"
    "pe2XFj4EMaQI4rnXoBPCeG6nYJP2QJjtsJsua8TtLl5CvBJq5PUnWPF9/1rAU1fBu/aHzk"
    "Hn8GO3c2hNfJVL5eCJHgyGoQdcA+UyngDF9nNhfBPqiaViWAbbya77rtGlpXOrevgN1uXs"
    "Pgv1K473EyjDwUX/OuxdfHHhM63vuAfWC/tupe3V+Zq6210b/WUQ9H0QniH3im4uh31PU2"
    "qTKp+xtgtvAleTPUolFnKG7ZnYYFLJlbTaaaINNmqOiXl2o1dd//f5LffZ/dswo884IRse"
    "Lzog31gz/8QR6f70yWTrL8jR2oR7KhWwVJzD3DMe2IqIiGEL0/L297UM83exXVSzU6l1iY"
    "rMljej5kjZrdsNgynuRL3r495JP/CARySezIiieIW0W5FtuaYsbTeXsna2rhBBUg/H7cLV"
    "7Otp5Fu5va3errfcLT6VjqfnV8CJZ/bLvm7c6v+NBi8Wj89sKdc="
)
"""aerich's description of the new ``LoginThrottle`` model and of ``User.login_throttles``."""


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
    change = decompress_dict(LOGIN_THROTTLE)
    state["models.LoginThrottle"] = change["model"]
    reverse = state["models.User"]["backward_fk_fields"]
    reverse[:] = [f for f in reverse if f["name"] != "login_throttles"] + [
        change["user_backward_fk"]
    ]
    return compress_dict(state)


MODELS_STATE = _models_state()
