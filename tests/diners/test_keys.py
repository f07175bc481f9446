"""The key ring of resident ID numbers: rotation moves every row to a new key, nothing is
lost, the search by last four keeps working, and a running server picks the new key up."""

import asyncio
import os
import sys

import httpx
import pytest
from cryptography.exceptions import InvalidTag

from canteen.diners import keys
from canteen.diners import service as diners
from canteen.diners.models import Diner, IdNumberKey
from canteen.roles import SYSTEM, Actor, Role
from tests.conftest import PASSWORD, make_user
from tests.factories import id_number

OFFICE = Actor(user_id=1, username="admin", role=Role.ADMIN)


async def _enrol(count: int) -> dict[int, str]:
    numbers = [id_number("19420618") for _ in range(count)]
    return {
        (await diners.enrol(SYSTEM, name=f"长者{i}", id_number=n)).id: n
        for i, n in enumerate(numbers)
    }


async def _readable(enrolled: dict[int, str]) -> dict[int, str]:
    return {d.id: await diners.id_number_of(d) for d in await Diner.filter(id__in=list(enrolled))}


async def _tags() -> set[str]:
    return {
        c.partition(".")[0] for c in await Diner.all().values_list("id_number_cipher", flat=True)
    }


async def test_a_rotation_moves_every_number_to_a_new_key_and_loses_none(database):
    enrolled = await _enrol(3)
    assert await _tags() == {"v1"}
    assert await _readable(enrolled) == enrolled
    before = dict(await Diner.all().values_list("id", "id_number_cipher"))

    rotation = await keys.rotate()

    assert (rotation.version, rotation.re_encrypted) == (2, 3)
    assert await _tags() == {"v2"}
    assert await _readable(enrolled) == enrolled
    after = dict(await Diner.all().values_list("id", "id_number_cipher"))
    assert all(after[i] != before[i] for i in enrolled)
    assert await keys.status() == {"v1": 0, "v2": 3}
    stored = await IdNumberKey.get(version=2)
    assert all(n not in stored.wrapped for n in enrolled.values())


async def test_after_rotations_the_last_four_still_find_and_a_second_rotation_works(database):
    enrolled = await _enrol(2)
    await keys.rotate()
    late = await _enrol(1)
    assert await _tags() == {"v2"}, "enrolled after the rotation: sealed under the new key"
    second = await keys.rotate()
    assert (second.version, second.re_encrypted) == (3, 3)
    assert await _tags() == {"v3"}
    everyone = enrolled | late
    assert await _readable(everyone) == everyone
    for diner_id, number in everyone.items():
        page = await diners.search(OFFICE, number[-4:], None, 10, None)
        assert [d.id for d in page.items] == [diner_id]
        assert diners.answer_matches(page.items[0], number[-4:])


async def test_a_rotated_cipher_text_moved_to_another_row_fails_to_open(database):
    first, second = await _enrol(2)
    await keys.rotate()
    cipher = await Diner.get(id=first).values_list("id_number_cipher", flat=True)
    await Diner.filter(id=second).update(id_number_cipher=cipher)
    with pytest.raises(InvalidTag):
        await diners.id_number_of(await Diner.get(id=second))


async def test_two_rotations_at_once_both_finish_and_every_number_ends_on_the_newest_key(
    database,
):
    enrolled = await _enrol(5)
    first, second = await asyncio.gather(keys.rotate(), keys.rotate())
    assert {first.version, second.version} == {2, 3}
    assert await _tags() == {"v3"}
    assert await _readable(enrolled) == enrolled


async def test_an_altered_cipher_text_hides_only_that_diners_mask(database):
    altered, intact = await _enrol(2)
    await Diner.filter(id=altered).update(id_number_cipher="v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    chosen = await Diner.filter(id__in=[altered, intact])
    masked = await diners.masked_numbers(OFFICE, chosen)
    assert list(masked) == [intact]


async def _canteen(*argv: str, url: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "canteen.cli", *argv,
        env={**os.environ, "CANTEEN_DATABASE_URL": url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode()


async def test_canteen_keys_rotate_under_a_running_server(live_server):
    admin = await make_user("admin")
    async with httpx.AsyncClient(base_url=live_server.url + "/api/v1", timeout=30) as c:
        token = await c.post("/auth/token", json={"username": admin.username, "password": PASSWORD})
        c.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        old = id_number("19390909")
        r = await c.post("/diners", json={"name": "老王", "id_number": old})
        assert r.status_code == 201, r.text

        code, out = await _canteen("keys", "rotate", url=live_server.database_url)
        assert (code, out.splitlines()[-1]) == (0, "key v2: 1 ID numbers re-encrypted"), out

        new = id_number("19390910")
        r = await c.post("/diners", json={"name": "老李", "id_number": new})
        assert r.status_code == 201, r.text
        assert await _tags() == {"v2"}
        masks = {d["name"]: d["id_number_masked"] for d in (await c.get("/diners")).json()["items"]}
        assert masks == {"老王": "*" * 14 + old[-4:], "老李": "*" * 14 + new[-4:]}
        found = (await c.get("/diners", params={"q": old[-4:]})).json()["items"]
        assert [d["name"] for d in found] == ["老王"]

    code, out = await _canteen("keys", "status", url=live_server.database_url)
    assert (code, out) == (0, "v1: 0\nv2: 2\n")
