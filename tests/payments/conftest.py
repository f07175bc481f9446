"""A family member linked to an elder, ready to top up online; the sandbox signs for the bank."""

from dataclasses import dataclass

import pytest

from canteen.payments.providers import SandboxProvider
from tests.conftest import Api
from tests.factories import id_number


@dataclass
class Family:
    admin: Api
    family: Api
    diner_id: int

    async def balance(self) -> int:
        r = await self.admin.get(f"/diners/{self.diner_id}/account")
        return int(r.json()["balance_fen"])


async def link_family(admin: Api, as_role, name: str = "陈桂英") -> Family:
    diner = (await admin.post("/diners", {"name": name, "id_number": id_number("19400101")})).json()
    family = await as_role("family")
    r = await admin.post(
        f"/diners/{diner['id']}/family", {"username": family.actor.username, "relation": "女儿"}
    )
    assert r.status_code == 201, r.text
    return Family(admin, family, diner["id"])


@pytest.fixture
async def linked(admin, as_role) -> Family:
    return await link_family(admin, as_role)


@pytest.fixture
def sandbox() -> SandboxProvider:
    return SandboxProvider()


async def notify(client, headers: dict[str, str], body: bytes, provider: str = "sandbox"):
    return await client.post(f"/api/v1/payments/{provider}/notify", content=body, headers=headers)
