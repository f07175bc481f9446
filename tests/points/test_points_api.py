"""Volunteers' points: a delivered stop earns its volunteer points once, however often it is
reported; a manager at any canteen exchanges points for goods, never below zero; the volunteer
sees their entries, the office a table of every volunteer."""

import asyncio
from datetime import UTC, datetime

from canteen import clock
from canteen.alerts.models import Alert
from canteen.audit.models import AuditEntry
from canteen.points import service as points
from canteen.points.models import PointsBalance, PointsEntry
from tests.conftest import Api
from tests.orders.conftest import TODAY
from tests.orders.test_runs import Rounds


async def walk(rounds: Rounds, *outcomes: str) -> list[int]:
    """Make the lunch run and report its stops' outcomes in walking order; the stops' ids."""
    run = await rounds.made_run()
    stops = [s["stop_id"] for s in run["stops"]]
    for stop_id, outcome in zip(stops, outcomes, strict=False):
        r = await rounds.report(stop_id, outcome)
        assert r.status_code == 200, r.text
    return stops


async def mine(volunteer: Api) -> dict:
    r = await volunteer.get("/me/points")
    assert r.status_code == 200, r.text
    return r.json()


async def redeem(by: Api, user_id: int, points_: int, item: str = "大米 5 斤", key: str = ""):
    headers = {"Idempotency-Key": key} if key else {}
    body = {"points": points_, "item": item}
    return await by.post(f"/volunteers/{user_id}/points/redeem", body, headers=headers)


async def test_each_delivered_stop_earns_its_volunteer_points_once(rounds):
    stops = await walk(rounds, "delivered", "not_home", "delivered")
    again = await rounds.report(stops[0], "delivered", key="again")
    assert again.status_code == 200, again.text
    shown = await mine(rounds.volunteer)
    assert (shown["balance"], shown["earned"], shown["redeemed"]) == (20, 20, 0)
    assert [(e["kind"], e["points"], e["stop_id"]) for e in shown["items"]] == [
        ("delivery", 10, stops[2]),
        ("delivery", 10, stops[0]),
    ]
    assert [e["diner_name"] for e in shown["items"]] == ["李桂兰", "张建国"]
    assert {(e["date"], e["meal_type"]) for e in shown["items"]} == {(TODAY.isoformat(), "lunch")}


async def test_ten_phones_reporting_one_stop_credit_it_once(rounds):
    run = await rounds.made_run()
    stop_id = run["stops"][0]["stop_id"]
    answers = await asyncio.gather(*(rounds.report(stop_id, "delivered") for _ in range(10)))
    assert {r.status_code for r in answers} == {200}
    assert (await mine(rounds.volunteer))["balance"] == 10
    assert await PointsEntry.filter(stop_id=stop_id).count() == 1


async def test_a_stop_delivered_by_the_canteens_own_cashier_earns_no_points(rounds, as_role):
    cashier = await as_role("cashier", canteen_id=rounds.canteen_id)
    r = await rounds.run(deliverer_user_id=cashier.actor.user_id)
    assert r.status_code == 201, r.text
    stop_id = r.json()["stops"][0]["stop_id"]
    assert (await rounds.report(stop_id, "delivered", by=cashier)).status_code == 200
    assert await PointsEntry.all().count() == 0


