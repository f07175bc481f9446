"""A passer-by's phone opens an elder's card, reports them found, and the daughter's phone
shows it: real headless Chromium against a real server sharing the SQLite file (the data is
set up with the services, and what a page claims is checked against the database)."""

from playwright.async_api import Browser, Page, expect

from canteen.alerts.models import Alert, Notification
from canteen.cards import service as cards
from canteen.diners import service as diners
from canteen.found.models import FoundReport
from canteen.roles import SYSTEM
from tests.conftest import make_user
from tests.web.conftest import SCREENSHOTS, broken, screenshot, sign_in

PHONE = {"width": 390, "height": 844}
WHERE = {"latitude": 23.12911, "longitude": 113.26436}
ELDER = {
    "name": "王秀兰",
    "id_number": "110101194203150021",
    "phone": "13911112222",
    "address": "越秀区北京街 7 号楼 502",
}


async def an_elder_with_a_card() -> tuple[int, str, str]:
    admin = await make_user("admin")
    diner = await diners.enrol(SYSTEM, **ELDER)
    card = await cards.issue(admin, diner.id)
    daughter = await make_user("family")
    await diners.link_family(admin, diner.id, daughter.username, "女儿")
    return diner.id, cards.payload_of(card), daughter.username


async def finders_phone(browser: Browser) -> tuple[Page, list[str]]:
    context = await browser.new_context(
        viewport=PHONE, device_scale_factor=2, geolocation=WHERE, locale="zh-CN"
    )
    page = await context.new_page()
    return page, broken(page)


async def family_phone(browser: Browser, site, username: str) -> tuple[Page, list[str]]:
    """The daughter's phone on her portal, signed in by the session cookie (``sign_in``): this
    test is not about logging in (``test_family.py`` checks a family member lands there)."""
    context = await browser.new_context(viewport=PHONE, device_scale_factor=2)
    await sign_in(context, site.url, username)
    page = await context.new_page()
    errors = broken(page)
    await page.goto(site.url + "/family")
    return page, errors


async def no_sideways_scroll(page: Page) -> bool:
    return await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


async def test_a_phone_reports_the_elder_found_and_the_family_portal_shows_it(browser, site):
    diner_id, payload, daughter = await an_elder_with_a_card()
    finder, finder_errors = await finders_phone(browser)
    await finder.context.grant_permissions(["geolocation"], origin=site.url)
    await finder.goto(f"{site.url}/q/{payload}")
    await expect(finder.locator("h1")).to_have_text("我可能走失了")
    await expect(finder.locator(".who")).to_have_text("王奶奶")
    for secret in ("王秀兰", "13911112222", "北京街", ELDER["id_number"][-4:]):
        assert secret not in await finder.content()
    assert await no_sideways_scroll(finder)
    await finder.click("#locate")
    await expect(finder.locator("#locate-status")).to_have_text("已附上位置 ✓")
    await finder.fill("input[name=finder_phone]", "138 0013 8000")
    await finder.fill("textarea[name=where]", "人民公园南门，坐在长椅上")
    send = finder.locator("#send")
    assert (await send.bounding_box())["height"] >= 48
    await screenshot(finder, "found-phone-form")
    await send.click()
    await finder.wait_for_url("**/found/**")
    await expect(finder.locator(".notice.ok")).to_contain_text("家人和社区志愿者已收到通知")
    await finder.fill("textarea[name=body]", "老人很安全，我陪她在南门等您")
    await finder.click("#message-form button")
    await expect(finder.locator(".message.mine .body")).to_have_text("老人很安全，我陪她在南门等您")
    assert "13800138000" not in await finder.content()
    assert await no_sideways_scroll(finder)
    await screenshot(finder, "found-phone-thread")

    report = await FoundReport.get()
    assert (report.finder_phone, report.lat, report.lon) == ("13800138000", 23.12911, 113.26436)
    alert = await Alert.get(kind="found_wandering", diner_id=diner_id)
    assert alert.reported_at is not None, "told by the server when the report came in"
    told = await Notification.filter(alert_id=alert.id, recipient__username=daughter)
    assert [n.status for n in told] == ["sent"]

    family, family_errors = await family_phone(browser, site, daughter)
    await expect(family.locator(".alert-banner").first).to_contain_text("有人发现老人可能走失")
    await family.goto(f"{site.url}/family/diners/{diner_id}")
    item = family.locator(".alert-found_wandering")
    await expect(item.locator("a.call")).to_have_text("13800138000")
    await expect(item).to_contain_text("人民公园南门，坐在长椅上")
    await expect(item.locator(".message.from-finder .body")).to_have_text(
        "老人很安全，我陪她在南门等您"
    )
    await item.locator("textarea[name=body]").fill("谢谢您！我十分钟后到南门")
    await item.locator("form.found-reply button").click()
    await expect(item.locator(".message.mine .body")).to_have_text("谢谢您！我十分钟后到南门")
    assert await no_sideways_scroll(family)
    await item.screenshot(path=str(SCREENSHOTS / "found-family-alert.png"))

    await finder.reload()
    await expect(finder.locator(".message.from-family .body")).to_have_text(
        "谢谢您！我十分钟后到南门"
    )

    # The daughter switches the found page off: the card then opens the neutral page.
    await family.click("#found-toggle")
    await expect(family.locator("#found-switch .state")).to_contain_text("已关闭")
    await family.locator("#found-switch").screenshot(path=str(SCREENSHOTS / "found-switch.png"))
    await finder.goto(f"{site.url}/q/{payload}")
    await expect(finder.locator("h1")).to_have_text("此二维码未启用")
    assert "王奶奶" not in await finder.content()
    await screenshot(finder, "found-phone-neutral")
    await family.click("#found-toggle")
    await expect(family.locator("#found-switch .state")).to_contain_text("已开启")
    await finder.goto(f"{site.url}/q/{payload}?lang=en")
    await expect(finder.locator("h1")).to_have_text("I may be lost")
    await screenshot(finder, "found-phone-form-en")
    assert finder_errors == [] and family_errors == []
