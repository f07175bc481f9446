"""What a family member sees of their elders: balance, today's meals, the last 30 days.

Read-only, for the family portal (``canteen/web/family.py``). A family user sees only the
diners linked to them; anyone else's diner is 404. Each page is a handful of queries however
many elders or meals it shows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from canteen import clock
from canteen.accounts.models import Account, account_of
from canteen.canteens.models import Canteen
from canteen.checkout.models import Meal
from canteen.config import get_settings
from canteen.diners import service as diners
from canteen.diners.models import Diner
from canteen.roles import Actor, require

HISTORY_DAYS = 30


@dataclass(frozen=True)
class MealRow:
    at: datetime
    local_date: date
    time: str
    """``HH:MM`` in the canteen's time zone."""
    meal_type: str
    canteen: str
    price_fen: int
    subsidy_fen: int
    """What the subsidies took off the price."""
    pay_fen: int
    """What the elder paid (from the account, or in cash)."""
    payment: str
    voided: bool


@dataclass
class Elder:
    diner: Diner
    account: Account
    today: date
    """In the elder's home canteen's time zone."""
    meals_today: list[MealRow] = field(default_factory=list)
    history: list[MealRow] = field(default_factory=list)

    @property
    def ate_today(self) -> bool:
        return any(not meal.voided for meal in self.meals_today)

    @property
    def balance_low(self) -> bool:
        return self.account.balance_fen < self.account.low_balance_fen


async def _today_for(elders: list[Diner]) -> dict[int, date]:
    """Each elder's today, in their home canteen's time zone (the service's default without)."""
    canteen_ids = {d.home_canteen_id for d in elders if d.home_canteen_id}
    zones = dict(await Canteen.filter(id__in=canteen_ids).values_list("id", "timezone"))
    now, default = clock.now(), get_settings().tz
    return {
        d.id: now.astimezone(
            ZoneInfo(zones[d.home_canteen_id]) if d.home_canteen_id in zones else default
        ).date()
        for d in elders
    }


async def _meals(diner_ids: list[int], since: date) -> dict[int, list[MealRow]]:
    """Every meal of these diners from ``since`` on, newest first, by diner: two queries."""
    meals = await Meal.filter(diner_id__in=diner_ids, local_date__gte=since).order_by("-at")
    canteens = {
        canteen_id: (name, ZoneInfo(zone))
        for canteen_id, name, zone in await Canteen.filter(
            id__in={m.canteen_id for m in meals}
        ).values_list("id", "name", "timezone")
    }
    rows: dict[int, list[MealRow]] = {diner_id: [] for diner_id in diner_ids}
    for m in meals:
        canteen, zone = canteens[m.canteen_id]
        rows[m.diner_id].append(
            MealRow(
                at=m.at,
                local_date=m.local_date,
                time=m.at.astimezone(zone).strftime("%H:%M"),
                meal_type=m.meal_type,
                canteen=canteen,
                price_fen=m.price_fen,
                subsidy_fen=m.subsidy_fen,
                pay_fen=m.pay_fen,
                payment=m.payment,
                voided=m.voided_at is not None,
            )
        )
    return rows


async def overview(actor: Actor) -> list[Elder]:
    """The family user's elders with their balance and today's meals."""
    elders = await diners.my_diners(actor)
    if not elders:
        return []
    today = await _today_for(elders)
    meals = await _meals([d.id for d in elders], min(today.values()))
    return [
        Elder(
            diner=d,
            account=account_of(d),
            today=today[d.id],
            meals_today=[m for m in meals[d.id] if m.local_date == today[d.id]],
        )
        for d in elders
    ]


async def elder(actor: Actor, diner_id: int) -> Elder:
    """One elder in the actor's reach, with the last ``HISTORY_DAYS`` days of meals."""
    require(actor, "accounts.read")
    diner = await diners.get_diner(actor, diner_id)
    today = (await _today_for([diner]))[diner.id]
    meals = (await _meals([diner.id], today - timedelta(days=HISTORY_DAYS - 1)))[diner.id]
    return Elder(
        diner=diner,
        account=account_of(diner),
        today=today,
        meals_today=[m for m in meals if m.local_date == today],
        history=meals,
    )
