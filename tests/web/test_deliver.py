"""The delivery pages in process, on both databases: who may open them, what a deliverer sees at
each door (diet warnings and allergies, what the elder pays), the manager's planning page and
the printed list. The run is the one ``tests/orders/test_runs.py`` makes: three elders of one
estate with lunch brought home, 李桂兰 on a low-salt diet.
"""

import re
from collections.abc import Iterator

import pytest

from canteen import clock
from canteen.canteens import service as canteens
from canteen.diners.models import Diner
from tests.conftest import make_user
from tests.orders.conftest import MORNING
from tests.orders.test_runs import WALK, Rounds, rounds
from tests.web.conftest import log_in

__all__ = ["rounds"]  # the fixture, shared with the API's tests


@pytest.fixture(autouse=True)
def morning() -> Iterator[None]:
    with clock.frozen_at(MORNING):
        yield


async def another_canteen(rounds: Rounds) -> int:
    made = await canteens.create_canteen(
        rounds.admin.actor, name="六榕街长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    return made.id


async def test_the_deliverer_sees_their_run_in_walking_order_with_what_matters_at_each_door(
    client, rounds: Rounds
):
    await Diner.filter(id=rounds.diners["陈淑珍"]).update(dietary=["diabetic", "allergy:花生"])
    run = await rounds.made_run()
    assert await log_in(client, rounds.volunteer.actor.username) == "/deliver"
    page = await client.get("/deliver")
    assert page.status_code == 200
    shown = re.findall(r'<strong class="name">([^<]+)</strong>', page.text)
    assert shown == WALK
    stops = dict(zip(WALK, page.text.split('<li class="stop"')[1:], strict=True))
    assert "少盐" in stops["李桂兰"] and "过敏" not in stops["李桂兰"]
    assert '<p class="warn allergy">⚠ 过敏：花生</p>' in stops["陈淑珍"]
    assert "糖尿病餐" in stops["陈淑珍"]
    assert "¥12.00" in stops["张建国"] and "138****5678" in stops["张建国"]
    assert "13812345678" not in page.text
    assert "北京街长山花园1栋1单元301室" in stops["张建国"]
    assert '<span class="meal">两荤一素</span>' in stops["张建国"]
    ids = [str(s["stop_id"]) for s in run["stops"]]
    assert re.findall(r'data-stop-id="(\d+)"', page.text) == ids
    assert page.text.count('data-outcome="delivered" data-payment="account"') == 3
    english = (await client.get("/deliver?lang=en")).text
    assert "Allergic to 花生" in english and "Low salt" in english and "Not home" in english


async def test_a_volunteer_sees_only_their_own_runs(client, rounds: Rounds):
    await rounds.made_run()
    other = await make_user("volunteer")
    await log_in(client, other.username)
    page = (await client.get("/deliver")).text
    assert "今天没有分配给您的送餐任务" in page
    assert not any(name in page for name in WALK)


async def test_a_recorded_stop_shows_its_outcome_and_takes_no_tap(client, rounds: Rounds):
    run = await rounds.made_run()
    first, second = run["stops"][0]["stop_id"], run["stops"][1]["stop_id"]
    assert (await rounds.report(first, "delivered")).status_code == 200
    assert (await rounds.report(second, "not_home")).status_code == 200
    await log_in(client, rounds.volunteer.actor.username)
    page = (await client.get("/deliver")).text
    items = page.split('<li class="stop"')[1:]
    assert 'data-outcome="delivered"' in items[0] and "✓ 已送达" in items[0]
    assert '<div class="taps" hidden>' in items[0]
    assert 'data-outcome="not_home"' in items[1] and "不在家" in items[1]
    assert '<div class="taps">' in items[2]


async def test_the_pages_refuse_the_wrong_roles_and_runs_out_of_reach(client, rounds: Rounds):
    run = await rounds.made_run()
    client.cookies.clear()
    assert (await client.get("/deliver")).headers["location"] == "/login?next=/deliver"
    family = await make_user("family")
    await log_in(client, family.username)
    for path in ("/deliver", "/deliver/plan", f"/deliver/runs/{run['run_id']}/print"):
        r = await client.get(path)
        assert r.status_code == 403 and "您的账号不能使用此页面" in r.text, path
    client.cookies.clear()
    await log_in(client, rounds.volunteer.actor.username)
    assert (await client.get("/deliver/plan")).status_code == 403
    other = await make_user("volunteer")
    client.cookies.clear()
    await log_in(client, other.username)
    r = await client.get(f"/deliver/runs/{run['run_id']}/print")
    assert r.status_code == 404 and "李桂兰" not in r.text
    elsewhere = await make_user("manager", canteen_id=await another_canteen(rounds))
    client.cookies.clear()
    await log_in(client, elsewhere.username)
    r = await client.get(f"/deliver/runs/{run['run_id']}/print")
    assert r.status_code == 404 and "李桂兰" not in r.text


async def test_the_manager_plans_the_day_and_prints_the_run(client, rounds: Rounds):
    await log_in(client, rounds.manager.actor.username)
    page = (await client.get("/deliver/plan")).text
    assert "还有 3 份送餐订单未排入送餐单" in page
    offered = re.findall(r'<option value="(\d+)">([^<]+)</option>', page)
    assert (str(rounds.volunteer.actor.user_id), f"{rounds.volunteer.actor.username} · 志愿者") in (
        offered
    )
    assert (str(rounds.manager.actor.user_id), f"{rounds.manager.actor.username} · 店长") in (
        offered
    )
    run = await rounds.made_run()
    page = (await client.get("/deliver/plan")).text
    assert "还有 0 份送餐订单未排入送餐单" in page and 'id="make-run"' not in page
    assert f"/deliver/runs/{run['run_id']}/print" in page
    assert re.findall(r"<strong>([^<]+)</strong> ", page) == WALK

    sheet = await client.get(f"/deliver/runs/{run['run_id']}/print")
    assert sheet.status_code == 200
    rows = re.findall(r'<tr data-stop-id="\d+">(.*?)</tr>', sheet.text, re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    assert [c[1] for c in cells] == WALK
    assert cells[2][5] == "少盐" and cells[0][7] == "¥12.00" and cells[0][8] == "☐"
    assert "¥36.00" in sheet.text and "@media print" not in sheet.text
    assert "送餐员 " + rounds.volunteer.actor.username in sheet.text


async def test_the_admin_picks_the_canteen_to_plan_and_a_bad_query_falls_back(
    client, rounds: Rounds
):
    canteen = rounds.ahead.counter.canteen_id
    await log_in(client, rounds.admin.actor.username)
    page = (await client.get(f"/deliver/plan?canteen_id={canteen}&date=soon&meal_type=x")).text
    assert f'<option value="{canteen}" selected>' in page
    assert "还有 3 份送餐订单未排入送餐单" in page  # today's lunch, as if nothing were asked
    assert (await client.get("/deliver/plan?canteen_id=999999")).status_code == 404
    assert (await client.get("/deliver")).status_code == 403  # the admin delivers no run
    english = (await client.get(f"/deliver/plan?canteen_id={canteen}&lang=en")).text
    assert "3 delivery orders are on no run yet" in english and "Make the run" in english
