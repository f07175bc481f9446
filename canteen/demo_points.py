"""The demo's volunteers' points (issue 16), after every other step of the demo.

Nothing here credits a point: the delivery run the demo walked (``demo_orders``, through
``orders.runs.record_outcome``) and any alert a volunteer handled earned them, in their own
transactions, as real ones do. This step only records one exchange, as a manager at a canteen
other than the run's would: the volunteer who earned the most gives some points for a towel,
so the office's month table (``/staff/points``) shows points both earned and exchanged.
"""

from canteen.auth.models import User
from canteen.points import service as points
from canteen.points.models import PointsEntry
from canteen.roles import Actor, Role

EXCHANGE = points.Redemption(points=10, item="毛巾一条")
"""A small exchange, so most of what was earned stays to be seen on the volunteer's page."""


async def fill(actors: dict[str, Actor]) -> tuple[str, ...]:
    """One exchange by the last canteen's manager, if a volunteer holds enough; the summary."""
    volunteers = await User.filter(role=Role.VOLUNTEER).order_by("username")
    held = {v.username: await points.balance_of(v.id) for v in volunteers}
    if not held or max(held.values()) < EXCHANGE.points:
        return ("  volunteers' points: none earned yet (no delivered stop, no handled alert)",)
    richest = max(held, key=lambda name: (held[name], name))
    managers = sorted(
        (a for a in actors.values() if a.role == Role.MANAGER), key=lambda a: a.username
    )
    manager = managers[-1]
    user = next(v for v in volunteers if v.username == richest)
    await points.redeem(manager, user.id, EXCHANGE)
    stops = await PointsEntry.filter(volunteer_id=user.id, kind="delivery").count()
    alerts = await PointsEntry.filter(volunteer_id=user.id, kind="alert").count()
    return (
        f"  volunteers' points: {richest} earned {held[richest]} for {stops} meals delivered"
        f" and {alerts} alerts handled, and exchanged {EXCHANGE.points} for a towel with"
        f" {manager.username}; see /points as {richest}, /staff/points as the office",
    )
