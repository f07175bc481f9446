"""The sustainability page in real Chromium: what the operator bears for refused offline
sales shows beside its own discount, on a desktop and on a phone."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from playwright.async_api import Browser, expect

from canteen import clock
from canteen.offline.models import OfflineSale
from tests.conftest import make_user
from tests.web.conftest import browser, chromium, screenshot, sign_in, site
from tests.web.test_counter import open_canteen

__all__ = ["browser", "chromium", "site"]  # the page tests' fixtures, served here too

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


async def test_the_page_shows_refused_offline_sales(browser: Browser, site):
    canteen = await open_canteen()
    cashier = await make_user("cashier", canteen_id=canteen.id)
    manager = await make_user("manager", canteen_id=canteen.id)
    now = clock.now()
    for n, (payment, paid, borne) in enumerate((("account", 0, 1500), ("cash", 900, 600))):
        await OfflineSale.create(
            key=f"refused-{n}",
            canteen_id=canteen.id,
            sold_by_id=cashier.user_id,
            outcome="refused",
            reason="card_revoked",
            payment=payment,
            made_at=now,
            synced_at=now,
            snapshot_issued_at=now - timedelta(minutes=5),
            price_fen=1500,
            told_pay_fen=900,
            counter_subsidy_fen=600,
            paid_fen=paid,
            operator_fen=borne,
        )
    day = clock.today(ZoneInfo("Asia/Shanghai")).isoformat()
    page = await browser.new_page(viewport=DESKTOP)
    # the page is the test, not the login form
    await sign_in(page.context, site.url, manager.username)
    await page.goto(f"{site.url}/staff/sustainability?from={day}&to={day}")
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        await page.set_viewport_size(viewport)  # the same page, loaded once, on a phone
        row = page.locator("#offline-refused")
        await expect(row).to_contain_text("离线售出被拒、由运营方承担（不计收入） · 2 笔")
        await expect(row).to_contain_text("¥21.00")
        parts = page.locator("#revenue-parts")
        await expect(parts).to_contain_text("¥9.00")  # the cash taken, paid by diners
        await row.scroll_into_view_if_needed()
        assert await page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        await screenshot(page, f"offline-refused-sustainability-{name}")
