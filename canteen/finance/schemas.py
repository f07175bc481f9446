import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from canteen.schemas import Day, Fen, ListQuery, RequestModel


class FinanceIn(RequestModel):
    """One cost paid or grant received; ``category`` depends on ``kind`` (see API.md)."""

    date: Day
    kind: Literal["cost", "grant"]
    category: str = Field(min_length=1, max_length=32)
    amount_fen: Fen
    note: str = Field("", max_length=200)


class FinanceOut(BaseModel):
    id: int
    canteen_id: int
    date: dt.date
    kind: str
    category: str
    amount_fen: int
    note: str
    created_by: int | None
    created_at: dt.datetime
    reverses_id: int | None = None
    """Set on a reversing entry: the entry it undoes (its amount is then negative)."""


class ReversalIn(RequestModel):
    """Why the entry is undone (a cost keyed twice, a grant booked to the wrong canteen)."""

    reason: str = Field(min_length=1, max_length=200)


class FinanceQuery(ListQuery):
    from_: Day | None = Field(None, alias="from")
    to: Day | None = None

    @model_validator(mode="after")
    def _ordered(self) -> "FinanceQuery":
        if self.from_ and self.to and self.from_ > self.to:
            raise ValueError("'from' is after 'to'")
        return self
