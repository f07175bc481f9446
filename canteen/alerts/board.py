"""The alert board (发现—上报—处置—回访): the office's view of every case, and a month's figures.

``board`` reads, for the actor's reach (the office: all; a manager: their canteen) and the
district, street, canteen and kind of alert asked for:

1. the cases: every open alert, whatever its day, and every alert of the month, each with its
   four steps (who and when), minutes since it was found, and ``overdue`` when it was not (or
   has not yet been) handled within ``alert_handle_minutes`` of being found. Open cases come
   first, the overdue ones first of all, each group longest-waiting first;
2. where they are: open and overdue cases counted by street and canteen;
3. the month's figures (``month_figures``, pure): found, handled, handled in time, followed
   up; and timeliness against the two goals: the family and watchers told within
   ``TOLD_GOAL_SECONDS`` of the finding (the first message to a person delivered), and
   ``HANDLED_GOAL_PERCENT`` of cases handled within ``alert_handle_minutes``.

Four queries whatever the number of cases; the cases listed are at most ``MAX_CASES`` (the
newest), the figures count every case of the month.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.expressions import Q

from canteen import clock
from canteen.alerts.models import Alert, Notification
from canteen.alerts.service import follow_up_due_on
from canteen.config import get_settings
from canteen.roles import Actor, Role, require

TOLD_GOAL_SECONDS = 120
"""Goal: the family and watchers hear of a case within 2 minutes of its finding."""
HANDLED_GOAL_PERCENT = 95
"""Goal: 95% of a month's cases handled within ``alert_handle_minutes`` (2 hours)."""
MAX_CASES = 500


@dataclass(frozen=True)
class Timeline:
    """When one case passed each step; ``told_at`` is when the first message to a person
    (family or watcher) was delivered, None if none was (yet), ``people`` how many to tell."""

    found_at: datetime
    reported_at: datetime | None
    told_at: datetime | None
    people: int
    handled_at: datetime | None
    followed_up_at: datetime | None


@dataclass(frozen=True)
class MonthFigures:
    month: str
    found: int
    handled: int
    handled_in_time: int
    """Handled within ``handle_minutes`` of being found."""
    followed_up: int
    to_tell: int
    """Cases with someone to tell (a linked family user or a watcher)."""
    told_in_time: int
    """Of those, told within ``TOLD_GOAL_SECONDS`` of the finding."""
    handle_minutes: int

    @property
    def handled_in_time_percent(self) -> float | None:
        return 100 * self.handled_in_time / self.found if self.found else None

    @property
    def told_in_time_percent(self) -> float | None:
        return 100 * self.told_in_time / self.to_tell if self.to_tell else None

    @property
    def handled_goal_met(self) -> bool | None:
        percent = self.handled_in_time_percent
        return None if percent is None else percent >= HANDLED_GOAL_PERCENT

    @property
    def told_goal_met(self) -> bool | None:
        """Every case with someone to tell told within the goal."""
        return None if not self.to_tell else self.told_in_time == self.to_tell


def month_figures(month: str, cases: list[Timeline], handle_minutes: int) -> MonthFigures:
    """The figures of a month's cases. Pure."""
    window = timedelta(minutes=handle_minutes)
    told_goal = timedelta(seconds=TOLD_GOAL_SECONDS)
    return MonthFigures(
        month=month,
        found=len(cases),
        handled=sum(c.handled_at is not None for c in cases),
        handled_in_time=sum(
            c.handled_at is not None and c.handled_at - c.found_at <= window for c in cases
        ),
        followed_up=sum(c.followed_up_at is not None for c in cases),
        to_tell=sum(c.people > 0 for c in cases),
        told_in_time=sum(
            c.people > 0 and c.told_at is not None and c.told_at - c.found_at <= told_goal
            for c in cases
        ),
        handle_minutes=handle_minutes,
    )


@dataclass(frozen=True)
class Case:
    alert: Alert
    """With ``diner``, ``canteen``, ``handled_by`` and ``followed_up_by`` loaded."""
    minutes_since_found: int
    minutes_to_handle: int | None
    overdue: bool
    told_at: datetime | None
    people: int
    follow_up_due_on: date | None


