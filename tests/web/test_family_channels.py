"""The family portal's choice of phone channels, in Chromium, on the demo with SMS switched on
(for a local fake of Aliyun's API) and WeChat not: family1 ticks SMS on a phone, gives a number,
saves, and the API holds the choice; WeChat is shown as not offered. Screenshots:
``var/screenshots/family-channels*.png``."""

import asyncio
from collections.abc import Iterator

import pytest
from playwright.async_api import Browser, expect

from tests.alerts.fake_providers import SMS_KEY_ID, SMS_SECRET
from tests.conftest import LiveServer, demo_copy
from tests.test_demo import read_passwords
from tests.web.conftest import broken, screenshot
from tests.web.test_staff_browser import Office

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def sms_site(tmp_path, monkeypatch) -> Iterator[Office]:
    """The demo served with SMS switched on; the provider's URL is never called here."""
    copy = demo_copy("sqlite", tmp_path)
    for name, value in {
        "SMS_ACCESS_KEY_ID": SMS_KEY_ID,
        "SMS_ACCESS_KEY_SECRET": SMS_SECRET,
        "SMS_SIGN_NAME": "长者食堂",
        "SMS_TEMPLATE_CODE": "SMS_465000001",
        "SMS_ENDPOINT": "http://127.0.0.1:9",
    }.items():
        monkeypatch.setenv(f"CANTEEN_{name}", value)
    server = LiveServer(copy.url)
    try:
        asyncio.run(server.wait_ready())
        yield Office(server.url, read_passwords(copy.var_dir / "demo-passwords.txt"), "")
    finally:
        server.stop()


async def test_a_family_member_chooses_sms_on_a_phone(browser: Browser, sms_site: Office):
    page = await browser.new_page(viewport=PHONE)
    errors = broken(page)
    await page.goto(sms_site.url + "/login")
    await page.fill("input[name=username]", "family1")
    await page.fill("input[name=password]", sms_site.passwords["family1"])
    await page.click("button.primary")
    await page.wait_for_url("**/family")
    section = page.locator("#channels")
    await expect(section.locator("h2")).to_have_text("提醒方式")
    wechat = section.locator("input[value=wechat]")
    await expect(wechat).to_be_disabled()
    await expect(section.locator("label.choice.off")).to_contain_text("本服务暂未开通")
    await section.locator("input[value=sms]").check()
    await section.locator("input[name=sms_phone]").fill("1391234")
    await section.locator("button").click()
    await expect(section.locator(".status")).to_have_text("请填写 11 位手机号")
    await section.locator("input[name=sms_phone]").fill("13912345678")
    await section.locator("button").click()
    await expect(section.locator(".status")).to_have_text("已保存 · 139****5678")
    answer = await page.request.get(sms_site.url + "/api/v1/me/notification-channels")
    assert (await answer.json())["channels"] == ["sms"]
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    await section.scroll_into_view_if_needed()
    await screenshot(page, "family-channels")
    await page.goto(sms_site.url + "/family?lang=en")
    await expect(section.locator("h2")).to_have_text("How you are told")
    await expect(section.locator("input[value=sms]")).to_be_checked()
    await screenshot(page, "family-channels-en")
    assert errors == []
