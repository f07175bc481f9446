"""Answer a repeated request with the first answer, with no second effect.

The client makes the key and retries with it (TigerBeetle's "reliable submission"). The
record of the answer is written in the same transaction as the effect, so either both exist
or neither does. Two requests with one key racing each other: the second one's insert of the
record collides with the first's (on PostgreSQL it waits for the first to commit), its whole
transaction rolls back, and it answers with the first one's stored answer.

Only successful answers are stored: a refused request changed nothing, so retrying it simply
asks again.

The look-up and the record are hand-written statements (``canteen.rawsql``): every sale
makes both, and the ORM building them cost about a tenth of a sale's CPU.
"""

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock, rawsql
from canteen.errors import IdempotencyKeyReused, InvalidInput
from canteen.idempotency.models import IdempotencyRecord

MAX_KEY_LENGTH = 255
_ANSWER = (
    'SELECT "fingerprint", "status", "body" FROM "idempotency_record"'
    ' WHERE "user_id" = :user AND "key" = :key'
)


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


class AnsweredMeanwhile(Exception):
    """A concurrent request with the same key committed its answer first; this one's
    transaction must roll back, and the caller answers with the stored answer instead."""


async def answer_of(key: IdempotencyKey) -> tuple[int, dict[str, Any]] | None:
    """The answer stored for this key (status, body), or None when it is new.

    ``idempotency_key_reused`` when the key was used for another request.
    """
    conn = IdempotencyRecord._meta.db
    rows = await rawsql.fetch(conn, _ANSWER, {"user": key.user_id, "key": key.key})
    if not rows:
        return None
    fingerprint, status, body = rows[0]
    if fingerprint != key.fingerprint:
        raise IdempotencyKeyReused.on("Idempotency-Key", "was used before for another request")
    # The JSON column as the ORM reads it (text on SQLite, and from asyncpg too).
    stored = IdempotencyRecord._meta.fields_map["body"].to_python_value(body)
    return int(status), stored


async def remember(key: IdempotencyKey, status: int, body: dict[str, Any]) -> None:
    """Store the answer, inside the transaction of the effect it answers for.

    ``AnsweredMeanwhile`` when a concurrent request with the key stored its answer first (on
    PostgreSQL the insert waits for that one to commit, then collides).
    """
    try:
        await rawsql.execute(IdempotencyRecord._meta.db, *recording(key, status, body))
    except IntegrityError as exc:
        raise AnsweredMeanwhile from exc


def recording(key: IdempotencyKey, status: int, body: dict[str, Any]) -> rawsql.Statement:
    """The insert that stores the answer, for a caller that runs it with its own last writes
    (``rawsql.execute_together``); its ``IntegrityError`` means ``AnsweredMeanwhile``."""
    return rawsql.inserting(
        IdempotencyRecord,
        {
            "user_id": key.user_id,
            "key": key.key,
            "fingerprint": key.fingerprint,
            "status": status,
            "body": body,
            "created_at": clock.now(),
        },
    )


async def replayed(key: IdempotencyKey) -> tuple[int, dict[str, Any]]:
    """The answer a concurrent request stored first (see ``AnsweredMeanwhile``)."""
    stored = await answer_of(key)
    if stored is None:
        raise RuntimeError("a key's insert collided, yet no answer is stored for it")
    return stored


async def once(
    key: IdempotencyKey | None,
    status: int,
    effect: Callable[[], Awaitable[dict[str, Any]]],
) -> tuple[int, dict[str, Any]]:
    """Run ``effect`` (which returns the response body) at most once per key.

    The stored answer is looked for first, outside any transaction; ``effect`` and the
    storing of its answer then run in one transaction, so they commit together.
    """
    if key is None:
        return status, await effect()
    if (stored := await answer_of(key)) is not None:
        return stored
    try:
        async with in_transaction():
            body = await effect()
            await remember(key, status, body)
            return status, body
    except AnsweredMeanwhile:
        return await replayed(key)
