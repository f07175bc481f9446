import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from canteen.schemas import Day, RequestModel

EntryKind = Literal["delivery", "alert", "redeem"]


class RedeemIn(RequestModel):
    points: int = Field(ge=1, le=100_000)
    """How many points the volunteer exchanges."""
    item: str = Field(min_length=1, max_length=100)
    """What they get for them (``大米 5 斤``, ``理发券``)."""


class EntryOut(BaseModel):
    id: int
    volunteer_id: int
    kind: EntryKind
    points: int
    """Signed: earned is positive, redeemed negative."""
    stop_id: int | None
    """The delivered stop that earned a ``delivery`` credit."""
    alert_id: int | None
    """The handled alert that earned an ``alert`` credit."""
    item: str
    """What a redemption was exchanged for."""
    canteen_id: int | None
    """Where a redemption was made."""
    at: dt.datetime


class RedeemOut(EntryOut):
    balance: int
    """The volunteer's points after this redemption."""


class MineEntryOut(EntryOut):
    diner_name: str | None
    """Whom the stop or alert was about."""
    date: dt.date | None
    """The day of the stop or alert."""
    meal_type: str | None
    alert_kind: str | None


class MineOut(BaseModel):
    balance: int
    earned: int
    """Earned in all."""
    redeemed: int
    """Redeemed in all (a positive number)."""
    items: list[MineEntryOut]
    """The entries, newest first."""
    next_cursor: str | None


class SpanQuery(BaseModel):
    from_: Day | None = Field(None, alias="from")
    """The first day counted (default: the first of this month)."""
    to: Day | None = None
    """The last day counted, included (default: today)."""

    @model_validator(mode="after")
    def _ordered(self) -> "SpanQuery":
        if self.from_ and self.to and self.from_ > self.to:
            raise ValueError("'from' is after 'to'")
        return self


class VolunteerPointsOut(BaseModel):
    user_id: int
    username: str
    display_name: str
    active: bool
    earned: int
    """Earned in the span."""
    redeemed: int
    """Redeemed in the span (a positive number)."""
    balance: int
    """Held now."""


class TableOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: dt.date = Field(alias="from")
    to: dt.date
    items: list[VolunteerPointsOut]
