"""Migration 6 carries enrolled diners across: the clear parts of the number are gone, each
cipher text is re-sealed bound to its row, and the search by last four still finds them."""

import shutil

import pytest
from cryptography.exceptions import InvalidTag

from canteen.diners import service as diners
from canteen.diners.keys import key_ring
from canteen.diners.models import Diner
from canteen.roles import Actor, Role
from tests.test_migrations import (
    MIGRATION_FILES,
    SEED,
    SEED_NUMBERS,
    connected,
    empty_url,  # noqa: F401 (fixtures)
    kind,  # noqa: F401
    migrate,
    schema_of,
)

KEYS = next(p for p in MIGRATION_FILES if "id_number_keys" in p.name)
OFFICE = Actor(user_id=1, username="admin", role=Role.ADMIN)


async def _upgraded(url: str, tmp_path) -> None:
    """A database holding SEED's three diners before migration 6, then upgraded."""
    before = tmp_path / "migrations"
    (before / "models").mkdir(parents=True)
    for path in MIGRATION_FILES[: MIGRATION_FILES.index(KEYS)]:
        shutil.copy(path, before / "models")
    await migrate(url, before)
    async with connected(url) as conn:
        await conn.execute_script(SEED)
    shutil.copy(KEYS, before / "models")
    assert await migrate(url, before) == [KEYS.name]


async def test_the_upgrade_keeps_every_number_readable_and_drops_the_clear_parts(
    empty_url,  # noqa: F811
    tmp_path,
):
    await _upgraded(empty_url, tmp_path)
    assert {"region_code", "id_last4"}.isdisjoint((await schema_of(empty_url))["diner"].columns)
    async with connected(empty_url):
        ring = await key_ring()
        stored = await Diner.all().order_by("id")
        assert [ring.open(d.id_number_cipher, d.id) for d in stored] == list(SEED_NUMBERS)
        assert [await diners.id_number_of(d) for d in stored] == list(SEED_NUMBERS)


async def test_after_the_upgrade_a_cipher_text_opens_only_on_its_own_row(
    empty_url,  # noqa: F811
    tmp_path,
):
    await _upgraded(empty_url, tmp_path)
    async with connected(empty_url):
        first, second = await Diner.all().order_by("id").limit(2)
        await Diner.filter(id=second.id).update(id_number_cipher=first.id_number_cipher)
        moved = await Diner.get(id=second.id)
        with pytest.raises(InvalidTag):
            await diners.id_number_of(moved)


async def test_after_the_upgrade_the_last_four_find_the_diner_and_check_an_answer(
    empty_url,  # noqa: F811
    tmp_path,
):
    await _upgraded(empty_url, tmp_path)
    async with connected(empty_url):
        for number in SEED_NUMBERS:
            page = await diners.search(OFFICE, number[-4:].lower(), None, 10, None)
            found = [await diners.id_number_of(d) for d in page.items]
            assert found == [number]
            assert diners.answer_matches(page.items[0], number[-4:])
            assert not diners.answer_matches(page.items[0], "9999")