async def test_a_manager_at_another_canteen_exchanges_points_never_below_zero(rounds, as_role):
    await walk(rounds, "delivered", "delivered", "delivered")
    elsewhere = (await rounds.admin.post("/canteens", {"name": "别处饭堂"})).json()["id"]
    manager = await as_role("manager", canteen_id=elsewhere)
    volunteer = rounds.volunteer.actor.user_id

    r = await redeem(manager, volunteer, 25, key="k1")
    assert r.status_code == 201, r.text
    assert {k: r.json()[k] for k in ("kind", "points", "item", "balance", "canteen_id")} == {
        "kind": "redeem",
        "points": -25,
        "item": "大米 5 斤",
        "balance": 5,
        "canteen_id": elsewhere,
    }
    assert (await redeem(manager, volunteer, 25, key="k1")).json() == r.json()  # the same key
    refused = await redeem(manager, volunteer, 6, "理发券")
    assert (refused.status_code, refused.json()["code"]) == (409, "insufficient_points")
    assert refused.json()["balance"] == 5
    shown = await mine(rounds.volunteer)
    assert (shown["balance"], shown["earned"], shown["redeemed"]) == (5, 30, 25)
    assert shown["items"][0]["item"] == "大米 5 斤"
    audit = await AuditEntry.filter(action="points.redeem").values("actor_id", "after")
    assert audit == [
        {
            "actor_id": manager.actor.user_id,
            "after": {"balance": 5, "points": 25, "item": "大米 5 斤"},
        }
    ]


async def test_two_managers_redeeming_at_once_never_take_a_balance_below_zero(rounds, as_role):
    await walk(rounds, "delivered", "delivered", "delivered")  # 30 points
    managers = [await as_role("manager", canteen_id=rounds.canteen_id) for _ in range(2)]
    volunteer = rounds.volunteer.actor.user_id
    answers = await asyncio.gather(
        *(redeem(managers[n % 2], volunteer, 7, f"毛巾 {n}") for n in range(8))
    )
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] * 4 + [409] * 4
    assert (await mine(rounds.volunteer))["balance"] == 2
    balance = await PointsBalance.get(volunteer_id=volunteer)
    entries = await PointsEntry.filter(volunteer_id=volunteer).values_list("points", flat=True)
    assert balance.balance == sum(entries) == 2


async def test_only_a_volunteer_can_be_given_points_for_goods(rounds, as_role):
    staff = await as_role("staff")
    for user_id in (staff.actor.user_id, 999_999):
        r = await redeem(rounds.admin, user_id, 1)
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
    for bad in ({"points": 0, "item": "米"}, {"points": 1, "item": ""}, {"points": 1}):
        r = await rounds.admin.post(
            f"/volunteers/{rounds.volunteer.actor.user_id}/points/redeem", bad
        )
        assert r.status_code == 422, bad


async def test_who_may_read_and_redeem_points(rounds, as_role):
    volunteer = rounds.volunteer.actor.user_id
    for role in ("staff", "cashier", "family", "volunteer"):
        user = await as_role(role, canteen_id=rounds.canteen_id if role == "cashier" else None)
        r = await redeem(user, volunteer, 1)
        assert (r.status_code, r.json()["code"]) == (403, "forbidden"), role
    for role in ("cashier", "family", "volunteer"):
        user = await as_role(role, canteen_id=rounds.canteen_id if role == "cashier" else None)
        assert (await user.get("/volunteers/points")).status_code == 403, role
    for role in ("admin", "staff", "manager", "family"):
        user = await as_role(role, canteen_id=rounds.canteen_id if role == "manager" else None)
        assert (await user.get("/me/points")).status_code == 403, role


async def test_the_office_reads_a_months_table_of_every_volunteer(rounds, as_role):
    await walk(rounds, "delivered", "delivered")
    idle = await as_role("volunteer", username="volunteer-idle")
    assert (
        await redeem(rounds.manager, rounds.volunteer.actor.user_id, 5, "肥皂")
    ).status_code == 201
    staff = await as_role("staff")
    r = await staff.get("/volunteers/points", params={"from": "2026-12-01", "to": "2026-12-31"})
    assert r.status_code == 200, r.text
    table = {row["user_id"]: row for row in r.json()["items"]}
    assert r.json()["from"] == "2026-12-01"
    walker = table[rounds.volunteer.actor.user_id]
    assert (walker["earned"], walker["redeemed"], walker["balance"]) == (20, 5, 15)
    assert (table[idle.actor.user_id]["earned"], table[idle.actor.user_id]["balance"]) == (0, 0)
    before = await staff.get(
        "/volunteers/points", params={"from": "2026-11-01", "to": "2026-11-30"}
    )
    walker = {row["user_id"]: row for row in before.json()["items"]}[rounds.volunteer.actor.user_id]
    assert (walker["earned"], walker["redeemed"], walker["balance"]) == (0, 0, 15)
    backwards = await staff.get(
        "/volunteers/points", params={"from": "2026-12-02", "to": "2026-12-01"}
    )
    assert backwards.status_code == 422
    default = await staff.get("/volunteers/points")
    assert (default.json()["from"], default.json()["to"]) == ("2026-12-01", "2026-12-01")


