"""Volunteers' points: credits for traceable work, redemptions by a manager, and reading them.

Credits are written by the work that earns them, inside its transaction (a delivered stop in
``orders.runs``, a handled alert in ``alerts.service``): this module is below both and imports
neither. Each credit names its stop or alert, whose column is unique, so a stop or an alert
credits once however often it is reported. Nothing else writes a credit: there is no use case
for points by hand.

A redemption is a conditional update (``balance = balance - n WHERE balance >= n``, its row
count checked) beside a negative entry, so two managers redeeming at the same instant cannot
take a balance below zero on PostgreSQL either; the schema's CHECK holds to it as well.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from canteen import clock
from canteen.audit import service as audit
from canteen.auth.models import User
from canteen.config import get_settings
from canteen.errors import InsufficientPoints, NotFound
from canteen.idempotency.service import IdempotencyKey, once
from canteen.pagination import Page, after_cursor, page_of
from canteen.points.models import PointsBalance, PointsEntry
from canteen.roles import Actor, Role, require

MAX_REDEEM = 100_000
"""No exchange is this large; a typo of extra zeros is refused rather than recorded."""


# --- Credits: called inside the transaction of the work that earns them ---------------------


async def _credit(user_id: int | None, points: int, **source: Any) -> bool:
    """Credit a volunteer for one stop or alert (``source``: ``kind`` and ``stop_id`` or
    ``alert_id``); False, with nothing written, when the user is no volunteer or that stop or
    alert was credited before. Runs in a savepoint, so a duplicate never aborts the caller's
    transaction (PostgreSQL would abort it on the unique key's error)."""
    if user_id is None or points <= 0:
        return False
    if not await User.filter(id=user_id, role=Role.VOLUNTEER).exists():
        return False
    try:
        async with in_transaction():
            await PointsEntry.create(volunteer_id=user_id, points=points, at=clock.now(), **source)
            await PointsBalance.bulk_create(
                [PointsBalance(volunteer_id=user_id, balance=0)], ignore_conflicts=True
            )
            await PointsBalance.filter(volunteer_id=user_id).update(balance=F("balance") + points)
    except IntegrityError:
        return False
    return True


async def credit_delivery(deliverer_id: int, stop_id: int) -> bool:
    """A delivered stop earns its run's deliverer ``CANTEEN_POINTS_DELIVERY`` points, if they
    are a volunteer (staff and the canteen's own people deliver as their work)."""
    points = get_settings().points_delivery
    return await _credit(deliverer_id, points, kind="delivery", stop_id=stop_id)


async def credit_alert(handler_id: int | None, alert_id: int) -> bool:
    """A handled alert earns its handler ``CANTEEN_POINTS_ALERT`` points, if a volunteer."""
    points = get_settings().points_alert
    return await _credit(handler_id, points, kind="alert", alert_id=alert_id)


# --- Redemptions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Redemption:
    points: int
    item: str


async def _volunteer(user_id: int) -> User:
    user = await User.get_or_none(id=user_id, role=Role.VOLUNTEER)
    if user is None:
        raise NotFound(f"No volunteer {user_id}.")
    return user


def entry_out(entry: PointsEntry, balance: int | None = None) -> dict[str, Any]:
    return {
        "id": entry.id,
        "volunteer_id": entry.volunteer_id,
        "kind": entry.kind,
        "points": entry.points,
        "stop_id": entry.stop_id,
        "alert_id": entry.alert_id,
        "item": entry.item,
        "canteen_id": entry.canteen_id,
        "at": entry.at.isoformat(),
        **({"balance": balance} if balance is not None else {}),
    }


async def redeem(
    actor: Actor, user_id: int, r: Redemption, key: IdempotencyKey | None = None
) -> dict[str, Any]:
    """Exchange a volunteer's points for ``item``: never below zero (``insufficient_points``),
    audited, once per Idempotency-Key. The answer is the entry with the balance after it."""
    require(actor, "points.redeem")
    volunteer = await _volunteer(user_id)

    async def effect() -> dict[str, Any]:
        async with in_transaction():
            taken = await PointsBalance.filter(
                volunteer_id=volunteer.id, balance__gte=r.points
            ).update(balance=F("balance") - r.points)
            if not taken:
                held = await balance_of(volunteer.id)
                raise InsufficientPoints(
                    f"{volunteer.username} holds {held} points, not {r.points}.", balance=held
                )
            entry = await PointsEntry.create(
                volunteer_id=volunteer.id,
                kind="redeem",
                points=-r.points,
                item=r.item,
                canteen_id=actor.canteen_id if actor.role == Role.MANAGER else None,
                recorded_by_id=actor.recorded_user_id,
                at=clock.now(),
            )
            after = await balance_of(volunteer.id)
            await audit.record(
                actor,
                "points.redeem",
                entry,
                before={"balance": after + r.points},
                after={"balance": after, "points": r.points, "item": r.item},
            )
            return entry_out(entry, after)

    _, body = await once(key, 201, effect)
    return body


# --- Reading --------------------------------------------------------------------------------


async def balance_of(user_id: int) -> int:
    row = await PointsBalance.get_or_none(volunteer_id=user_id)
    return row.balance if row else 0


@dataclass(frozen=True)
class Mine:
    balance: int
    earned: int
    redeemed: int
    entries: Page[PointsEntry]
    about: dict[int, dict[str, Any]]
    """Per entry id: what it was for (``diner_name``, ``date``, ``meal_type``, ``alert_kind``,
    ``canteen_name``), read in one query."""


async def _about(entries: list[PointsEntry]) -> dict[int, dict[str, Any]]:
    rows = await PointsEntry.filter(id__in=[e.id for e in entries]).values(
        "id",
        "stop__order__diner__name",
        "stop__order__local_date",
        "stop__order__meal_type",
        "alert__diner__name",
        "alert__kind",
        "alert__local_date",
        "canteen__name",
    )
    return {
        row["id"]: {
            "diner_name": row["stop__order__diner__name"] or row["alert__diner__name"],
            "date": row["stop__order__local_date"] or row["alert__local_date"],
            "meal_type": row["stop__order__meal_type"],
            "alert_kind": row["alert__kind"],
            "canteen_name": row["canteen__name"],
        }
        for row in rows
    }


async def _totals(user_ids: list[int] | None, span: tuple[datetime, datetime] | None) -> dict:
    """(volunteer, earned or redeemed) -> points, in one grouped query."""
    query = PointsEntry.all()
    if user_ids is not None:
        query = query.filter(volunteer_id__in=user_ids)
    if span is not None:
        query = query.filter(at__gte=span[0], at__lt=span[1])
    rows = (
        await query.annotate(total=Sum("points"))
        .group_by("volunteer_id", "kind")
        .values_list("volunteer_id", "kind", "total")
    )
    totals: dict[tuple[int, str], int] = {}
    for volunteer_id, kind, total in rows:
        side = "redeemed" if kind == "redeem" else "earned"
        totals[volunteer_id, side] = totals.get((volunteer_id, side), 0) + abs(int(total or 0))
    return totals


async def mine(actor: Actor, *, limit: int = 50, cursor: str | None = None) -> Mine:
    """The volunteer's balance, what they earned and redeemed in all, and their entries newest
    first."""
    require(actor, "points.mine")
    query = PointsEntry.filter(volunteer_id=actor.user_id)
    page = await page_of(after_cursor(query, cursor), limit)
    totals = await _totals([actor.user_id], None)
    return Mine(
        balance=await balance_of(actor.user_id),
        earned=totals.get((actor.user_id, "earned"), 0),
        redeemed=totals.get((actor.user_id, "redeemed"), 0),
        entries=page,
        about=await _about(page.items),
    )


@dataclass(frozen=True)
class VolunteerPoints:
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


def local_span(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants from ``start``'s midnight to the midnight after ``end``, in the
    service's time zone. In UTC, not Shanghai's offset: SQLite compares the stored instants
    as text, and ``+08:00`` beside ``+00:00`` would count an entry made before 08:00 on the
    1st in the month before."""
    tz = get_settings().tz
    first = datetime.combine(start, time(0), tzinfo=tz)
    after = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz)
    return first.astimezone(UTC), after.astimezone(UTC)


async def table(actor: Actor, start: date, end: date) -> list[VolunteerPoints]:
    """Every volunteer with what they earned and redeemed from ``start`` to ``end`` (local
    days, both included) and their balance now; three queries."""
    require(actor, "points.read")
    users = await User.filter(role=Role.VOLUNTEER).order_by("username")
    totals = await _totals(None, local_span(start, end))
    balances = dict(await PointsBalance.all().values_list("volunteer_id", "balance"))
    return [
        VolunteerPoints(
            user_id=u.id,
            username=u.username,
            display_name=u.display_name,
            active=u.active,
            earned=totals.get((u.id, "earned"), 0),
            redeemed=totals.get((u.id, "redeemed"), 0),
            balance=int(balances.get(u.id, 0)),
        )
        for u in users
    ]
