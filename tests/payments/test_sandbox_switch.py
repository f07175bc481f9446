"""The sandbox takes no money, so it is off unless switched on, and says so while it is on."""

import logging

import pytest

from canteen.app import create_app
from canteen.config import load_settings
from canteen.payments.models import TopupIntent
from canteen.payments.providers import SandboxProvider
from tests.conftest import settings_for
from tests.payments.conftest import notify
from tests.web.test_login import _login

OFF = "no_payment_provider"


def test_a_fresh_configuration_switches_no_provider_on():
    assert load_settings({"CANTEEN_SECRET_KEY": "k"}).payment_providers == ()
    on = load_settings({"CANTEEN_SECRET_KEY": "k", "CANTEEN_PAYMENT_PROVIDERS": "sandbox"})
    assert on.payment_providers == ("sandbox",)


class TestOffByDefault:
    async def test_a_family_member_cannot_open_a_top_up(self, linked):
        for body in ({"amount_fen": 500_000}, {"amount_fen": 100, "provider": "sandbox"}):
            r = await linked.family.post(f"/diners/{linked.diner_id}/topup-intents", body)
            assert (r.status_code, r.json()["code"]) == (409, OFF), r.text
            assert r.headers["content-type"] == "application/problem+json"
        assert await TopupIntent.all().count() == 0 and await linked.balance() == 0

    async def test_nor_can_the_office(self, linked, as_role):
        staff = await as_role("staff")
        r = await staff.post(f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": 100})
        assert (r.status_code, r.json()["code"]) == (409, OFF)

    async def test_a_counter_role_is_still_forbidden_first(self, linked, as_role):
        canteen = (await linked.admin.post("/canteens", {"name": "A"})).json()["id"]
        cashier = await as_role("cashier", canteen_id=canteen)
        r = await cashier.post(f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": 100})
        assert (r.status_code, r.json()["code"]) == (403, "forbidden")

    async def test_a_signed_sandbox_notification_is_a_404_and_credits_nothing(
        self, client, linked, sandbox
    ):
        headers, body = sandbox.notification(1, 500_000)
        r = await notify(client, headers, body)
        assert (r.status_code, r.json()["code"]) == (404, "not_found")
        assert await linked.balance() == 0

    async def test_the_sandbox_pay_page_is_a_404_logged_in_or_not(self, client, linked):
        for method in ("GET", "POST"):
            r = await client.request(method, "/payments/sandbox/pay/1", follow_redirects=False)
            assert r.status_code == 404, method
        await _login(client, linked.family.actor.username)
        assert (await client.get("/payments/sandbox/pay/1")).status_code == 404

    async def test_the_family_page_says_to_top_up_at_the_counter(self, client, linked):
        await _login(client, linked.family.actor.username)
        page = (await client.get(f"/family/diners/{linked.diner_id}")).text
        assert "暂未开通在线充值，请到食堂窗口充值" in page  # what family.js shows on a 409

    async def test_no_page_wears_the_banner(self, client, app):
        for path in ("/", "/login", "/login?lang=en"):
            page = (await client.get(path)).text
            assert "sandbox-site-banner" not in page and "沙箱" not in page, path

    async def test_the_server_starts_without_a_warning(self, database_url, caplog):
        app = create_app(settings_for(database_url))
        with caplog.at_level(logging.WARNING, logger="canteen.payments"):
            async with app.router.lifespan_context(app):
                pass
        assert "sandbox" not in caplog.text


@pytest.mark.usefixtures("sandbox_on")
class TestSwitchedOn:
    async def test_every_page_wears_the_banner_chinese_first(self, client, linked):
        for path in ("/", "/login", "/docs"):
            page = (await client.get(path)).text
            assert 'class="sandbox-site-banner"' in page and "沙箱" in page, path
        english = (await client.get("/login?lang=en")).text
        assert "SANDBOX" in english and "no real money" in english
        await _login(client, linked.family.actor.username)
        for path in ("/family", f"/family/diners/{linked.diner_id}"):
            page = (await client.get(path)).text
            assert 'class="sandbox-site-banner"' in page, path

    async def test_a_family_member_opens_a_top_up_through_it(self, linked):
        r = await linked.family.post(
            f"/diners/{linked.diner_id}/topup-intents", {"amount_fen": 5000}
        )
        assert r.status_code == 201 and r.json()["pay_url"].startswith("/payments/sandbox/pay/")

    async def test_the_server_warns_at_start(self, database_url, caplog):
        app = create_app(settings_for(database_url))
        with caplog.at_level(logging.WARNING, logger="canteen.payments"):
            async with app.router.lifespan_context(app):
                pass
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert any(SandboxProvider.name in r.getMessage() for r in warnings)

    async def test_a_real_server_logs_the_warning(self, live_server):
        log = live_server.log.read_text(encoding="utf-8", errors="replace")
        assert "sandbox payment provider is ON" in log
