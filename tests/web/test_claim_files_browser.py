"""A claim's files from its row on /staff, in Chromium on the demo: the per-diner CSV a clerk
downloads adds up to the amount the claim asks for, and so does the Excel's second sheet."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from playwright.async_api import Page

from tests.web.conftest import screenshot
from tests.web.test_staff_browser import api, demo_site, log_in

pytestmark = pytest.mark.browser
__all__ = ["demo_site"]  # the fixture, served for this module too


async def _download(page: Page, link) -> tuple[str, bytes]:
    async with page.expect_download() as event:
        await link.click()
    download = await event.value
    path = await download.path()
    return download.suggested_filename, path.read_bytes()


async def test_each_claims_row_downloads_its_diners_adding_up_to_the_claim(browser, demo_site):
    page = await log_in(browser, demo_site, "minzheng")
    month = demo_site.last_month
    await page.goto(f"{demo_site.url}/staff?month={month}")
    row = page.locator("#claims-table tr.status-submitted")  # the demo's street claim
    claim = await api(page, demo_site, f"/claims/{await row.get_attribute('data-claim-id')}")
    assert claim["late_voids"], "the demo voids one of its meals after the submission"

    name, content = await _download(page, row.get_by_text("CSV 个人明细"))
    assert name == f"claim-{month}-street-diners.csv"
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert sum(int(r["subsidy_fen"]) for r in rows) == claim["claimed_fen"]
    assert {r["pays_name"] for r in rows} <= {"减免餐价", "按餐补给食堂"}
    assert all(r["name"] and r["canteen_name"] for r in rows)

    name, content = await _download(page, row.get_by_text("Excel"))
    assert name == f"claim-{month}-street.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(content))["个人明细"]
    cells = list(sheet.iter_rows(values_only=True))
    assert cells[1][:3] == ("序号", "类别", "姓名") and len(cells) == len(rows) + 3
    assert cells[-1][0] == "合计" and cells[-1][-1] == Decimal(claim["claimed_fen"]) / 100
    await row.scroll_into_view_if_needed()
    await screenshot(page, "staff-claim-files")
    assert page.errors == []  # type: ignore[attr-defined]
