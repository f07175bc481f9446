"""The demo's watchers of elders who live alone, and cases in each state (issue 16), made by the
services.

Called once from ``canteen.demo.fill`` after the meals, orders and runs. It adds the people who
watch (two building heads and a second red-vest volunteer, with volunteer users; a grid worker,
with a staff user), their passwords appended to ``var/demo-passwords.txt`` in the same table,
and links every elder living alone (独居) to a building head, the grid worker to half of them
and a volunteer to the rest.

Then the last three weekdays before today are checked as the server checks each day after lunch
(``detect.missed_meals`` at the end of each lunch, the clock set there), so the regulars who did
not come on those days are genuine missed-meal cases, told to the family and watchers through
the outbox half a minute later. Every case found before today (those, and the low balances the
sales raised) is handled by the elder's first watcher, or else by the home canteen's manager,
at a moment set by the clock (within the hour; every third one after two and a half hours,
late), so the board shows every state:

- found before the last two weekdays: followed up (回访) the next morning, closed;
- found on the last two weekdays: handled, the follow-up due;
- the last weekday's missed lunches: one case per canteen left open, overdue on the board.

Today's cases (the story's missed lunch of family1's father, the run's elder not at home) stay
open.
"""

import secrets
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from canteen import clock
from canteen.alerts import detect, outbox
from canteen.alerts import service as alerts
from canteen.alerts.models import Alert
from canteen.auth import service as auth
from canteen.canteens.models import Canteen
from canteen.config import Settings
from canteen.diners.models import Diner
from canteen.roles import SYSTEM, Actor, Role
from canteen.watchers import service as watchers

PASSWORDS_FILE = "demo-passwords.txt"
"""``canteen.demo.PASSWORDS_FILE``: the table the demo's other logins are in."""
WATCHERS = (
    # role, username, display name, phone
    ("volunteer", "louzhang1", "楼栋长 陈伯 (北京路12号)", "13802411011"),
    ("volunteer", "louzhang2", "楼栋长 黄姨 (六榕路38号)", "13802411012"),
    ("staff", "wangge1", "网格员 吴晓燕", "13802411013"),
    ("volunteer", "volunteer2", "红马甲 郭嘉怡", "13802411014"),
)
CASE_DAYS = 3
"""How many weekdays before today are checked for missed lunches."""
LUNCH_CHECKED = time(13, 31)
"""When the day's check runs (after the demo canteens' 13:30 lunch end)."""
TOLD_AFTER = timedelta(seconds=30)
HANDLED_AFTER = (timedelta(minutes=25), timedelta(minutes=48), timedelta(minutes=150))
"""How long after the finding each case is handled, in turn (the third is late)."""
FOLLOWED_UP_AT = time(10, 0)
NOTES = {
    "called": ("打电话联系上了，老人说身体不舒服，在家煮了粥。", "电话回访：已好转，明天来吃饭。"),
    "visited_well": ("上门看了，老人在家，一切平安，只是今天不想出门。", "上门回访：精神不错。"),
    "family_reached": ("联系了女儿，她中午已接老人去家里吃饭。", "电话回访：已回家，平安。"),
    "hospital": ("上门发现老人发烧，陪同到社区医院看病。", "回访：已退烧，在家休养。"),
}
OUTCOMES = tuple(NOTES)
LOW_BALANCE_NOTES = ("已电话通知家属充值。", "回访：家属已知悉，会尽快充值。")
NOT_HOME_NOTES = ("电话联系上了，老人那天去了女儿家。", "电话回访：已回家，平安。")


async def fill(
    settings: Settings, actors: dict[str, Actor], diners: list[Diner]
) -> tuple[str, ...]:
    """Make the watchers and the cases; return the lines the demo prints about them."""
    made, rows = await _watchers(settings.var_dir)
    lonely = [d for d in diners if "living_alone" in d.categories]
    heads = [made["louzhang1"], made["louzhang2"]]
    helpers = [made["wangge1"], actors["volunteer1"], made["volunteer2"]]
    for index, diner in enumerate(lonely):
        await watchers.add_watcher(SYSTEM, diner.id, heads[index % 2].user_id, "building_head")
        helper = helpers[index % len(helpers)]
        relation = "grid_worker" if helper.role == Role.STAFF else "volunteer"
        await watchers.add_watcher(SYSTEM, diner.id, helper.user_id, relation)
    states = await _cases(settings, actors)
    logins = "\n".join(f"  {role:<8} {name:<9} {password}" for role, name, password in rows)
    return (
        f"  {len(lonely)} elders living alone, each watched by a building head and a grid worker"
        f" or volunteer (/watch on a phone); the board at /staff/alerts: {states}",
        "  watchers' logins (also in the passwords file):",
        logins,
    )


