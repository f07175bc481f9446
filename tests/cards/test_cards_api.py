"""Meal cards over HTTP, on SQLite and PostgreSQL: issue, re-issue, revoke, read, QR, print."""

import asyncio
import io
import re
import string
import xml.etree.ElementTree as ET
from datetime import datetime

import numpy as np
import pytest
from PIL import Image, PdfParser

from canteen.cards import printing, qr, service
from canteen.errors import CardInvalid, CardRevoked
from tests.factories import id_number

NAME = "欧阳秀英"


@pytest.fixture
async def diner(admin) -> dict:
    number = id_number("19380521")
    r = await admin.post("/diners", {"name": NAME, "id_number": number})
    assert r.status_code == 201, r.text
    return {**r.json(), "id_number": number}


async def issue(api, diner_id: int) -> dict:
    r = await api.post(f"/diners/{diner_id}/cards")
    assert r.status_code == 201, r.text
    return r.json()


def problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == code
    return r.json()


async def test_issuing_returns_the_card_and_its_payload(admin, diner):
    r = await admin.post(f"/diners/{diner['id']}/cards")
    assert r.status_code == 201, r.text
    card = r.json()
    assert set(card) == {"card_id", "serial", "qr_payload", "qr_url", "issued_at"}
    assert card["qr_url"].endswith("/q/" + card["qr_payload"])
    assert re.fullmatch(r"MC\d{6}-1", card["serial"]) and str(diner["id"]) in card["serial"]
    payload = card["qr_payload"]
    assert len(payload) <= 120 and set(payload) <= set(
        string.digits + string.ascii_uppercase + " $%*+-./:"
    )
    assert datetime.fromisoformat(card["issued_at"]).utcoffset() is not None
    got = (await admin.get(f"/cards/{card['card_id']}")).json()
    assert got == {
        "card_id": card["card_id"],
        "serial": card["serial"],
        "diner_id": diner["id"],
        "issued_at": card["issued_at"],
        "revoked_at": None,
        "revoke_reason": None,
    }


async def test_the_payload_carries_no_personal_data(admin, diner):
    payload = (await issue(admin, diner["id"]))["qr_payload"]
    number = diner["id_number"]
    for secret in (NAME, number, number[-4:], number[6:14], diner["birth_date"], number[:6]):
        assert secret not in payload


async def test_the_counter_resolves_a_payload_to_the_card_and_diner(admin, diner):
    card = await issue(admin, diner["id"])
    resolved, who = await service.resolve(card["qr_payload"] + "\r\n")
    assert (resolved.id, who.id, who.name) == (card["card_id"], diner["id"], NAME)
    with pytest.raises(CardInvalid):
        await service.resolve(
            card["qr_payload"][:-1] + ("A" if card["qr_payload"][-1] != "A" else "B")
        )


async def test_a_valid_payload_of_a_card_that_does_not_exist_is_invalid(admin, diner):
    with pytest.raises(CardInvalid):
        await service.resolve(service.token.encode(999_999, service.card_key()))


async def test_reissuing_revokes_the_old_card(admin, as_role, diner):
    staff = await as_role("staff")
    old = await issue(staff, diner["id"])
    new = await issue(staff, diner["id"])
    assert new["serial"].endswith("-2") and new["qr_payload"] != old["qr_payload"]
    with pytest.raises(CardRevoked):
        await service.resolve(old["qr_payload"])
    assert (await service.resolve(new["qr_payload"]))[0].id == new["card_id"]
    cards = (await staff.get(f"/diners/{diner['id']}/cards")).json()["items"]
    assert [c["card_id"] for c in cards] == [new["card_id"], old["card_id"]], "newest first"
    assert [c["revoke_reason"] for c in cards] == [None, "reissued"]
    assert [c["revoked_at"] is None for c in cards] == [True, False]


async def test_simultaneous_issues_leave_exactly_one_live_card(as_role, diner):
    staff = await as_role("staff")
    responses = await asyncio.gather(
        *(staff.post(f"/diners/{diner['id']}/cards") for _ in range(6))
    )
    assert [r.status_code for r in responses] == [201] * 6, [r.text for r in responses]
    cards = (await staff.get(f"/diners/{diner['id']}/cards")).json()["items"]
    assert len(cards) == 6 and sum(c["revoked_at"] is None for c in cards) == 1
    assert sorted(c["serial"][-2:] for c in cards) == [f"-{n}" for n in range(1, 7)]


