"""The found-elder parts of the pages, in process on SQLite and PostgreSQL: the family sees a
finder's report and the thread under the alert, with the switch; the finder's pages reveal
nothing of the elder but the honorific, in Chinese and English."""

import re

from canteen.cards import service as cards
from canteen.diners import service as diners
from canteen.found import service as found
from canteen.roles import SYSTEM
from tests.conftest import make_user
from tests.web.conftest import log_in

ID_NUMBER = "11010119380520001X"
"""Born 20 May 1938, a man (the 17th digit, 1, is odd)."""
ELDER = {
    "name": "欧阳德明",
    "id_number": ID_NUMBER,
    "phone": "13900001111",
    "address": "越秀区北京街 12 号 301",
}
SECRETS = ("欧阳德明", "德明", ID_NUMBER, ID_NUMBER[-4:], "13900001111", "北京街 12 号")


async def an_elder_reported() -> tuple[object, int, str, str]:
    admin = await make_user("admin")
    diner = await diners.enrol(SYSTEM, **ELDER)
    card = await cards.issue(admin, diner.id)
    daughter = await make_user("family")
    await diners.link_family(admin, diner.id, daughter.username, "女儿")
    reported = await found.report(
        cards.payload_of(card),
        found.FinderReport("138 0013 8000", "人民公园南门<script>", "23.12911", "113.26436"),
    )
    await found.finder_writes(reported.thread_token, "他说想回家，我陪他在门口等")
    return daughter, diner.id, reported.thread_token, cards.payload_of(card)


async def test_the_family_sees_the_report_its_thread_and_the_switch(client, app):
    daughter, diner_id, _, _ = await an_elder_reported()
    assert await log_in(client, daughter.username) == "/family"
    page = (await client.get(f"/family/diners/{diner_id}")).text
    assert "有人发现老人可能走失" in page
    assert 'href="tel:13800138000"' in page
    assert (
        "人民公园南门&lt;script&gt;" in page
        and "<script>" not in page.split("<main>")[1].split('<script type="module"')[0]
    )
    assert "position=113.26436,23.12911" in page
    assert "他说想回家，我陪他在门口等" in page and "发现人" in page
    assert 'id="found-switch"' in page and 'data-enabled="true"' in page
    home = (await client.get("/family")).text
    assert "有人发现老人可能走失" in home
    english = (await client.get(f"/family/diners/{diner_id}?lang=en")).text
    assert "Found, may be lost" in english and "Messages with the finder" in english


async def test_another_family_and_the_office_get_no_family_page_of_it(client, app):
    _, diner_id, _, _ = await an_elder_reported()
    stranger = await make_user("family")
    await log_in(client, stranger.username)
    r = await client.get(f"/family/diners/{diner_id}")
    assert r.status_code == 404 and "13800138000" not in r.text
    client.cookies.clear()
    staff = await make_user("staff")
    await log_in(client, staff.username)
    r = await client.get(f"/family/diners/{diner_id}")
    assert r.status_code == 403 and "13800138000" not in r.text


async def test_the_finders_pages_show_the_honorific_only_in_both_languages(client, app):
    _, _, thread_token, payload = await an_elder_reported()
    for lang in ("zh", "en"):
        form = await client.get(f"/q/{payload}?lang={lang}")
        thread = await client.get(f"/found/{thread_token}?lang={lang}")
        for page in (form, thread):
            assert page.status_code == 200
            assert "欧阳爷爷" in page.text
            assert [s for s in SECRETS if s in page.text] == []
        assert "13800138000" not in thread.text
    assert re.search(
        r"<h1>\s*我可能走失了\s*</h1>", (await client.get(f"/q/{payload}?lang=zh")).text
    )
