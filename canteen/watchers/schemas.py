import datetime as dt
from typing import Literal

from pydantic import BaseModel

from canteen.alerts.schemas import AlertOut
from canteen.schemas import Id, RequestModel

Relation = Literal["building_head", "grid_worker", "volunteer", "neighbour"]
"""楼栋长, 网格员, 红马甲 volunteer, 邻居."""


class WatcherIn(RequestModel):
    user_id: Id
    """A user with role ``volunteer`` or ``staff``."""
    relation: Relation


class WatcherOut(BaseModel):
    diner_id: int
    user_id: int
    username: str
    display_name: str
    phone: str
    relation: Relation
    created_at: dt.datetime


class WatchedOut(BaseModel):
    """An elder as their watcher sees them."""

    diner_id: int
    name: str
    address: str
    phone: str
    relation: Relation
    today: dt.date
    """The elder's today, in their home canteen's time zone."""
    ate_today: bool
    meals_today: list[str]
    """Meal types eaten today (``lunch``, ...), not voided."""
    open_alerts: list[AlertOut]
    """Open, or handled with the follow-up visit (回访) still to make; oldest first."""
