"""The Idempotency-Key's store, called directly, on SQLite and PostgreSQL.

The look-up and the record are hand-written statements; these tests hold them to what the
HTTP tests see: the first answer comes back as it was stored (its JSON intact), a key reused
for another request is refused, a second record of one key is ``AnsweredMeanwhile``, and an
answer whose effect rolled back is not stored.
"""

import pytest
from tortoise.transactions import in_transaction

from canteen.errors import IdempotencyKeyReused
from canteen.idempotency import service as idempotency
from canteen.idempotency.models import IdempotencyRecord
from canteen.idempotency.service import AnsweredMeanwhile, IdempotencyKey
from tests.conftest import make_user

BODY = {"id": 7, "pay_fen": 1350, "lines": [{"label": "80 岁及以上", "amount_fen": 500}]}


async def _key(body: object = None, key: str = "till-1-scan-1") -> IdempotencyKey:
    actor = await make_user("admin")
    return IdempotencyKey.of(actor.user_id, key, "POST", "/meals", body or {"card": "x"})


async def test_the_first_answer_comes_back_as_it_was_stored(database):
    key = await _key()
    assert await idempotency.answer_of(key) is None
    async with in_transaction():
        await idempotency.remember(key, 201, BODY)
    assert await idempotency.answer_of(key) == (201, BODY)
    record = await IdempotencyRecord.get(user_id=key.user_id, key=key.key)
    assert (record.status, record.body, record.fingerprint) == (201, BODY, key.fingerprint)


async def test_a_key_used_for_another_request_is_refused(database):
    key = await _key()
    await idempotency.remember(key, 201, BODY)
    other = IdempotencyKey.of(key.user_id, key.key, "POST", "/meals", {"card": "y"})
    with pytest.raises(IdempotencyKeyReused):
        await idempotency.answer_of(other)


async def test_a_second_record_of_one_key_is_answered_meanwhile(database):
    key = await _key()
    await idempotency.remember(key, 201, BODY)
    with pytest.raises(AnsweredMeanwhile):
        async with in_transaction():
            await idempotency.remember(key, 201, {"id": 8})
    assert await idempotency.replayed(key) == (201, BODY)


async def test_once_stores_nothing_when_the_effect_fails(database):
    key = await _key()

    async def refused() -> dict[str, object]:
        raise RuntimeError("the sale was refused")

    with pytest.raises(RuntimeError):
        await idempotency.once(key, 201, refused)
    assert await idempotency.answer_of(key) is None

    async def sold() -> dict[str, object]:
        return BODY

    assert await idempotency.once(key, 201, sold) == (201, BODY)
    assert await idempotency.once(key, 201, refused) == (201, BODY)
    assert await IdempotencyRecord.filter(user_id=key.user_id).count() == 1
