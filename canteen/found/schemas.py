"""The HTTP shapes of the found-elder page's API: the family's switch and the thread."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, StrictBool

from canteen.found.rules import MAX_MESSAGE
from canteen.schemas import RequestModel


class FoundPageIn(RequestModel):
    enabled: StrictBool
    """``false``: the card's QR opens a neutral page and no report can be made; ``true``: the
    found-elder page again."""


class FoundPageOut(BaseModel):
    diner_id: int
    enabled: bool
    changed_at: dt.datetime | None
    """When it was last switched; null when never (it is on)."""


class MessageIn(RequestModel):
    body: str = Field(min_length=1, max_length=MAX_MESSAGE)
    """Plain text; shown escaped, never as HTML."""


class MessageOut(BaseModel):
    id: int
    author: Literal["finder", "family"]
    body: str
    at: dt.datetime


class ThreadOut(BaseModel):
    """One finder's report and its messages. Neither side's number is in it."""

    report_id: int
    alert_id: int
    at: dt.datetime
    where: str
    lat: float | None
    lon: float | None
    messages: list[MessageOut]
