"""Migration 4 fills the claim roll-up from the meals already sold, exactly as the sale and
void hooks keep it: a database that had meals before the upgrade claims them right."""

import shutil

from canteen.claims.models import ClaimDay
from tests.test_migrations import (
    MIGRATION_FILES,
    SEED,
    SUBSIDY_LINE,
    TS,
    connected,
    empty_url,  # noqa: F401 (fixtures)
    kind,  # noqa: F401
    meal,
    migrate,
)

ROLLUP = next(p for p in MIGRATION_FILES if "finance_and_claims" in p.name)


async def test_the_upgrade_rolls_up_the_live_meals_lines(empty_url, tmp_path):  # noqa: F811
    before = tmp_path / "migrations"
    (before / "models").mkdir(parents=True)
    for path in MIGRATION_FILES[: MIGRATION_FILES.index(ROLLUP)]:
        shutil.copy(path, before / "models")
    await migrate(empty_url, before)
    async with connected(empty_url) as conn:
        await conn.execute_script(SEED)
        # Meal 1: district 500 + street 100 (diner), district 300 to the canteen; meal 2 (the
        # same day, canteen 1): district 500; meal 3: voided, so not claimed.
        await conn.execute_script(
            ";\n".join(
                [
                    meal(price_fen=1200, subsidy_fen=600, pay_fen=600, operator_subsidy_fen=300),
                    meal(price_fen=1200, subsidy_fen=500, pay_fen=700),
                    meal(voided_at=TS, void_reason="'录错'"),
                    f"{SUBSIDY_LINE} ('age80', '高龄', 'district', 500, 'diner', 1),"
                    " ('street', '本街', 'street', 100, 'diner', 1),"
                    " ('service', '运营', 'district', 300, 'operator', 1),"
                    " ('age80', '高龄', 'district', 500, 'diner', 2),"
                    " ('age80', '高龄', 'district', 800, 'diner', 3)",
                ]
            )
        )
    shutil.copy(ROLLUP, before / "models")
    assert await migrate(empty_url, before) == [ROLLUP.name]

    async with connected(empty_url):
        rows = {
            (r.funder, r.rule, r.pays): (r.meals, r.funder_meals, r.all_meals, r.subsidy_fen)
            for r in await ClaimDay.filter(canteen_id=1)
        }
    assert rows == {
        ("district", "age80", "diner"): (2, 2, 2, 1000),
        ("district", "service", "operator"): (1, 0, 0, 300),
        ("street", "street", "diner"): (1, 1, 0, 100),
    }
