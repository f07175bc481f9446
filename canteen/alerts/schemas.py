import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from canteen.schemas import Id, ListQuery, Month, RequestModel

AlertKind = Literal["low_balance", "missed_meal", "not_home", "found_wandering"]
AlertStatus = Literal["open", "handled", "followed_up"]


class AlertQuery(ListQuery):
    status: AlertStatus | None = None
    kind: AlertKind | None = None
    diner_id: Id | None = None


class NoteIn(RequestModel):
    note: str = Field(min_length=1, max_length=500)
    """What was done (处置), or what the check back found (回访)."""


HandleOutcome = Literal["called", "visited_well", "hospital", "family_reached"]
"""Phoned the elder, visited and all was well, took them to hospital, reached the family."""


class HandleIn(NoteIn):
    outcome: HandleOutcome | None = None
    """How it was handled (处置), as a watcher's phone offers it; the note says the rest."""


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
    outcome: HandleOutcome | None
    note: str
    follow_up_due_on: dt.date | None
    """The day after handling: the follow-up visit (回访) is due from then until it is done."""
    followed_up_at: dt.datetime | None
    followed_up_by: str | None
    follow_up_note: str


class BoardQuery(BaseModel):
    district: str | None = Field(default=None, max_length=64)
    street: str | None = Field(default=None, max_length=64)
    canteen_id: Id | None = None
    kind: AlertKind | None = None
    month: Month | None = None
    """``YYYY-MM``; this month by default."""


class BoardStep(BaseModel):
    step: Literal["found", "reported", "handled", "followed_up"]
    """发现, 上报, 处置, 回访."""
    at: dt.datetime | None
    by: str | None
    """Who acted: the handler's or visitor's username (none for the finding and the report,
    which the system makes)."""
    note: str = ""
    told: int | None = None
    """For ``reported``: how many people (family and watchers) were sent the alert."""
    told_at: dt.datetime | None = None
    """For ``reported``: when the first of them was told (a message delivered)."""


class BoardCase(AlertOut):
    district: str
    street: str
    minutes_since_found: int
    minutes_to_handle: int | None
    overdue: bool
    """Not handled within ``CANTEEN_ALERT_HANDLE_MINUTES`` of being found (or not yet, and
    that long has passed)."""
    steps: list[BoardStep]


class BoardPlace(BaseModel):
    district: str
    street: str
    canteen_id: int | None
    canteen_name: str
    open: int
    overdue: int


class BoardMonth(BaseModel):
    month: str
    found: int
    handled: int
    handled_in_time: int
    followed_up: int
    handle_minutes: int
    handled_in_time_percent: float | None
    handled_goal_percent: int
    handled_goal_met: bool | None
    to_tell: int
    """Cases with someone (family or watchers) to tell."""
    told_in_time: int
    told_goal_seconds: int
    told_in_time_percent: float | None
    told_goal_met: bool | None


class BoardOut(BaseModel):
    cases: list[BoardCase]
    places: list[BoardPlace]
    month: BoardMonth
