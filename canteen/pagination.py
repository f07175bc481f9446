"""Keyset pagination: ``?limit=&cursor=`` in, ``{"items", "next_cursor"}`` out, newest first.

A cursor is the opaque id of the last item served; lists keep a stable order (by id,
descending) however many rows are added meanwhile.
"""

import base64
from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from canteen.errors import InvalidInput

T = TypeVar("T", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_ID = 2**31 - 1
"""The largest id an INT column holds; a forged cursor beyond it is refused, not sent to the
database (PostgreSQL would fail on it). Ledger ids are BIGINT but will not pass this for
centuries at a district's pace (about 10 million meals a year)."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, value = text.partition(":")
        if prefix != "id" or not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
            raise ValueError(cursor)
        return int(value)
    except ValueError as exc:
        raise InvalidInput.on("cursor", "not a cursor this service gave out") from exc


def after_cursor(query: QuerySet[T], cursor: str | None) -> QuerySet[T]:
    """Restrict ``query`` to the items after ``cursor``, newest first."""
    if cursor is not None:
        query = query.filter(id__lt=_decode(cursor))
    return query.order_by("-id")


async def page_of(query: QuerySet[T], limit: int) -> Page[T]:
    """Fetch one page (one row more than asked, to know whether another page follows)."""
    rows = await query.limit(limit + 1)
    if len(rows) > limit:
        return Page(rows[:limit], _encode(rows[limit - 1].pk))
    return Page(rows, None)
