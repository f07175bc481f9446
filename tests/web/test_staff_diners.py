"""The office's elder and card pages in a real Chromium, on the demo's data: a clerk finds an
elder as they type, enrols one (a mistyped ID number is told beside the field, as it is
typed), issues, prints and revokes a card, and prints a batch of cards with a progress bar.
Screenshots: ``var/screenshots/staff-diners-*.png``, at 1366x768 and 390 wide. The clerk's
pages open with the session of one log-in per module (``Sessions``): none of these tests is
about logging in, and a log-in in the browser costs the login page and the office's landing
page with its chart."""

import re

import httpx
import pytest
from playwright.async_api import expect

from canteen.diners.resident_id import check_char
from tests.web import test_staff_browser as office
from tests.web.conftest import screenshot
from tests.web.test_staff_browser import api, signed_in

demo_site = office.demo_site
"""The demo, filled once for this module and served (the staff pages' fixture)."""

pytestmark = pytest.mark.browser
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
GOOD_ID = "44010419450506002" + check_char("44010419450506002")
MISTYPED_ID = GOOD_ID[:17] + ("1" if GOOD_ID[17] != "1" else "2")
OFFICE_PAGES = ("/staff/diners", "/staff/diners/new", "/staff/diners/1", "/staff/cards/print")


async def no_sideways_scroll(page) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


async def test_a_clerk_enrols_an_elder_then_issues_prints_and_revokes_a_card(browser, demo_site):
    page = await signed_in(browser, demo_site, "minzheng", "/staff/diners", DESK)
    someone = (await api(page, demo_site, "/diners?limit=1"))["items"][0]
    await page.fill("#diner-q", someone["name"])
    await expect(page).to_have_url(re.compile(r"\?q=%"))  # the search is in the address
    await expect(page.locator("#diner-count")).not_to_have_text("找到 50 位 · 只显示前 50 位…")
    rows = page.locator("#diners tbody tr")
    # The list is searched as the name is typed: wait for the whole name's answer (the API's
    # count) before reading the rows, or a row of a shorter query's answer may vanish meanwhile.
    found = await api(page, demo_site, "/diners?q=" + someone["name"])
    await expect(rows).to_have_count(len(found["items"]))
    await expect(rows).to_contain_text([someone["name"]] * len(found["items"]))
    await screenshot(page, "staff-diners-search")
    await no_sideways_scroll(page)

    await page.click("text=登记新长者")
    # The form's checks start with its script: typed before it has run, nothing would answer.
    await page.wait_for_url("**/staff/diners/new")
    await page.wait_for_load_state("load")
    await page.fill("#id_number", GOOD_ID[:10])
    await expect(page.locator("#id-check")).to_have_text("已输入 10/18 位")
    await page.fill("#id_number", MISTYPED_ID)
    await expect(page.locator("#id-check")).to_have_text("校验位不符，可能有数字输错")
    await page.fill("input[name=name]", "欧阳秀珍")
    await page.press("input[name=name]", "Enter")
    error = page.locator('.field-error[data-for="id_number"]')
    await expect(error).to_be_visible()
    await expect(error).to_contain_text("校验位不符")
    await expect(page.locator("#id_number")).to_be_focused()
    await screenshot(page, "staff-diners-bad-id")

    await page.fill("#id_number", GOOD_ID)
    await expect(page.locator("#id-check")).to_contain_text("出生 1945-05-06 · 女")
    await page.check("input[name=categories][value=living_alone]")
    await page.check("input[name=dietary][value=low_salt]")
    await page.fill("#allergies", "花生、海鲜")
    await page.fill("input[name=district]", "越秀区")
    await page.fill("input[name=street]", "北京街")
    await page.press("#allergies", "Enter")
    await page.wait_for_url(re.compile(r"/staff/diners/\d+\?enrolled=1"))
    diner_id = int(re.search(r"/staff/diners/(\d+)", page.url).group(1))
    head = page.locator(".diner-head")
    await expect(head).to_contain_text("欧阳秀珍")
    await expect(head).to_contain_text("过敏:花生")
    await expect(head).to_contain_text("*" * 14 + GOOD_ID[-4:])
    assert GOOD_ID not in await page.content() and GOOD_ID[:14] not in await page.content()
    stored = await api(page, demo_site, f"/diners/{diner_id}")
    assert stored["dietary"] == ["low_salt", "allergy:海鲜", "allergy:花生"]

    await page.click("#issue-card button")
    await expect(page.locator(".live-card")).to_contain_text(f"MC{diner_id:06d}-1")
    printed = await page.request.get(
        demo_site.url + await page.get_attribute("#print-card", "href")
    )
    assert printed.headers["content-type"] == "application/pdf"
    assert (await printed.body()).startswith(b"%PDF")
    await screenshot(page, "staff-diners-record")
    await no_sideways_scroll(page)

    await page.select_option("#revoke-card select[name=reason]", "lost")
    await page.click("#revoke-card button")
    await expect(page.locator("#cards")).to_contain_text("没有在用的卡")
    await expect(page.locator("#cards table")).to_contain_text("遗失")
    cards = await api(page, demo_site, f"/diners/{diner_id}/cards")
    assert [c["revoke_reason"] for c in cards["items"]] == ["lost"]

    await page.set_viewport_size(PHONE)
    await screenshot(page, "staff-diners-record-phone")
    await no_sideways_scroll(page)
    assert page.errors == []  # type: ignore[attr-defined]


