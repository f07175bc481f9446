"""The home page and the API reference, as a person sees them in Chromium."""

from tests.web.conftest import screenshot


async def test_home_page_says_what_this_is_and_how_to_log_in(browser, site):
    page = await browser.new_page(viewport={"width": 1024, "height": 768})
    await page.goto(site.url + "/")
    assert "社区老年食堂" in await page.locator("h1").inner_text()
    assert "cashier1" in await page.content()
    await screenshot(page, "home-1024")
    await page.click("text=API 文档 · API reference")
    assert page.url.endswith("/docs")
    await page.wait_for_selector("#top_up")
    assert "/api/v1/diners/{diner_id}/topups" in await page.locator("#top_up").inner_text()
    await screenshot(page, "docs-1024")


async def test_home_page_fits_a_phone(browser, site):
    page = await browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    await page.goto(site.url + "/")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    await screenshot(page, "home-phone")
