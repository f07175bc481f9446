"""An elder with a card and a daughter on the portal, whose card a passer-by scans."""

import re
from dataclasses import dataclass

import httpx
import pytest

from canteen.cards import service as cards
from canteen.diners import service as diners
from canteen.roles import SYSTEM
from tests.conftest import Api

ID_NUMBER = "110101194203150021"
"""Born 15 March 1942, a woman (the 17th digit, 2, is even)."""
ELDER = {
    "name": "王秀兰",
    "id_number": ID_NUMBER,
    "phone": "13911112222",
    "address": "东城区和平里北街 7 号楼 3 单元 502",
}
FAMILY_PHONE = "13788889999"


@dataclass
class Elder:
    diner_id: int
    card_id: int
    payload: str
    url: str
    family: Api
    admin: Api


async def make_elder(admin: Api, as_role) -> Elder:
    r = await admin.post("/canteens", {"name": "和平里长者食堂"})
    canteen_id = r.json()["id"]
    diner = await diners.enrol(SYSTEM, **ELDER, home_canteen_id=canteen_id)
    r = await admin.post(f"/diners/{diner.id}/cards")
    assert r.status_code == 201, r.text
    issued = r.json()
    family = await as_role("family")
    await admin.client.patch(  # the daughter's own number, which no finder may see
        "/api/v1/users/" + str(family.actor.user_id),
        json={"phone": FAMILY_PHONE},
        headers=admin.headers,
    )
    await diners.link_family(admin.actor, diner.id, family.actor.username, "女儿")
    assert issued["qr_url"].endswith("/q/" + issued["qr_payload"])
    assert cards.url_of  # the API's qr_url comes from here
    return Elder(diner.id, issued["card_id"], issued["qr_payload"], issued["qr_url"], family, admin)


@pytest.fixture
async def elder(admin, as_role) -> Elder:
    return await make_elder(admin, as_role)


FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


async def open_form(client: httpx.AsyncClient, payload: str) -> tuple[httpx.Response, str]:
    page = await client.get(f"/q/{payload}")
    match = FORM_TOKEN.search(page.text)
    return page, match.group(1) if match else ""


async def report(client: httpx.AsyncClient, payload: str, **fields: str) -> httpx.Response:
    """Open the card's page as a phone does, then send the form."""
    _, token = await open_form(client, payload)
    data = {"finder_phone": "13800138000", "where": "", "lat": "", "lon": ""}
    return await client.post(f"/q/{payload}", data={**data, **fields, "form_token": token})
