import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from canteen.schemas import Id, ListQuery, RequestModel

AlertKind = Literal["low_balance", "missed_meal", "not_home"]
AlertStatus = Literal["open", "handled", "followed_up"]


class AlertQuery(ListQuery):
    status: AlertStatus | None = None
    kind: AlertKind | None = None
    diner_id: Id | None = None


class NoteIn(RequestModel):
    note: str = Field(min_length=1, max_length=500)
    """What was done (处置), or what the check back found (回访)."""


class AlertOut(BaseModel):
    id: int
    kind: AlertKind
    diner_id: int
    diner_name: str
    canteen_id: int | None
    canteen_name: str | None
    local_date: dt.date
    status: AlertStatus
    detail: dict[str, Any]
    """``{"balance_fen", "low_balance_fen"}``, ``{"days_eaten", "weekdays", "since"}``, or
    ``{"order_id", "run_id", "stop_id", "meal_type", "note"}`` (``not_home``)."""
    found_at: dt.datetime
    reported_at: dt.datetime | None
    handled_at: dt.datetime | None
    handled_by: str | None
    note: str
    followed_up_at: dt.datetime | None
    followed_up_by: str | None
    follow_up_note: str
