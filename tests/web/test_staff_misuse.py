"""The misuse page says why each signal was raised in the page's language: Chinese first, English
with ``?lang=en``, the numbers in either, and the span in the heading in the same words (the date
inputs are drawn in the browser's language). In process on both databases, on the October
scenario with a card lent to another canteen and a meal after a suspension; the demo in a real
Chromium is below."""

import re
from html import unescape

import pytest
from playwright.async_api import Browser, expect

from canteen import clock
from tests.reports.conftest import database_fill, oct_2025, october_fill  # noqa: F401 (fixtures)
from tests.reports.scenario import at
from tests.web import test_staff_browser
from tests.web.conftest import screenshot
from tests.web.test_staff import logged_in, page_client  # noqa: F401 (fixtures)
from tests.web.test_staff_browser import Office

OCTOBER = "/staff/misuse?from=2025-10-01&to=2025-10-31"
ENGLISH_SENTENCES = re.compile(r"card used at|without a card|subsidised in|marked \w+", re.I)
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
demo_site = test_staff_browser.demo_site
"""The demo, filled once for this module as for the other staff pages'."""


def reasons(html: str) -> list[str]:
    return [unescape(r) for r in re.findall(r'<p class="why">(.*?)</p>', html, re.S)]


def heading(html: str) -> str:
    return unescape(re.search(r'<span id="span">(.*?)</span>', html).group(1))


async def test_each_signal_says_why_in_the_pages_language(oct_2025, page_client):  # noqa: F811
    s = oct_2025
    await s.sell(at(10, 14, 12, 20), card=s.counter.card, canteen="b")
    await s.sell(at(10, 16), canteen="b")
    with clock.frozen_at(at(10, 16, 11)):
        r = await s.admin.patch(f"/diners/{s.diner_b}", {"status": "suspended"})
        assert r.status_code == 200, r.text
    await logged_in(page_client, "staff")

    zh = (await page_client.get(OCTOBER)).text
    assert heading(zh) == "2025年10月1日至2025年10月31日"
    assert sorted(reasons(zh)) == sorted(
        [
            "同一张卡 60 分钟内在 2 个食堂使用",
            "暂停服务后仍有 1 次就餐",
            "同一天在 2 个区享受补贴：海珠区、越秀区",
        ]
    )
    assert not ENGLISH_SENTENCES.search(zh)
    assert "2025年10月14日" in zh and "2025-10-14" not in zh.split('type="date"')[-1]

    en = (await page_client.get(OCTOBER + "&lang=en")).text
    assert heading(en) == "1 October 2025 to 31 October 2025"
    assert sorted(reasons(en)) == sorted(
        [
            "Card used at 2 canteens within 60 minutes",
            "1 meal(s) after the diner was marked suspended",
            "Subsidised in 2 districts: 海珠区, 越秀区",
        ]
    )
    assert "14 October 2025" in en


@pytest.mark.browser
async def test_the_demos_signals_read_in_chinese_then_english(browser: Browser, demo_site: Office):
    """One window with the clerk's session (``Sessions``: the test is not about logging in),
    loaded at each size: a load after the resize lays the page out at that size."""
    page = await demo_site.sessions.window(browser, "minzheng", LAPTOP)
    for lang, viewport in (("zh", LAPTOP), ("en", PHONE)):
        await page.set_viewport_size(viewport)
        await page.goto(f"{demo_site.url}/staff/misuse?lang={lang}")
        why = page.locator(".signal-manual_rate_diner .why").first
        await expect(why).to_be_visible()
        said = await why.inner_text()
        numbers = re.findall(r"\d+(?:\.\d)?", said)
        assert len(numbers) == 3, said
        if lang == "zh":
            assert re.fullmatch(r"\d+ 次就餐中 \d+ 次未刷卡（通常为 \d+\.\d%）", said), said
            assert not ENGLISH_SENTENCES.search(await page.locator("main").inner_text())
            assert re.fullmatch(
                r"\d{4}年\d{1,2}月\d{1,2}日至\d{4}年\d{1,2}月\d{1,2}日",
                await page.locator("#span").inner_text(),
            )
        else:
            assert re.fullmatch(r"\d+ of \d+ meals without a card \(usual: \d+\.\d%\)", said)
        await screenshot(page, f"staff-misuse-{lang}")
        assert page.errors == []  # type: ignore[attr-defined]
