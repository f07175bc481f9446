"""Volunteers' points on the pages, in Chromium, on the demo (whose delivery run, walked by
volunteer1 through the real services, earned them their points): the volunteer reads their
balance and entries on a phone; a manager of another canteen exchanges points for goods on the
office's month table, never below zero; the office reads the table on a phone; other roles get
the forbidden page. Screenshots: ``var/screenshots/points-*.png``."""

import re

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from tests.web import test_staff_browser, test_staff_phone
from tests.web.conftest import screenshot
from tests.web.test_staff_browser import Office, Sessions
from tests.web.test_staff_phone import off_screen, sideways

pytestmark = pytest.mark.browser
LAPTOP: ViewportSize = {"width": 1366, "height": 768}
PHONE: ViewportSize = {"width": 390, "height": 844}
demo_site = test_staff_browser.demo_site
"""The demo, filled once for this module."""
sessions = test_staff_phone.sessions
"""One log-in per user on it; each page a window of its own with that session, its scripts'
errors counted from its first page."""


async def api(page: Page, office: Office, path: str) -> dict:
    response = await page.request.get(office.url + "/api/v1" + path)
    assert response.ok, await response.text()
    return await response.json()


async def test_a_volunteer_reads_their_points_on_a_phone(
    browser: Browser, demo_site: Office, sessions: Sessions
):
    page = await sessions.open(browser, "volunteer1", "/points", PHONE)
    mine = await api(page, demo_site, "/me/points")
    assert mine["balance"] > 0, "the demo's delivered stops earned volunteer1 points"
    await expect(page.locator("#balance")).to_have_text(str(mine["balance"]))
    entries = page.locator("li.entry")
    await expect(entries).to_have_count(len(mine["items"]))
    first = mine["items"][0]
    await expect(entries.first.locator(".amount")).to_have_text(
        f"+{first['points']}" if first["points"] > 0 else str(first["points"])
    )
    await expect(entries.first).to_contain_text(first["diner_name"] or first["item"])
    await expect(page.locator("main")).to_contain_text("每送达一户得 10 分")
    assert await sideways(page) == [] and await off_screen(page) == []
    await screenshot(page, "points-volunteer-phone")

    await page.goto(demo_site.url + "/points?lang=en")
    await expect(page.locator("h1")).to_have_text("My points")
    await expect(entries.first).to_contain_text(
        "Meal delivered" if first["kind"] == "delivery" else ""
    )
    body = await page.locator("main").inner_text()
    for entry in mine["items"]:  # names are names in either language
        body = body.replace(entry["diner_name"] or "", "")
    assert not re.search(r"[\u4e00-\u9fff]", body), body
    await screenshot(page, "points-volunteer-phone-en")
    assert page.errors == []  # type: ignore[attr-defined]


async def test_a_manager_at_another_canteen_exchanges_points_never_below_zero(
    browser: Browser, demo_site: Office, sessions: Sessions
):
    volunteer = await sessions.window(browser, "volunteer1", PHONE)
    before = await api(volunteer, demo_site, "/me/points")
    held, exchanged = before["balance"], before["redeemed"]
    assert held > 5
    page = await sessions.open(browser, "manager3", "/staff/points", LAPTOP)
    row = page.locator("#volunteers-points tbody tr", has_text="林志伟")
    await expect(row.locator("td.balance")).to_have_text(str(held))
    await screenshot(page, "points-office-manager")

    form = page.locator("#redeem")
    await form.locator("select[name=user_id]").select_option(label=f"红马甲 林志伟 ({held})")
    await form.locator("input[name=points]").fill(str(held + 1))
    await form.locator("input[name=item]").fill("大米 5 斤")
    await form.locator("button").click()
    await expect(form.locator(".status")).to_have_text(f"积分不足：只有 {held} 分。")

    await form.locator("input[name=points]").fill("5")
    await form.locator("button").dblclick()  # a double tap takes the points once
    await expect(form.locator(".status")).to_contain_text(f"剩余 {held - 5} 分")
    await page.wait_for_load_state("load")
    await expect(row.locator("td.balance")).to_have_text(str(held - 5), timeout=15_000)
    await expect(row.locator("td.redeemed")).to_have_text(str(exchanged + 5))
    mine = await api(volunteer, demo_site, "/me/points")
    assert mine["balance"] == held - 5
    assert len(mine["items"]) == len(before["items"]) + 1
    assert (mine["items"][0]["item"], mine["items"][0]["points"]) == ("大米 5 斤", -5)
    await screenshot(page, "points-office-redeemed")
    await volunteer.goto(demo_site.url + "/points")
    await expect(volunteer.locator("li.entry").first).to_contain_text("大米 5 斤")
    await expect(volunteer.locator("li.entry").first.locator(".amount")).to_have_text("-5")
    assert page.errors == [] and volunteer.errors == []  # type: ignore[attr-defined]


async def test_the_office_reads_the_months_table_on_a_phone_without_the_exchange_form(
    browser: Browser, demo_site: Office, sessions: Sessions
):
    page = await sessions.open(browser, "minzheng", "/staff/points", PHONE)
    table = await api(page, demo_site, "/volunteers/points")
    await expect(page.locator("#volunteers-points tbody tr")).to_have_count(len(table["items"]))
    await expect(page.locator("#redeem")).to_have_count(0)
    await expect(page.locator("nav.tabs a[href='/staff/points']")).to_have_attribute(
        "aria-current", "page"
    )
    assert await sideways(page) == [] and await off_screen(page) == []
    await screenshot(page, "points-office-phone")
    await page.goto(demo_site.url + "/staff/points?month=2026-13")
    await expect(page.locator(".error")).to_be_visible()


async def test_other_roles_get_the_forbidden_page(
    browser: Browser, demo_site: Office, sessions: Sessions
):
    for username, path in (
        ("family1", "/points"),
        ("manager1", "/points"),
        ("volunteer1", "/staff/points"),
        ("cashier1", "/staff/points"),
    ):
        page = await sessions.window(browser, username, LAPTOP)
        response = await page.goto(demo_site.url + path)
        assert response is not None and response.status == 403, (username, path)
        await page.context.close()
    page = await browser.new_page()
    await page.goto(demo_site.url + "/points")
    assert "/login" in page.url