async def test_each_reason_revokes_and_the_card_stops_working(admin, diner):
    for reason in ("lost", "damaged", "withdrawn", "other"):
        card = await issue(admin, diner["id"])
        r = await admin.post(f"/cards/{card['card_id']}/revoke", {"reason": reason})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["revoke_reason"] == reason and body["card_id"] == card["card_id"]
        assert datetime.fromisoformat(body["revoked_at"]) >= datetime.fromisoformat(
            body["issued_at"]
        )
        with pytest.raises(CardRevoked):
            await service.resolve(card["qr_payload"])
    cards = (await admin.get(f"/diners/{diner['id']}/cards")).json()["items"]
    assert all(c["revoked_at"] for c in cards), "a revoked card leaves the diner without a live one"


@pytest.mark.parametrize("body", [{"reason": "reissued"}, {"reason": "stolen"}, {"reason": ""}, {}])
async def test_other_reasons_are_refused_naming_the_field(admin, diner, body):
    card = await issue(admin, diner["id"])
    r = await admin.post(f"/cards/{card['card_id']}/revoke", body)
    assert problem(r, 422, "validation_error")["errors"][0]["field"] == "reason"
    assert (await admin.get(f"/cards/{card['card_id']}")).json()["revoked_at"] is None


async def test_revoking_twice_is_a_conflict(admin, diner):
    card = await issue(admin, diner["id"])
    assert (
        await admin.post(f"/cards/{card['card_id']}/revoke", {"reason": "lost"})
    ).status_code == 200
    r = await admin.post(f"/cards/{card['card_id']}/revoke", {"reason": "damaged"})
    assert "lost" in problem(r, 409, "card_revoked")["detail"]
    assert (await admin.get(f"/cards/{card['card_id']}")).json()["revoke_reason"] == "lost"


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/cards/424242"),
        ("POST", "/cards/424242/revoke"),
        ("GET", "/cards/424242/qr.png"),
        ("GET", "/cards/424242/qr.svg"),
        ("POST", "/diners/424242/cards"),
        ("GET", "/diners/424242/cards"),
    ],
)
async def test_unknown_cards_and_diners_are_not_found(admin, method, path):
    r = await admin.request(method, path, json={"reason": "lost"} if method == "POST" else None)
    problem(r, 404, "not_found")


async def test_a_deceased_diner_gets_no_card(admin, diner):
    await admin.patch(f"/diners/{diner['id']}", {"status": "deceased"})
    problem(await admin.post(f"/diners/{diner['id']}/cards"), 409, "diner_inactive")


async def test_a_suspended_diner_may_get_a_card(admin, diner):
    await admin.patch(f"/diners/{diner['id']}", {"status": "suspended"})
    assert (await admin.post(f"/diners/{diner['id']}/cards")).status_code == 201


async def test_the_png_shows_the_cards_payload(admin, diner):
    card = await issue(admin, diner["id"])
    r = await admin.get(f"/cards/{card['card_id']}/qr.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.headers["cache-control"] == "no-store"
    assert r.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(r.content))
    assert image.size == (330, 330)
    grey = np.array(image.convert("L"))
    centres = (np.arange(25) + 4) * 10 + 5
    assert np.array_equal(grey[np.ix_(centres, centres)] < 128, qr.matrix(card["qr_payload"]))


