"""What the planning page reads beside the runs: who may be named a run's deliverer (exactly
those ``runs.create_run`` accepts), and how many delivery orders wait for a run."""

import pytest

from canteen.canteens import service as canteens
from canteen.errors import NotFound
from canteen.orders import planning
from tests.conftest import make_user
from tests.orders.conftest import TODAY
from tests.orders.test_runs import Rounds, rounds

__all__ = ["rounds"]


async def another_canteen(rounds: Rounds) -> int:
    made = await canteens.create_canteen(
        rounds.admin.actor, name="六榕街长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    return made.id


async def test_the_deliverers_offered_are_those_a_run_accepts_and_no_one_else(rounds: Rounds):
    canteen = rounds.ahead.counter.canteen_id
    cashier = await make_user("cashier", canteen_id=canteen)
    elsewhere = await make_user("cashier", canteen_id=await another_canteen(rounds))
    staff = await make_user("staff")
    family = await make_user("family")
    found = await planning.deliverers(rounds.manager.actor, canteen)
    ids = {d.user_id for d in found}
    assert {rounds.volunteer.actor.user_id, staff.user_id, cashier.user_id} <= ids
    assert rounds.manager.actor.user_id in ids
    assert not ids & {elsewhere.user_id, family.user_id, rounds.admin.actor.user_id}
    assert [d.role for d in found] == sorted(
        (d.role for d in found), key=["volunteer", "staff", "manager", "cashier"].index
    )


async def test_another_canteens_manager_is_told_not_found_and_the_waiting_count_falls(
    rounds: Rounds,
):
    canteen = rounds.ahead.counter.canteen_id
    stranger = await make_user("manager", canteen_id=await another_canteen(rounds))
    with pytest.raises(NotFound):
        await planning.deliverers(stranger, canteen)
    with pytest.raises(NotFound):
        await planning.day_runs(stranger, canteen, TODAY, "lunch")
    day, meal = TODAY, "lunch"
    assert await planning.waiting(rounds.manager.actor, canteen, day, meal) == 3
    await rounds.made_run()
    assert await planning.waiting(rounds.manager.actor, canteen, day, meal) == 0
    made = await planning.day_runs(rounds.manager.actor, canteen, day, meal)
    assert [len(r.stops) for r in made] == [3]
