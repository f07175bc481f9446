"""What the kitchen cooked: ``kitchen_cooked``, portions of each offering per canteen, day
and meal, recorded after the meal (``PUT /canteens/{id}/kitchen-count/cooked``), which the kitchen
count sets against what was sold and the sustainability report counts as waste.

One row per canteen, day, meal and offering (``uid_kitchen_coo_canteen_d52ff0``): recording it
again replaces it. ``ck_kitchen_cooked_portions`` keeps the portions between 0 and 5000
(``canteen.kitchen.models.MAX_PORTIONS``), ``ck_kitchen_cooked_meal_type`` the meal one of the
three.

The models' state is migration 12's with the new model put in (composed, as migration 11's,
because migrations are written in parallel).
"""

import importlib.util
from pathlib import Path

from aerich.utils import compress_dict, decompress_dict
from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {
    "sqlite": """
CREATE TABLE "kitchen_cooked" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "local_date" DATE NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "portions" INT NOT NULL,
    "recorded_at" TIMESTAMP NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "offering_id" INT NOT NULL REFERENCES "offering" ("id") ON DELETE RESTRICT,
    "recorded_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_kitchen_coo_canteen_d52ff0" UNIQUE ("canteen_id", "local_date", "meal_type", "offering_id"),
    CONSTRAINT "ck_kitchen_cooked_portions" CHECK ("portions" BETWEEN 0 AND 5000),
    CONSTRAINT "ck_kitchen_cooked_meal_type" CHECK ("meal_type" IN ('breakfast', 'lunch', 'dinner'))
);
""",
    "postgres": """
CREATE TABLE "kitchen_cooked" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "local_date" DATE NOT NULL,
    "meal_type" VARCHAR(16) NOT NULL,
    "portions" INT NOT NULL,
    "recorded_at" TIMESTAMPTZ NOT NULL,
    "canteen_id" INT NOT NULL REFERENCES "canteen" ("id") ON DELETE RESTRICT,
    "offering_id" INT NOT NULL REFERENCES "offering" ("id") ON DELETE RESTRICT,
    "recorded_by_id" INT REFERENCES "user" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_kitchen_coo_canteen_d52ff0" UNIQUE ("canteen_id", "local_date", "meal_type", "offering_id")
);
ALTER TABLE "kitchen_cooked" ADD CONSTRAINT "ck_kitchen_cooked_portions" CHECK ("portions" BETWEEN 0 AND 5000);
ALTER TABLE "kitchen_cooked" ADD CONSTRAINT "ck_kitchen_cooked_meal_type" CHECK ("meal_type" IN ('breakfast', 'lunch', 'dinner'));
""",
}

DOWNGRADE = 'DROP TABLE "kitchen_cooked";'


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE


MODELS = (
    "eJztl21P2zAQx7+KlVcgMSQ6BGh7VZUiqomCSrZJMGRd42saNbGD46hUqN99tpM0D806OrFp"
    "Rbxq/L87+/yzfXafnUgwDJPDnhAzZM4n8uxwiFB/NCwHxIE4LnUjKBiH1nUWKG+KnHql7zhR"
    "EjylrRMIE9QSw8STQawCwU3MjZDmMyFiQgRH/TNBGXCfZJ2QiZBW94ArRH5AGCwIcEYihJDs"
    "GZMU888kQUXAh0B7BMoMzYSnx9Y9/bVRfvAgIRLjEDxkn4ia6niRckW0PJ+CInNI8gEOCBc6"
    "khOIrAcwhmz/0OSZ8uAxRaqEj7oHqbO9v3fyPIw9FB6ElIFC0zL5ULWIbaOYhfPwoFsBZ/iE"
    "ienANOMZnQQY1hczsKti9awXrQ24urCOBtpYL16YRrx0jhdqKvjKO+CWro8cpc7JdK9kahaW"
    "p2GY74RirbO5lS5ZipUYhhNIQ7M9THSWQKk5lA6vXXrbdyl11rZOEVFZ51zy9ErrbadTTezs"
    "fZPCh87R8enx2ceT4zND1Ugr5XSZDV2CyQItnqHrLK0dFGQelnEJtb5CdbjnWm2nW49qUDay"
    "CiI8LOxV3gXdTcALoSRenr9/gHwDz/Ou27dAKyWmuqnr/HpTkO38akENfDqVHYTmRPBEQ+S+"
    "murm0ckGiN+6o95ld7R3dLJvC4GusVkJHuaWjjXVMcd5EdyiBFRDfl8IdoHxq9SCkqlET0hd"
    "yymo9sNvTnE720bopgpgPnYQ9gaS7uCqf+t2r27spZYkj2FRG4ylY9VFQ91rbvZVJ+T7wL0k"
    "pknurod9i1Mkypd2xNLPvXNMTpAqQbmYU30NV5gUciHVFjq/kelWN2g96P0AtRyg4g2zHdhG"
    "1DvZTaVpvNgO7nrgH/HNn3hvCa95V09mrY/Ayou9jvlCSAx8/gUXlvZAJwXca3u1FP+0yp52"
    "bAcvi51UqOUukDBf/R1plEVNQM8blWUw0oV6NOi5TmuReAW615Wu3ijeRnF8Ad/KiX8FxF8T"
    "fMnz+z+rDy+lu14dfwHYFIsxeLM5SEZrVcNYREc0lJXvuinqRE0FOPgWkpnNcvkTzHe/Pw=="
)
"""aerich's description of the new model, ``Cooked``."""


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