async def test_a_status_change_needs_a_reason_and_family_links_come_and_go(browser, demo_site):
    page = await demo_site.sessions.window(browser, "minzheng", PHONE)
    diner = (await api(page, demo_site, "/diners?q=" + "梁"))["items"][0]
    await page.goto(f"{demo_site.url}/staff/diners/{diner['id']}")
    status = page.locator("#status form")
    await status.locator("select[name=status]").select_option("suspended")
    await status.locator("button").click()
    await expect(status.locator('.field-error[data-for="reason"]')).to_be_visible()
    await status.locator("input[name=reason]").fill("住院")
    await status.locator("button").click()
    await expect(page.locator(".diner-head .badge")).to_have_text("暂停")

    family = page.locator("#family form").last
    await family.locator("input[name=username]").fill("nobody-here")
    await family.locator("input[name=relation]").fill("女儿")
    await family.locator("button").click()
    await expect(family.locator('.field-error[data-for="username"]')).to_contain_text(
        "没有这个家属账号"
    )
    await family.locator("input[name=username]").fill("family2")
    await family.locator("button").click()
    await expect(page.locator("#family table")).to_contain_text("family2")
    await page.locator("#family table button").last.click()
    await expect(page.locator("#family table")).not_to_contain_text("family2")
    await screenshot(page, "staff-diners-status-phone")
    await no_sideways_scroll(page)
    assert page.errors == []  # type: ignore[attr-defined]


async def test_a_batch_of_cards_prints_with_its_progress_shown(browser, demo_site):
    page = await signed_in(browser, demo_site, "minzheng", "/staff/cards/print", DESK)
    await page.select_option("select[name=canteen_id]", index=1)
    await page.click("#print-batch button.primary")
    link = page.locator("#print-pdf")
    await expect(link).to_be_visible(timeout=120_000)
    count = await page.locator("#print-count").text_content()
    done, total = map(int, re.findall(r"\d+", count))
    assert done == total > 0
    assert await page.eval_on_selector("#print-progress", "p => [p.value, p.max]") == [done, total]
    async with page.expect_download() as downloading:
        await link.click()
    saved = await (await downloading.value).path()
    assert saved.read_bytes().startswith(b"%PDF-")
    await expect(page.locator("#print-summary")).to_contain_text(f"共 {total} 张卡")
    await screenshot(page, "staff-cards-print")
    await page.set_viewport_size(PHONE)
    await screenshot(page, "staff-cards-print-phone")
    await no_sideways_scroll(page)

    await page.check("input[name=by][value=list]")
    await page.click("#print-batch button.primary")
    await expect(page.locator('.field-error[data-for="diner_ids"]')).to_be_visible()
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("username", ["cashier1", "manager1", "family1"])
async def test_counter_and_family_users_are_refused_every_office_page(demo_site, username):
    async with httpx.AsyncClient(base_url=demo_site.url) as client:
        form = await client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        password = demo_site.passwords[username]
        body = {"username": username, "password": password, "csrf": csrf, "next": ""}
        assert (await client.post("/login", data=body)).status_code == 303
        for path in OFFICE_PAGES:
            r = await client.get(path)
            assert r.status_code == 403, path
            assert "您的账号不能使用此页面" in r.text


async def test_a_visitor_is_sent_to_log_in(demo_site):
    async with httpx.AsyncClient(base_url=demo_site.url) as client:
        for path in OFFICE_PAGES:
            r = await client.get(path)
            assert r.status_code == 303 and r.headers["location"] == f"/login?next={path}"
