"""A counter (tests.checkout.conftest's) whose elder's home canteen it is, so its snapshot
holds them."""

from typing import Any

import pytest

from tests.checkout.conftest import Counter, open_counter


async def home_counter(admin: Any, as_role: Any, **options: Any) -> Counter:
    counter = await open_counter(admin, as_role, **options)
    r = await admin.patch(f"/diners/{counter.diner_id}", {"home_canteen_id": counter.canteen_id})
    assert r.status_code == 200, r.text
    return counter


@pytest.fixture
async def counter(admin: Any, as_role: Any) -> Counter:
    return await home_counter(admin, as_role)
