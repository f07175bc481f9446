"""The office's policy, user, audit and canteen pages, rendered in process on both databases:
who may open each, what each shows, and what the server itself checks (an uploaded policy's
problems marked beside their fields, the CSRF token on the upload). The browser tests, on the
demo, are in ``test_staff_office_browser.py``; the unknown address's 404 page is in
``test_home_and_docs.py``.
"""

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import Any

import httpx
import pytest

from canteen import clock
from canteen.config import get_settings
from tests.conftest import make_user
from tests.factories import id_number
from tests.web.conftest import log_in
from tests.web.test_staff import cells, csrf_of

OFFICE_PAGES = ("/staff/policies", "/staff/policies/new", "/staff/users", "/staff/audit")


@pytest.fixture
async def page_client(app) -> Any:
    """A browser of its own (its own cookies), beside the API clients."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


@pytest.fixture
async def canteens(admin) -> tuple[int, int]:
    first = (await admin.post("/canteens", {"name": "北京街长者饭堂", "district": "越秀区"})).json()
    second = (await admin.post("/canteens", {"name": "六榕街长者饭堂"})).json()
    return first["id"], second["id"]


async def as_page_user(page_client, role: str, canteen_id: int | None = None) -> httpx.AsyncClient:
    page_client.cookies.clear()
    user = await make_user(role, canteen_id)
    await log_in(page_client, user.username)
    return page_client


def today() -> str:
    return clock.today(get_settings().tz).isoformat()


def shown_errors(html: str) -> dict[str, str]:
    """The error slots the page shows (not hidden), by the field they stand beside."""
    found = re.findall(r'<span class="field-error" data-for="([^"]+)">([^<]*)</span>', html)
    return {field: unescape(text) for field, text in found}


# --- Who may open which page ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["cashier", "family"])
async def test_a_cashier_or_family_member_is_refused_every_office_page(page_client, canteens, role):
    await as_page_user(page_client, role, canteens[0] if role == "cashier" else None)
    for path in (*OFFICE_PAGES, "/staff/canteens", f"/staff/canteens/{canteens[0]}"):
        r = await page_client.get(path)
        assert r.status_code == 403 and "您的账号不能使用此页面" in r.text, path


async def test_the_office_drafts_policies_but_users_audit_and_price_lists_are_the_admins(
    page_client, canteens
):
    await as_page_user(page_client, "staff")
    for path in ("/staff/policies", "/staff/policies/new"):
        assert (await page_client.get(path)).status_code == 200, path
    for path in ("/staff/users", "/staff/audit", f"/staff/canteens/{canteens[0]}"):
        assert (await page_client.get(path)).status_code == 403, path
    page = (await page_client.get("/staff/policies")).text
    assert 'href="/staff/policies"' in page and 'href="/staff/users"' not in page


async def test_a_manager_reaches_only_their_own_canteens_page(page_client, canteens):
    own, other = canteens
    await as_page_user(page_client, "manager", own)
    r = await page_client.get("/staff/canteens")
    assert r.status_code == 303 and r.headers["location"] == f"/staff/canteens/{own}"
    assert (await page_client.get(f"/staff/canteens/{own}")).status_code == 200
    r = await page_client.get(f"/staff/canteens/{other}")
    assert r.status_code == 404 and "找不到这个页面" in r.text
    for path in OFFICE_PAGES:
        assert (await page_client.get(path)).status_code == 403, path


async def test_the_admin_opens_every_office_page_and_a_stranger_is_sent_to_log_in(
    page_client, canteens
):
    await as_page_user(page_client, "admin")
    for path in (*OFFICE_PAGES, "/staff/canteens", f"/staff/canteens/{canteens[1]}"):
        assert (await page_client.get(path)).status_code == 200, path
    assert (await page_client.get("/staff/canteens/999999")).status_code == 404
    page_client.cookies.clear()
    r = await page_client.get("/staff/audit")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/staff/audit"


# --- Policies -------------------------------------------------------------------------------


async def test_the_policy_in_force_reads_as_a_table_of_rules_in_words(admin, page_client, canteens):
    rules = [
        {"code": "age80", "label": "80 岁及以上", "when": {"min_age": 80}, "amount_fen": 500,
         "funder": "district", "meal_types": ["lunch", "dinner"], "daily_limit": 1},
        {"code": "poor", "label": "低保特困", "percent": 50, "max_fen": 800, "funder": "street",
         "when": {"categories_any": ["low_income", "extreme_poverty"], "registered_in": "street",
                  "min_price_fen": 1500}, "monthly_limit": 22},
        {"code": "op", "label": "运营方让利", "amount_fen": 100, "funder": "operator",
         "stack_always": True},
    ]  # fmt: skip
    body = {"name": "区助餐补贴", "effective_from": today(), "stacking": "highest", "rules": rules}
    assert (await admin.post("/policies", body)).status_code == 201
    later = {**body, "name": "明年的政策", "effective_from": "2099-01-01"}
    assert (await admin.post("/policies", later)).status_code == 201
    await as_page_user(page_client, "staff")
    html = (await page_client.get("/staff/policies")).text
    assert cells(html, "in-force-rules")[1:] == [
        ["80 岁及以上 age80", "80 岁及以上", "¥5.00", "区级", "午餐、晚餐", "每天 1 次"],
        [
            "低保特困 poor",
            "低保或特困；户籍在本街道；消费满 15.00 元",
            "50%，最高 ¥8.00",
            "街道",
            "全部",
            "每月 22 次",
        ],
        ["运营方让利 op", "所有人", "¥1.00 另行叠加", "运营方", "全部", "不限"],
    ]
    assert "待生效：明年的政策" in html
    english = (await page_client.get("/staff/policies?lang=en")).text
    assert unescape(cells(english, "in-force-rules")[2][1]) == (
        "low income (低保) or extreme poverty (特困); registered in the canteen's street; "
        "meal of 15.00 yuan or more"
    )


async def test_a_draft_starts_from_an_example_with_a_start_date_to_come(page_client):
    await as_page_user(page_client, "staff")
    html = (await page_client.get("/staff/policies/new?from=example:shanghai-putuo")).text
    assert 'value="上海市普陀区老年助餐补贴 (折扣 + 堂食补贴)"' in html
    tomorrow = clock.today(get_settings().tz) + timedelta(days=1)
    assert f'name="effective_from" value="{tomorrow}"' in html, "the example's date is past"
    assert (
        'name="rules.0.when.min_price_fen" data-kind="yuan" inputmode="decimal" value="8.00"'
        in html
    )
    assert shown_errors(html) == {}
    assert "政策名称" in html and "补贴项目" in html


async def test_an_uploaded_policy_shows_its_problems_beside_the_fields(page_client):
    await as_page_user(page_client, "staff")
    form = (await page_client.get("/staff/policies/new")).text
    broken = (
        'name = "草稿"\nstacking = "highest"\n'
        '[[rules]]\ncode = "a"\nlabel = "甲"\namount_fen = 300\npercent = 10\nfunder = "city"\n'
        '[[rules]]\ncode = "b"\nlabel = "乙"\namount_fen = 200\nfunder = "nobody"\n'
        "[rules.when]\nmin_age = 90\nmax_age = 80\n"
    )
    r = await page_client.post(
        "/staff/policies/new",
        data={"csrf": csrf_of(form)},
        files={"file": ("draft.toml", broken.encode(), "application/toml")},
    )
    assert r.status_code == 200
    errors = shown_errors(r.text)
    assert set(errors) == {"rules.0.amount_fen", "rules.1.funder", "rules.1.when.max_age"}
    assert "rule 'b'" in errors["rules.1.funder"]
    assert 'value="草稿"' in r.text and "3 处问题" in r.text


async def test_an_upload_that_is_not_a_policy_is_told_beside_the_file_field(page_client):
    await as_page_user(page_client, "staff")
    csrf = csrf_of((await page_client.get("/staff/policies/new")).text)
    for name, content, said in (
        ("a.toml", b"name = ", "not valid TOML"),
        ("a.json", b"[1, 2]", "must hold a JSON object"),
        ("a.toml", b"\xff\xfe", "not UTF-8"),
    ):
        r = await page_client.post(
            "/staff/policies/new", data={"csrf": csrf}, files={"file": (name, content)}
        )
        assert r.status_code == 200
        assert said in shown_errors(r.text)["file"], name


async def test_the_upload_needs_the_pages_csrf_token(page_client):
    await as_page_user(page_client, "staff")
    r = await page_client.post(
        "/staff/policies/new", data={"csrf": "forged"}, files={"file": ("a.toml", b'name = "x"')}
    )
    assert r.status_code == 200 and "页面已过期" in shown_errors(r.text)["file"]
    assert 'value="x"' not in r.text


# --- Users, the audit trail, a canteen ------------------------------------------------------


async def test_the_users_page_lists_and_filters_users(page_client, canteens):
    # 16:30 UTC on 31 March is already 1 April in Shanghai: the day a user was added is
    # Shanghai's, whatever the time of day the suite runs.
    with clock.frozen_at(datetime(2026, 3, 31, 16, 30, tzinfo=UTC)):
        await make_user("cashier", canteens[0], username="cashier.liang")
    await make_user("cashier", canteens[1], username="cashier.xie")
    await as_page_user(page_client, "admin")
    html = (await page_client.get(f"/staff/users?role=cashier&canteen={canteens[0]}")).text
    rows = cells(html, "users")[1:]
    assert [row[:4] for row in rows] == [
        ["cashier.liang 2026-04-01 添加", "收银员", "北京街长者饭堂", "正常"]
    ]
    assert 'data-api="/users"' in html and 'name="canteen_id"' in html
    r = await page_client.get("/staff/users?role=boss")
    assert r.status_code == 422 and "<code>role</code>" in r.text
    offered = re.findall(
        r'<option value="(\w+)"', html.split('name="role"')[1].split("</select>")[0]
    )
    assert offered == ["admin", "staff", "manager", "cashier", "family", "volunteer"]
    assert "system" not in offered, "no user may hold the command line's role"


async def test_the_audit_page_shows_who_did_what_filtered(admin, as_role, page_client, canteens):
    staff = await as_role("staff")
    number = id_number("19400101")
    enrolled = await staff.post("/diners", {"name": "周", "id_number": number})
    diner = enrolled.json()["id"]
    await as_page_user(page_client, "admin")
    html = (await page_client.get(f"/staff/audit?actor={staff.actor.username}")).text
    rows = cells(html, "audit")[1:]
    assert len(rows) == 1
    assert rows[0][1:4] == [
        f"{staff.actor.username} 民政",
        "登记老人",
        f"老人 {diner} 此对象的全部记录",
    ]
    assert "身份证号" in rows[0][4] and number[-4:] in rows[0][4] and number not in html
    html = (await page_client.get("/staff/audit?action=canteen")).text
    assert [row[2] for row in cells(html, "audit")[1:]] == ["新建食堂", "新建食堂"]
    html = (await page_client.get("/staff/audit?actor=system&action=user")).text
    assert {row[1] for row in cells(html, "audit")[1:]} == {"系统（命令行或自动任务）"}
    r = await page_client.get("/staff/audit?from=2026-02-30")
    assert r.status_code == 422 and "<code>from</code>" in r.text


async def test_a_canteens_page_lists_its_dishes_and_meal_windows(admin, page_client, canteens):
    own = canteens[0]
    for dish in (
        {"name": "杂粮饭控糖套餐", "meal_type": "dinner", "price_fen": 1200, "tags": ["diabetic"]},
        {"name": "两荤一素套餐", "meal_type": "lunch", "price_fen": 1500},
    ):
        assert (await admin.post(f"/canteens/{own}/offerings", dish)).status_code == 201
    await as_page_user(page_client, "manager", own)
    html = (await page_client.get(f"/staff/canteens/{own}")).text
    rows = cells(html, "dishes")[1:]
    assert [row[:3] for row in rows] == [
        ["两荤一素套餐", "午餐", ""],
        ["杂粮饭控糖套餐", "晚餐", "糖尿病餐"],
    ]
    assert 'value="15.00"' in html and 'value="12.00"' in html
    windows = re.findall(r'name="meal_windows\.(\w+)\.(\d)" value="([\d:]*)"', html)
    assert windows == [
        ("breakfast", "0", "06:30"),
        ("breakfast", "1", "09:00"),
        ("lunch", "0", "10:30"),
        ("lunch", "1", "13:30"),
        ("dinner", "0", "16:30"),
        ("dinner", "1", "19:00"),
    ]
    assert f'data-api="/canteens/{own}" data-method="PATCH"' in html
