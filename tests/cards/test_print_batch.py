"""A batch of cards printed from the office's page: progress as it goes, then the PDF."""

import asyncio
import base64
import json
import tempfile
from pathlib import Path

import pytest

from canteen.canteens import service as canteens
from canteen.cards import batch, service
from canteen.diners import service as diners
from canteen.roles import SYSTEM
from tests.cards.test_printing import faces, pages_in
from tests.factories import id_number


async def canteen_with_cards(admin, count: int) -> tuple[int, list[int]]:
    canteen = await canteens.create_canteen(
        SYSTEM,
        name="北京街长者饭堂",
        address="",
        district="",
        street="",
        timezone=None,
        default_timezone="Asia/Shanghai",
    )
    ids = []
    for n in range(count):
        diner = await diners.enrol(
            SYSTEM, name=f"长者{n}", id_number=id_number(), home_canteen_id=canteen.id
        )
        await service.issue(admin.actor, diner.id)
        ids.append(diner.id)
    return canteen.id, ids


def lines_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


async def test_a_batch_says_how_far_it_has_got_page_by_page_then_gives_the_pdf(admin):
    canteen_id, _ = await canteen_with_cards(admin, 23)
    r = await admin.post("/cards/print", {"canteen_id": canteen_id})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/x-ndjson"
    assert r.headers["cache-control"] == "no-store"
    lines = lines_of(r.text)
    assert [(line["done"], line["total"]) for line in lines] == [
        (0, 23),
        (10, 23),
        (20, 23),
        (23, 23),
        (23, 23),
    ]
    last = lines[-1]
    assert last["pages"] == 3
    document = base64.b64decode(last["pdf_base64"], validate=True)
    assert document.startswith(b"%PDF") and pages_in(document) == 3


async def test_a_list_of_diners_prints_only_their_live_cards(admin):
    _, ids = await canteen_with_cards(admin, 3)
    listed = ids[:2]
    cards = await service.list_for_diner(admin.actor, ids[1], 1, None)
    await service.revoke(admin.actor, cards.items[0].id, "lost")
    r = await admin.post("/cards/print", {"diner_ids": listed})
    last = lines_of(r.text)[-1]
    assert (last["done"], last["pages"]) == (1, 1)


async def test_nothing_to_print_is_refused_before_any_progress(admin):
    _, ids = await canteen_with_cards(admin, 1)
    await diners.update(admin.actor, ids[0], {"status": "deceased"})  # the card is withdrawn
    r = await admin.post("/cards/print", {"diner_ids": ids})
    assert r.status_code == 422 and r.json()["code"] == "nothing_to_print"
    r = await admin.post("/cards/print", {"canteen_id": 99999})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = await admin.post("/cards/print", {"diner_ids": []})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "diner_ids"


@pytest.mark.parametrize("role", ["manager", "cashier", "family"])
async def test_only_the_office_prints_a_batch(admin, as_role, role):
    canteen_id, _ = await canteen_with_cards(admin, 1)
    someone = await as_role(role, canteen_id=None if role == "family" else canteen_id)
    r = await someone.post("/cards/print", {"canteen_id": canteen_id})
    assert r.status_code == 403 and r.json()["code"] == "forbidden"


async def test_a_batch_nobody_listens_to_any_more_stops_and_leaves_no_file(monkeypatch):
    made: list[Path] = []
    real_mkdtemp = tempfile.mkdtemp

    def recording_mkdtemp(**kw):
        made.append(Path(real_mkdtemp(**kw)))
        return str(made[-1])

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    events = batch.print_batch(faces(200))
    assert await anext(events) == batch.Drawn(0, 200)
    assert await anext(events) == batch.Drawn(10, 200)
    await events.aclose()
    for _ in range(200):
        if not made[0].exists():
            break
        await asyncio.sleep(0.05)
    assert not made[0].exists()