async def test_an_exchange_just_after_local_midnight_counts_in_shanghais_month(rounds):
    """At 00:30 on 1 December in Shanghai it is still 30 November in UTC: the office's month
    is Shanghai's, on either database."""
    await walk(rounds, "delivered")
    volunteer = rounds.volunteer.actor.user_id
    with clock.frozen_at(datetime(2026, 11, 30, 16, 30, tzinfo=UTC)):
        assert (await redeem(rounds.manager, volunteer, 5, "肥皂")).status_code == 201
    for first, last, redeemed in (("2026-12-01", "2026-12-31", 5), ("2026-11-01", "2026-11-30", 0)):
        r = await rounds.manager.get("/volunteers/points", params={"from": first, "to": last})
        row = {row["user_id"]: row for row in r.json()["items"]}[volunteer]
        assert (row["redeemed"], row["balance"]) == (redeemed, 5), first


async def test_a_handled_alert_credits_its_volunteer_once(rounds):
    """The credit itself, as ``alerts.service.handle`` writes it in its transaction: once per
    alert, to a volunteer only."""
    diner = rounds.diners["李桂兰"]
    alert = await Alert.create(
        kind="not_home",
        diner_id=diner,
        canteen_id=rounds.canteen_id,
        local_date=TODAY,
        found_at=clock.now(),
    )
    volunteer = rounds.volunteer.actor.user_id
    assert await points.credit_alert(volunteer, alert.id) is True
    assert await points.credit_alert(volunteer, alert.id) is False
    assert await points.credit_alert(rounds.manager.actor.user_id, alert.id) is False
    shown = await mine(rounds.volunteer)
    assert [(e["kind"], e["points"], e["alert_id"], e["diner_name"]) for e in shown["items"]] == [
        ("alert", 20, alert.id, "李桂兰")
    ]


async def test_a_volunteer_who_handles_a_watched_elders_alert_earns_points_once(rounds, as_role):
    diner = rounds.diners["李桂兰"]
    volunteer = rounds.volunteer
    r = await rounds.admin.post(
        f"/diners/{diner}/watchers", {"user_id": volunteer.actor.user_id, "relation": "volunteer"}
    )
    assert r.status_code == 201, r.text
    alert = await Alert.create(
        kind="missed_meal",
        diner_id=diner,
        canteen_id=rounds.canteen_id,
        local_date=TODAY,
        found_at=clock.now(),
    )
    note = {"note": "上门看过，老人感冒在家休息", "outcome": "visited_well"}
    r = await volunteer.post(f"/alerts/{alert.id}/handle", note)
    assert r.status_code == 200, r.text
    again = await volunteer.post(f"/alerts/{alert.id}/handle", note)
    assert (again.status_code, again.json()["code"]) == (409, "alert_already_handled")
    shown = await mine(volunteer)
    assert [(e["kind"], e["points"], e["alert_id"]) for e in shown["items"]] == [
        ("alert", 20, alert.id)
    ]
    other = await Alert.create(
        kind="not_home",
        diner_id=diner,
        canteen_id=rounds.canteen_id,
        local_date=TODAY,
        found_at=clock.now(),
    )
    staff = await as_role("staff")
    assert (await staff.post(f"/alerts/{other.id}/handle", note)).status_code == 200
    assert await PointsEntry.filter(alert_id=other.id).count() == 0  # the office's own work
