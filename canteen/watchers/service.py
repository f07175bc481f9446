"""Linking an elder to the people who watch over them, and what a watcher sees of their elders.

A watcher is an active user with role ``volunteer`` or ``staff``. The office (admin, staff)
adds and removes watchers (each audited); a watcher reads, through ``GET /me/watched``, only
the elders they watch: name, address, phone, whether they have eaten today, and the cases
still open about them (open, or handled with the follow-up visit still to make).
"""

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.alerts.models import Alert
from canteen.audit import service as audit
from canteen.auth import service as auth
from canteen.auth.models import User
from canteen.canteens.models import Canteen
from canteen.checkout.models import Meal
from canteen.columns import values_of
from canteen.config import get_settings
from canteen.diners.models import Diner
from canteen.errors import AlreadyWatching, InvalidInput, NotAWatcher, NotFound
from canteen.roles import Actor, require
from canteen.watchers.models import RELATIONS, WATCHER_ROLES, Watcher

OPEN_CASE = ("open", "handled")
"""A case is still open for its watchers until it is followed up (回访)."""


async def _diner(diner_id: int) -> Diner:
    """The elder; watchers are the office's to manage, and the office reaches every elder."""
    diner = await Diner.get_or_none(id=diner_id)
    if diner is None:
        raise NotFound(f"No diner {diner_id}.")
    return diner


async def add_watcher(actor: Actor, diner_id: int, user_id: int, relation: str) -> Watcher:
    """Make a volunteer or staff user a watcher of the elder (``watcher.user`` loaded)."""
    require(actor, "watchers.manage")
    if relation not in RELATIONS:
        raise InvalidInput.on("relation", f"one of {', '.join(RELATIONS)}")
    diner = await _diner(diner_id)
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise InvalidInput.on("user_id", f"no user {user_id}")
    if user.role not in WATCHER_ROLES or not user.active:
        state = user.role if user.active else f"disabled {user.role}"
        raise NotAWatcher.on(
            "user_id", f"{user.username} is a {state}: a watcher is an active volunteer or staff"
        )
    try:
        async with in_transaction():
            watcher = await Watcher.create(
                diner_id=diner.id, user_id=user.id, relation=relation, created_at=clock.now()
            )
            after = {"user_id": user.id, "username": user.username, "relation": relation}
            await audit.record(actor, "diner.add_watcher", diner, after=after)
    except IntegrityError as exc:
        raise AlreadyWatching(f"{user.username} already watches diner {diner_id}.") from exc
    watcher.user = user
    return watcher


async def candidates() -> list[User]:
    """The users who may watch over an elder: active volunteers and staff, by username."""
    return await User.filter(role__in=WATCHER_ROLES, active=True).order_by("username")


async def watchers_of(actor: Actor, diner_id: int) -> list[Watcher]:
    """The elder's watchers (``watcher.user`` loaded), first added first."""
    require(actor, "watchers.read")
    await _diner(diner_id)
    return await Watcher.filter(diner_id=diner_id).order_by("id").select_related("user")


async def remove_watcher(actor: Actor, diner_id: int, user_id: int) -> None:
    """Stop a user watching the elder: from now on its alerts neither reach them nor are theirs
    to handle. Audited with the link that was removed."""
    require(actor, "watchers.manage")
    diner = await _diner(diner_id)
    async with in_transaction():
        watcher = await Watcher.get_or_none(diner_id=diner_id, user_id=user_id).select_related(
            "user"
        )
        if watcher is None:
            raise NotFound(f"User {user_id} does not watch diner {diner_id}.")
        await watcher.delete()
        before = {"user_id": user_id, "username": watcher.user.username}
        await audit.record(
            actor, "diner.remove_watcher", diner, before={**before, "relation": watcher.relation}
        )


async def watcher_users(diner_id: int) -> list[Actor]:
    """The elder's active watchers as actors, first added first (who acts on a case)."""
    links = await Watcher.filter(diner_id=diner_id, user__active=True).order_by("id")
    users = {u.id: u for u in await User.filter(id__in=[w.user_id for w in links])}
    return [auth.actor_of(users[w.user_id]) for w in links]


async def watched_ids(user_id: int) -> list[int]:
    """The ids of the elders a user watches: the reach of their alerts."""
    return await values_of(Watcher.filter(user_id=user_id), "diner_id")


@dataclass
class Watched:
    """One elder as their watcher sees them."""

    diner: Diner
    relation: str
    today: date
    """In the elder's home canteen's time zone."""
    meals_today: list[str] = field(default_factory=list)
    """The meal types eaten today (not voided), in the order eaten."""
    cases: list[Alert] = field(default_factory=list)
    """Open, or handled and awaiting the follow-up visit; oldest first."""

    @property
    def ate_today(self) -> bool:
        return bool(self.meals_today)


async def my_watched(actor: Actor) -> list[Watched]:
    """The elders the actor watches, first linked first: four queries however many."""
    require(actor, "me.watched")
    links = await Watcher.filter(user_id=actor.user_id).order_by("id").select_related("diner")
    if not links:
        return []
    ids = [link.diner_id for link in links]
    zones = dict(
        await Canteen.filter(id__in={link.diner.home_canteen_id for link in links}).values_list(
            "id", "timezone"
        )
    )
    now, default = clock.now(), get_settings().tz
    today = {
        link.diner_id: now.astimezone(
            ZoneInfo(zones[link.diner.home_canteen_id])
            if link.diner.home_canteen_id in zones
            else default
        ).date()
        for link in links
    }
    eaten: dict[int, list[str]] = {}
    for diner_id, day, meal_type in (
        await Meal.filter(
            diner_id__in=ids, local_date__in=set(today.values()), voided_at__isnull=True
        )
        .order_by("at")
        .values_list("diner_id", "local_date", "meal_type")
    ):
        if today[diner_id] == day:
            eaten.setdefault(diner_id, []).append(meal_type)
    cases: dict[int, list[Alert]] = {}
    for alert in (
        await Alert.filter(diner_id__in=ids, status__in=OPEN_CASE)
        .order_by("found_at", "id")
        .select_related("diner", "canteen", "handled_by", "followed_up_by")
    ):
        cases.setdefault(alert.diner_id, []).append(alert)
    return [
        Watched(
            diner=link.diner,
            relation=link.relation,
            today=today[link.diner_id],
            meals_today=eaten.get(link.diner_id, []),
            cases=cases.get(link.diner_id, []),
        )
        for link in links
    ]
