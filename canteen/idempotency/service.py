"""Answer a repeated request with the first answer, with no second effect.

The client makes the key and retries with it (TigerBeetle's "reliable submission"). The
record of the answer is written in the same transaction as the effect, so either both exist
or neither does. Two requests with one key racing each other: the second one's insert of the
record collides with the first's (on PostgreSQL it waits for the first to commit), its whole
transaction rolls back, and it answers with the first one's stored answer.

Only successful answers are stored: a refused request changed nothing, so retrying it simply
asks again.
"""

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.errors import IdempotencyKeyReused, InvalidInput
from canteen.idempotency.models import IdempotencyRecord

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class IdempotencyKey:
    user_id: int
    key: str
    fingerprint: str
    """What makes two requests "the same": method, path and canonical body."""

    @classmethod
    def of(cls, user_id: int, key: str, method: str, path: str, body: Any) -> "IdempotencyKey":
        if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            raise InvalidInput.on("Idempotency-Key", "must be 1-255 printable characters")
        canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"))
        return cls(user_id, key, hashlib.sha256(canonical.encode()).hexdigest())


class _KeyTaken(Exception):
    """A concurrent request with the same key committed first."""


async def _stored(key: IdempotencyKey) -> tuple[int, dict[str, Any]] | None:
    record = await IdempotencyRecord.get_or_none(user_id=key.user_id, key=key.key)
    if record is None:
        return None
    if record.fingerprint != key.fingerprint:
        raise IdempotencyKeyReused.on("Idempotency-Key", "was used before for another request")
    return record.status, record.body


async def once(
    key: IdempotencyKey | None,
    status: int,
    effect: Callable[[], Awaitable[dict[str, Any]]],
) -> tuple[int, dict[str, Any]]:
    """Run ``effect`` (which returns the response body) at most once per key.

    ``effect`` opens its own transaction; here it nests inside the one that also stores the
    answer, so the two commit together.
    """
    if key is None:
        return status, await effect()
    try:
        async with in_transaction():
            if (stored := await _stored(key)) is not None:
                return stored
            body = await effect()
            try:
                await IdempotencyRecord.create(
                    user_id=key.user_id,
                    key=key.key,
                    fingerprint=key.fingerprint,
                    status=status,
                    body=body,
                    created_at=clock.now(),
                )
            except IntegrityError as exc:
                raise _KeyTaken from exc
            return status, body
    except _KeyTaken:
        stored = await _stored(key)
        if stored is None:
            raise  # the collision was not on the key after all
        return stored
