"""The site's menu (``canteen/web/nav.py``), in process on both databases: for each role, a user
logs in, lands where ``LANDING`` says, and every page their menu links to answers them 200 with
that page marked as the one they are on; every other page of the table refuses them (403), so
the menu neither hides a page a role has nor offers one it has not. The office's tabs are the
menu's office pages; the pages that name no actor (the front page, the API's reference, the 404
page) show a logged-in visitor their menu too."""

import html
import re

import pytest

from canteen.canteens import service as canteens
from canteen.roles import PERMISSIONS, Role
from canteen.web import i18n, nav
from canteen.web.login import LANDING
from canteen.web.routes import ROUTES
from tests.conftest import make_user
from tests.web.conftest import log_in

ZH, EN = i18n.translator("zh"), i18n.translator("en")
MENU = re.compile(r'<details class="site-menu">(.*?)</details>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]*)</a>')
TABS = re.compile(r'<nav class="tabs"[^>]*>(.*?)</nav>', re.S)


def links(page: str, pattern: re.Pattern[str] = MENU) -> list[tuple[str, bool, str]]:
    """The menu's links as the page shows them: (href, marked as here, words)."""
    found = pattern.search(page)
    assert found, "no menu on the page"
    return [
        (href, bool(here), html.unescape(words))
        for href, here, words in LINK.findall(found.group(1))
    ]


async def user_of(role: str) -> str:
    """A user of the role, with a canteen to work at for those who work at one (and one for the
    admin's pages that pick the first canteen)."""
    admin = await make_user("admin")
    canteen = await canteens.create_canteen(
        admin, name="北京街长者饭堂", timezone=None, default_timezone="Asia/Shanghai"
    )
    works_at = canteen.id if role in ("manager", "cashier") else None
    return (await make_user(role, canteen_id=works_at)).username


@pytest.mark.parametrize("role", [r.value for r in Role if r is not Role.SYSTEM])
async def test_each_role_opens_every_page_its_menu_links_to_and_no_other(client, app, role):
    username = await user_of(role)
    landing = await log_in(client, username)
    assert landing == LANDING[Role(role)]
    home = await client.get(landing)
    assert home.status_code == 200
    menu = links(home.text)
    assert menu, f"a {role} has pages"
    assert [href for href, here, _ in menu if here] == [landing]
    for href, _, words in menu:
        page = await client.get(href)
        assert page.status_code == 200, (role, href)
        shown = links(page.text)
        assert [h for h, here, _ in shown if here] == [href], (role, href)
        assert [h for h, _, _ in shown] == [h for h, _, _ in menu]  # the same menu everywhere
        assert ZH(words) == words  # Chinese first
    for entry in nav.PAGES:
        if not any(href.startswith(entry.path) for href, _, _ in menu):
            refused = await client.get(entry.path)
            assert refused.status_code == 403, (role, entry.path, refused.status_code)
    english = links((await client.get(landing + "?lang=en")).text)
    key_of = {ZH(entry.words): entry.words for entry in nav.PAGES}
    assert english == [(href, here, EN(key_of[words])) for href, here, words in menu]
    assert not any(re.search(r"[\u4e00-\u9fff]", words) for _, _, words in english)


async def test_a_manager_is_led_to_the_kitchen_the_plan_their_canteen_and_the_board(client, app):
    username = await user_of("manager")
    await log_in(client, username)
    counter = (await client.get("/counter")).text
    menu = {href: words for href, _, words in links(counter)}
    canteen_page = next(href for href in menu if href.startswith("/staff/canteens/"))
    assert re.fullmatch(r"/staff/canteens/\d+", canteen_page)
    for href, words in (
        ("/kitchen", "厨房备餐"),
        ("/deliver/plan", "送餐安排"),
        ("/staff/alerts", "提醒看板"),
        ("/counter/reconciliation", "离线对账"),
        (canteen_page, "食堂与菜价"),
    ):
        assert menu[href] == words
    assert "/staff/users" not in menu and "/staff/diners" not in menu


async def test_a_volunteer_is_led_to_their_elders_and_their_points(client, app):
    await log_in(client, await user_of("volunteer"))
    deliver = (await client.get("/deliver")).text
    assert links(deliver) == [
        ("/deliver", True, "今日送餐"),
        ("/watch", False, "我看护的老人"),
        ("/points", False, "我的积分"),
    ]


async def test_the_office_tabs_are_the_menus_office_pages(client, app):
    await log_in(client, await user_of("admin"))
    for path in ("/staff", "/staff/diners", "/staff/points"):
        page = (await client.get(path)).text
        menu = [link for link in links(page) if link[0].startswith("/staff")]
        assert links(page, TABS) == menu
        assert [href for href, here, _ in menu if here] == [path]
    diner_page = (await client.get("/staff/diners/new")).text  # under /staff/diners
    assert [href for href, here, _ in links(diner_page, TABS) if here] == ["/staff/diners"]


async def test_pages_that_name_no_actor_show_a_logged_in_visitor_their_menu(client, app):
    for path in ("/", "/docs", "/no-such-page"):
        assert '<details class="site-menu">' not in (await client.get(path)).text
    await log_in(client, await user_of("cashier"))
    for path, status in (("/", 200), ("/docs", 200), ("/no-such-page", 404)):
        page = await client.get(path)
        assert page.status_code == status
        assert [(h, here) for h, here, _ in links(page.text)] == [
            ("/counter", False),
            ("/kitchen", False),
            ("/deliver", False),
        ]


def test_every_row_is_a_page_an_action_and_words_in_both_languages():
    paths = {route.path for route in ROUTES}
    for entry in nav.PAGES:
        assert entry.path in paths, entry.path
        assert entry.action in PERMISSIONS, entry.action
        zh, en = ZH(entry.words), EN(entry.words)
        assert zh != entry.words or not entry.words.startswith("nav_")
        assert zh != en and not re.search(r"[\u4e00-\u9fff]", en), entry.words


OFF_THE_MENU = {
    "/": "the front page, which the brand links to",
    "/docs": "the API's reference, linked from every header",
    "/login": "the header's log-in link",
    "/logout": "a form's target",
    "/counter/sw.js": "a script",
    "/deliver/sw.js": "a script",
    "/staff/diners/new": "a button on /staff/diners",
    "/staff/policies/new": "a button on /staff/policies",
}
"""The pages at a fixed address that are reached otherwise than by the menu."""


def test_every_page_at_a_fixed_address_is_on_the_menu_or_reached_otherwise():
    """A page added to the routes is put in ``nav.PAGES`` (or here, with the way to it)."""
    fixed = {
        route.path
        for route in ROUTES
        if "{" not in route.path and not route.path.startswith("/static")
    }
    assert fixed - {entry.path for entry in nav.PAGES} - set(OFF_THE_MENU) == set()
