"""Low-balance alerts: raised by the sale that crosses the family's threshold, or at the day's
end; the family sets the threshold."""

import pytest

from canteen import clock
from canteen.alerts import detect
from canteen.alerts.models import Alert
from canteen.diners import service as diners
from tests.alerts.conftest import MONDAY, local
from tests.checkout.conftest import open_counter


async def low_alerts(diner_id: int) -> list[Alert]:
    return await Alert.filter(kind="low_balance", diner_id=diner_id)


async def sell(counter, **over):
    r = await counter.cashier.post("/meals", counter.order(**over))
    assert r.status_code == 201, r.text
    return r.json()


class TestTheSaleThatCrossesTheThreshold:
    # A 15-yuan lunch costs this 86-year-old 9 yuan the first time in a day (5 + 1 off), then
    # 12 (2 + 1 off: the 80+ subsidy is once a day).

    async def test_raises_one_alert_and_the_sales_after_it_none(self, admin, as_role):
        counter = await open_counter(admin, as_role, balance_fen=4000)  # threshold 2000
        first = await sell(counter)
        assert first["balance_after_fen"] == 3100 and await low_alerts(counter.diner_id) == []
        crossing = await sell(counter)
        assert crossing["balance_after_fen"] == 1900 and "low_balance" in crossing["warnings"]
        [alert] = await low_alerts(counter.diner_id)
        assert alert.detail == {"balance_fen": 1900, "low_balance_fen": 2000}
        assert alert.canteen_id == counter.canteen_id  # type: ignore[attr-defined]
        assert (await sell(counter))["balance_after_fen"] == 700
        assert len(await low_alerts(counter.diner_id)) == 1

    async def test_a_second_crossing_the_same_day_is_not_a_second_alert_and_sells(
        self, admin, as_role
    ):
        counter = await open_counter(admin, as_role, balance_fen=2500)
        await sell(counter)  # 2500 -> 1600, below 2000
        await admin.post(
            f"/diners/{counter.diner_id}/topups", {"amount_fen": 1000, "method": "cash"}
        )
        again = await sell(counter)  # 2600 -> 1400, below again: the sale still goes through
        assert again["meal_id"] and len(await low_alerts(counter.diner_id)) == 1
        account = (await admin.get(f"/diners/{counter.diner_id}/account")).json()
        assert account["balance_fen"] == again["balance_after_fen"]

    async def test_a_cash_sale_or_a_sale_above_the_threshold_raises_none(self, admin, as_role):
        counter = await open_counter(admin, as_role, balance_fen=2100)
        await sell(counter, payment="cash")
        assert await low_alerts(counter.diner_id) == []

    async def test_the_familys_threshold_decides(self, admin, as_role):
        counter = await open_counter(admin, as_role, balance_fen=3000)
        family = await as_role("family")
        await admin.post(
            f"/diners/{counter.diner_id}/family",
            {"username": family.actor.username, "relation": "子"},
        )
        r = await family.patch(f"/diners/{counter.diner_id}/account", {"low_balance_fen": 2500})
        assert r.status_code == 200 and r.json()["low_balance_fen"] == 2500
        await sell(counter)  # 3000 -> 2100: below 2500
        assert len(await low_alerts(counter.diner_id)) == 1


class TestSettingTheThreshold:
    async def test_a_linked_family_member_sets_it_and_the_account_shows_it(self, admin, as_role):
        counter = await open_counter(admin, as_role)
        family = await as_role("family")
        await admin.post(
            f"/diners/{counter.diner_id}/family",
            {"username": family.actor.username, "relation": "子"},
        )
        for value in (0, 100_000, 3000):
            r = await family.patch(
                f"/diners/{counter.diner_id}/account", {"low_balance_fen": value}
            )
            assert r.status_code == 200, r.text
        shown = (await family.get(f"/diners/{counter.diner_id}/account")).json()
        assert shown == {"diner_id": counter.diner_id, "balance_fen": 5000, "low_balance_fen": 3000}

    @pytest.mark.parametrize("value", [-1, 100_001, "3000", 30.5])
    async def test_out_of_range_is_invalid_amount(self, admin, as_role, value):
        counter = await open_counter(admin, as_role)
        r = await admin.patch(f"/diners/{counter.diner_id}/account", {"low_balance_fen": value})
        assert (r.status_code, r.json()["code"]) == (422, "invalid_amount")

    async def test_others_cannot(self, admin, as_role):
        counter = await open_counter(admin, as_role)
        stranger = await as_role("family")
        r = await stranger.patch(f"/diners/{counter.diner_id}/account", {"low_balance_fen": 0})
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        r = await counter.cashier.patch(
            f"/diners/{counter.diner_id}/account", {"low_balance_fen": 0}
        )
        assert (r.status_code, r.json()["code"]) == (403, "forbidden")
        staff = await as_role("staff")
        r = await staff.patch(f"/diners/{counter.diner_id}/account", {"low_balance_fen": 0})
        assert r.status_code == 200


class TestTheDaysEnd:
    async def test_who_ate_today_and_is_left_below_is_alerted_once_the_day_is_over(
        self, admin, as_role
    ):
        counter = await open_counter(admin, as_role, balance_fen=5000)
        await diners.update(admin.actor, counter.diner_id, {"home_canteen_id": counter.canteen_id})
        with clock.frozen_at(local(MONDAY, "12:00")):
            await sell(counter)
            # The family raises the threshold above the balance afterwards: no sale crossed it.
            await admin.patch(f"/diners/{counter.diner_id}/account", {"low_balance_fen": 5000})
        assert await low_alerts(counter.diner_id) == []
        assert await detect.low_balances(local(MONDAY, "18:59")) == 0, "dinner is still on"
        assert await detect.low_balances(local(MONDAY, "19:00")) == 1
        assert await detect.low_balances(local(MONDAY, "21:00")) == 0
        [alert] = await low_alerts(counter.diner_id)
        assert alert.local_date == MONDAY
        assert alert.detail == {"balance_fen": 4100, "low_balance_fen": 5000}

    async def test_who_did_not_eat_today_is_not_reminded_every_evening(self, admin, as_role):
        counter = await open_counter(admin, as_role, balance_fen=500)
        await diners.update(admin.actor, counter.diner_id, {"home_canteen_id": counter.canteen_id})
        assert await detect.low_balances(local(MONDAY, "20:00")) == 0