async def _watchers(var_dir: Path) -> tuple[dict[str, Actor], list[tuple[str, str, str]]]:
    """The watchers' users, each with a fresh random password, appended to the demo's table:
    (username -> actor, the table's rows)."""
    made: dict[str, Actor] = {}
    rows: list[tuple[str, str, str]] = []
    for role, username, display_name, phone in WATCHERS:
        password = secrets.token_urlsafe(9)
        user = await auth.create_user(
            SYSTEM,
            username=username,
            password=password,
            role=role,
            display_name=display_name,
            phone=phone,
        )
        made[username] = auth.actor_of(user)
        rows.append((role, username, password))
    with (var_dir / PASSWORDS_FILE).open("a", encoding="utf-8") as f:
        f.writelines(f"  {role:<8} {name:<9} {password}\n" for role, name, password in rows)
    return made, rows


async def _cases(settings: Settings, actors: dict[str, Actor]) -> str:
    """The missed lunches of the last weekdays raised and told as on those days; then every case
    found before today handled and followed up as the days went (see the module docstring)."""
    zone = settings.tz
    today = clock.now().astimezone(zone).date()
    days = detect.weekdays_before(today, CASE_DAYS)
    for day in days[::-1]:
        found_at = datetime.combine(day, LUNCH_CHECKED, zone)
        with clock.frozen_at(found_at):
            await detect.missed_meals(found_at)
        await outbox.report(found_at + TOLD_AFTER)
        await outbox.deliver(found_at + TOLD_AFTER)
    managers = {a.canteen_id: a for a in actors.values() if a.role == Role.MANAGER}
    zones = {c.id: ZoneInfo(c.timezone) for c in await Canteen.all()}
    counts = {"followed_up": 0, "handled": 0, "open": 0}
    left_open: set[int | None] = set()
    cases = await Alert.filter(status="open", local_date__lt=today).order_by("found_at", "id")
    watching: dict[int, list[Actor]] = {}  # each elder's watchers: none is added meanwhile
    for turn, alert in enumerate(cases):
        if (
            alert.kind == "missed_meal"
            and alert.local_date == days[0]
            and alert.canteen_id not in left_open
        ):
            left_open.add(alert.canteen_id)  # one case per canteen nobody has handled yet
            counts["open"] += 1
            continue
        if alert.diner_id not in watching:
            watching[alert.diner_id] = await watchers.watcher_users(alert.diner_id)
        first = watching[alert.diner_id][:1]
        by = first[0] if first else managers[alert.canteen_id]
        outcome, (note, back) = _handling(alert.kind, turn)
        with clock.frozen_at(alert.found_at + HANDLED_AFTER[turn % len(HANDLED_AFTER)]):
            await alerts.handle(by, alert.id, note, outcome)
        if alert.local_date < days[1]:
            local = zones.get(alert.canteen_id or 0, zone)
            next_morning = datetime.combine(
                alert.found_at.astimezone(local).date() + timedelta(days=1), FOLLOWED_UP_AT, local
            )
            with clock.frozen_at(next_morning):
                await alerts.follow_up(by, alert.id, back)
            counts["followed_up"] += 1
        else:
            counts["handled"] += 1
    return (
        f"{counts['followed_up']} cases followed up, {counts['handled']} handled with the"
        f" follow-up due, {counts['open']} missed lunches left open (overdue)"
    )


def _handling(kind: str, turn: int) -> tuple[str, tuple[str, str]]:
    """What was done about a case of this kind: (outcome, (note, follow-up note))."""
    if kind == "low_balance":
        return "family_reached", LOW_BALANCE_NOTES
    if kind == "not_home":
        return "called", NOT_HOME_NOTES
    outcome = OUTCOMES[turn % len(OUTCOMES)]
    return outcome, NOTES[outcome]
