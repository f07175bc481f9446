"""The admin moves a cashier of the demo to another canteen on the users page, in a real
Chromium: a refusal is shown beside the field it names, in Chinese; the move ends the
cashier's session; the audit trail has it."""

import pytest
from playwright.async_api import expect

from tests.web import test_staff_browser
from tests.web.conftest import screenshot
from tests.web.test_staff_browser import api, signed_in
from tests.web.test_staff_office_browser import LAPTOP, field_error, photographed

pytestmark = pytest.mark.browser
demo_site = test_staff_browser.demo_site
"""The demo, filled once for this module."""


async def test_the_admin_moves_a_cashier_to_another_canteen(browser, demo_site):
    # The cashier's page is open with their session (``Sessions``: one log-in by the form's
    # POST, which sent them to the counter), and the counter takes them.
    cashier = await demo_site.sessions.open(browser, "cashier3", None, LAPTOP)
    assert demo_site.sessions.landings["cashier3"] == "/counter"
    assert cashier.url.endswith("/counter")
    page = await signed_in(browser, demo_site, "admin", "/staff/users?q=cashier3", LAPTOP)
    (before,) = (await api(page, demo_site, "/users?q=cashier3"))["items"]
    canteens = {c["id"]: c["name"] for c in (await api(page, demo_site, "/canteens"))["items"]}
    other = next(id for id in canteens if id != before["canteen_id"])
    row = page.locator('#users tr[data-username="cashier3"]')
    form = row.locator("form.place")
    await expect(form.locator("select[name=role]")).to_have_value("cashier")
    await expect(form.locator("select[name=canteen_id]")).to_have_value(str(before["canteen_id"]))

    # Made office staff while still at a canteen: refused beside the canteen, in Chinese.
    await form.locator("select[name=role]").select_option("staff")
    await form.locator("button").click()
    await expect(field_error(form, "canteen_id")).to_have_text(
        "请修改：经理、收银员须选一个食堂；其他角色不属于食堂"
    )
    assert await page.evaluate("document.activeElement.name") == "canteen_id"
    await screenshot(page, "office-users-refused-1366")

    # A cashier at the other canteen: the page shows it after reloading, as the API holds it.
    await form.locator("select[name=role]").select_option("cashier")
    await form.locator("select[name=canteen_id]").select_option(str(other))
    await form.locator("select[name=canteen_id]").press("Tab")  # to the button, as a keyboard
    await page.keyboard.press("Enter")
    await expect(row.locator("td").nth(2)).to_have_text(canteens[other])
    await expect(field_error(form, "canteen_id")).to_be_hidden()
    (after,) = (await api(page, demo_site, "/users?q=cashier3"))["items"]
    assert (after["role"], after["canteen_id"]) == ("cashier", other)

    # Their permissions changed: the cashier's open page session has ended.
    await cashier.goto(demo_site.url + "/counter")
    assert "/login" in cashier.url

    # The last admin cannot be made anything else: said beside the role.
    await page.goto(demo_site.url + "/staff/users?q=admin")
    mine = page.locator('#users tr[data-username="admin"] form.place')
    await mine.locator("select[name=role]").select_option("staff")
    await mine.locator("select[name=canteen_id]").select_option("null")
    await mine.locator("button").click()
    await expect(field_error(mine, "role")).to_have_text("请修改：至少要保留一个在用的管理员")
    assert (await api(page, demo_site, "/users?q=admin"))["items"][0]["role"] == "admin"

    await page.goto(demo_site.url + "/staff/audit?actor=admin&action=user")
    await expect(page.locator("#audit tbody tr").first).to_contain_text("修改用户")
    await screenshot(page, "office-users-audit-1366")
    assert page.errors == []  # type: ignore[attr-defined]
    await photographed(page, demo_site, "/staff/users", "users-edit")