async def test_the_svg_is_an_svg_document(admin, diner):
    card = await issue(admin, diner["id"])
    r = await admin.get(f"/cards/{card['card_id']}/qr.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(r.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("width") == "29.7mm"


async def test_a_revoked_card_has_no_qr_code_to_print(admin, diner):
    card = await issue(admin, diner["id"])
    await admin.post(f"/cards/{card['card_id']}/revoke", {"reason": "lost"})
    for suffix in ("qr.png", "qr.svg"):
        problem(await admin.get(f"/cards/{card['card_id']}/{suffix}"), 409, "card_revoked")
    print_path = f"/diners/{diner['id']}/cards/{card['card_id']}/print"
    problem(await admin.get(print_path), 409, "card_revoked")


async def test_the_print_endpoint_returns_an_a4_pdf_of_the_card(admin, diner):
    card = await issue(admin, diner["id"])
    r = await admin.get(f"/diners/{diner['id']}/cards/{card['card_id']}/print")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert card["serial"] in r.headers["content-disposition"]
    assert r.content.startswith(b"%PDF")
    pdf = PdfParser.PdfParser(buf=r.content)
    assert len(pdf.pages) == 1
    media_box = pdf.read_indirect(pdf.pages[0])[b"MediaBox"]
    assert [round(x) for x in media_box] == [0, 0, 595, 842], "A4 in points"


async def test_printing_another_diners_card_is_not_found(admin, diner):
    card = await issue(admin, diner["id"])
    other = (await admin.post("/diners", {"name": "李", "id_number": id_number()})).json()["id"]
    problem(await admin.get(f"/diners/{other}/cards/{card['card_id']}/print"), 404, "not_found")


async def test_without_a_chinese_font_printing_says_what_to_install(
    admin, diner, monkeypatch, fresh_font_lookup
):
    monkeypatch.setattr(printing, "_find_face", lambda bold: None)
    card = await issue(admin, diner["id"])
    r = await admin.get(f"/diners/{diner['id']}/cards/{card['card_id']}/print")
    assert "fonts-noto-cjk" in problem(r, 500, "cjk_font_missing")["detail"]


async def test_family_may_do_nothing_with_cards(admin, as_role, diner):
    card = await issue(admin, diner["id"])
    family = await as_role("family")
    await admin.post(
        f"/diners/{diner['id']}/family", {"username": family.actor.username, "relation": "女儿"}
    )
    attempts = [
        family.post(f"/diners/{diner['id']}/cards"),
        family.get(f"/diners/{diner['id']}/cards"),
        family.get(f"/cards/{card['card_id']}"),
        family.post(f"/cards/{card['card_id']}/revoke", {"reason": "lost"}),
        family.get(f"/cards/{card['card_id']}/qr.png"),
        family.get(f"/cards/{card['card_id']}/qr.svg"),
        family.get(f"/diners/{diner['id']}/cards/{card['card_id']}/print"),
    ]
    for r in await asyncio.gather(*attempts):
        problem(r, 403, "forbidden")
    assert (await admin.get(f"/cards/{card['card_id']}")).json()["revoked_at"] is None


async def test_counter_staff_read_cards_but_only_a_manager_revokes(admin, as_role, diner):
    canteen = (await admin.post("/canteens", {"name": "北京街长者饭堂"})).json()["id"]
    await admin.patch(f"/diners/{diner['id']}", {"home_canteen_id": canteen})  # in their reach
    cashier = await as_role("cashier", canteen_id=canteen)
    manager = await as_role("manager", canteen_id=canteen)
    card = await issue(admin, diner["id"])
    problem(await cashier.post(f"/diners/{diner['id']}/cards"), 403, "forbidden")
    problem(await manager.post(f"/diners/{diner['id']}/cards"), 403, "forbidden")
    assert (await cashier.get(f"/cards/{card['card_id']}")).status_code == 200
    for copy in ("qr.png", "qr.svg"):  # a QR code is a working copy of the card
        for someone in (cashier, manager):
            problem(await someone.get(f"/cards/{card['card_id']}/{copy}"), 403, "forbidden")
    print_path = f"/diners/{diner['id']}/cards/{card['card_id']}/print"
    problem(await cashier.get(print_path), 403, "forbidden")
    problem(
        await cashier.post(f"/cards/{card['card_id']}/revoke", {"reason": "lost"}), 403, "forbidden"
    )
    assert (
        await manager.post(f"/cards/{card['card_id']}/revoke", {"reason": "lost"})
    ).status_code == 200


async def test_issue_reissue_and_revoke_are_audited(admin, as_role, diner):
    staff = await as_role("staff")
    first = await issue(staff, diner["id"])
    second = await issue(staff, diner["id"])
    await admin.post(f"/cards/{second['card_id']}/revoke", {"reason": "damaged"})
    entries = (await admin.get("/audit", params={"object_type": "card"})).json()["items"]
    seen = [
        (e["action"], e["object_id"], e["actor"], (e["after"] or {}).get("revoke_reason"))
        for e in reversed(entries)
    ]
    assert seen == [
        ("card.issue", str(first["card_id"]), staff.actor.username, None),
        ("card.revoke", str(first["card_id"]), staff.actor.username, "reissued"),
        ("card.issue", str(second["card_id"]), staff.actor.username, None),
        ("card.revoke", str(second["card_id"]), admin.actor.username, "damaged"),
    ]
    assert all(e["after"]["serial"] for e in entries) and NAME not in str(entries)


async def test_a_diners_cards_come_in_pages(admin, diner):
    ids = [(await issue(admin, diner["id"]))["card_id"] for _ in range(3)]
    first = (await admin.get(f"/diners/{diner['id']}/cards", params={"limit": 2})).json()
    assert [c["card_id"] for c in first["items"]] == ids[:0:-1] and first["next_cursor"]
    rest = (
        await admin.get(
            f"/diners/{diner['id']}/cards", params={"limit": 2, "cursor": first["next_cursor"]}
        )
    ).json()
    assert [c["card_id"] for c in rest["items"]] == ids[:1] and rest["next_cursor"] is None