@dataclass(frozen=True)
class Place:
    district: str
    street: str
    canteen_id: int | None
    canteen_name: str
    open: int
    overdue: int


@dataclass(frozen=True)
class Board:
    cases: list[Case]
    places: list[Place]
    month: MonthFigures


def _month_span(month: str) -> tuple[date, date]:
    year, number = (int(part) for part in month.split("-"))
    start = date(year, number, 1)
    end = date(year + (number == 12), number % 12 + 1, 1)
    return start, end


def _order(case: Case) -> tuple[int, float]:
    status = case.alert.status
    group = (0 if case.overdue else 1) if status == "open" else 2 if status == "handled" else 3
    found = case.alert.found_at.timestamp()
    return group, found if status == "open" else -found


async def board(
    actor: Actor,
    *,
    district: str | None = None,
    street: str | None = None,
    canteen_id: int | None = None,
    kind: str | None = None,
    month: str | None = None,
) -> Board:
    """The board for the actor's reach and the place asked for (see the module docstring)."""
    require(actor, "alerts.board")
    settings = get_settings()
    now = clock.now()
    month = month or now.astimezone(settings.tz).strftime("%Y-%m")
    start, end = _month_span(month)
    where = Q()
    if actor.role == Role.MANAGER:
        where &= Q(canteen_id=actor.canteen_id)
    if district:
        where &= Q(diner__district=district)
    if street:
        where &= Q(diner__street=street)
    if canteen_id is not None:
        where &= Q(canteen_id=canteen_id)
    if kind:
        where &= Q(kind=kind)
    in_month = Q(local_date__gte=start, local_date__lt=end)
    alerts = (
        await Alert.filter(where & (Q(status="open") | in_month))
        .select_related("diner", "canteen", "handled_by", "followed_up_by")
        .order_by("-found_at", "-id")
        .limit(MAX_CASES)
    )
    month_rows = await Alert.filter(where & in_month).values_list(
        "id", "found_at", "reported_at", "handled_at", "followed_up_at"
    )
    told: dict[int, datetime] = {}
    people: dict[int, set[int]] = {}
    for alert_id, recipient_id, sent_at in await Notification.filter(
        alert_id__in={a.id for a in alerts} | {row[0] for row in month_rows},
        recipient_id__isnull=False,
    ).values_list("alert_id", "recipient_id", "sent_at"):
        people.setdefault(alert_id, set()).add(recipient_id)
        if sent_at is not None and (alert_id not in told or sent_at < told[alert_id]):
            told[alert_id] = sent_at
    window = settings.alert_handle_minutes
    cases = []
    for alert in alerts:
        waited = int((now - alert.found_at).total_seconds() // 60)
        to_handle = (
            int((alert.handled_at - alert.found_at).total_seconds() // 60)
            if alert.handled_at
            else None
        )
        cases.append(
            Case(
                alert=alert,
                minutes_since_found=waited,
                minutes_to_handle=to_handle,
                overdue=(to_handle if to_handle is not None else waited) > window,
                told_at=told.get(alert.id),
                people=len(people.get(alert.id, ())),
                follow_up_due_on=follow_up_due_on(alert),
            )
        )
    cases.sort(key=_order)
    return Board(
        cases=cases,
        places=_places(cases),
        month=month_figures(
            month,
            [
                Timeline(found, reported, told.get(id_), len(people.get(id_, ())), handled, back)
                for id_, found, reported, handled, back in month_rows
            ],
            window,
        ),
    )


def _places(cases: list[Case]) -> list[Place]:
    """Open and overdue cases by street and canteen, the most overdue places first."""
    counts: dict[tuple[str, str, int | None, str], list[int]] = {}
    for case in cases:
        if case.alert.status != "open":
            continue
        diner, canteen = case.alert.diner, case.alert.canteen
        key = (
            diner.district,
            diner.street,
            canteen.id if canteen else None,
            canteen.name if canteen else "",
        )
        tally = counts.setdefault(key, [0, 0])
        tally[0] += 1
        tally[1] += case.overdue
    places = [Place(*key, open=n, overdue=late) for key, (n, late) in counts.items()]
    return sorted(places, key=lambda p: (-p.overdue, -p.open, p.district, p.street))
