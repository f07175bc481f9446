"""``account_of``: a diner's account as it was read with the diner, never a query of its own."""

import pytest

from canteen.accounts.models import account_of
from canteen.diners.models import Diner

IDNO = "11010519491231002X"


@pytest.fixture
async def diner_id(admin) -> int:
    r = await admin.post("/diners", {"name": "王秀英", "id_number": IDNO})
    assert r.status_code == 201, r.text
    new_id: int = r.json()["id"]
    r = await admin.post(f"/diners/{new_id}/topups", {"amount_fen": 3000, "method": "cash"})
    assert r.status_code == 201, r.text
    return new_id


async def test_the_account_read_with_the_diner_is_the_one_given(admin, diner_id):
    diner = await Diner.get(id=diner_id).select_related("account")
    account = account_of(diner)
    assert (account.diner_id, account.balance_fen) == (diner_id, 3000)


async def test_a_diner_read_without_the_account_is_refused_not_queried(admin, diner_id):
    diner = await Diner.get(id=diner_id)
    with pytest.raises(RuntimeError, match=f"no account was read with diner {diner_id}"):
        account_of(diner)
