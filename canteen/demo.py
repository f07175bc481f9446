"""``canteen demo``: fill an empty database with a realistic sample, through the services.

Everything is made by the same services the API calls (the actor is ``SYSTEM`` where the
permission table lets the system do it, otherwise the user whose job it is), so the sample
obeys every rule the real data does: valid resident ID numbers, audited enrolments, ledger-backed
top-ups. The people, dishes and amounts come from ``random.Random(SEED)``, so two demo
databases look alike; only the passwords are new each time (``secrets``), and they are
printed once and written to ``var/demo-passwords.txt`` (mode 0600).

The steps are small functions in the order the data depends on each other; later demos
(policies, meals) add steps after ``_cards``.
"""

import os
import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from canteen import (
    clock,
    demo_found,
    demo_history,
    demo_kitchen,
    demo_orders,
    demo_points,
    demo_watch,
    periodic,
)
from canteen.accounts import service as accounts
from canteen.alerts import detect
from canteen.auth import service as auth
from canteen.auth.models import User
from canteen.canteens import service as canteens_service
from canteen.canteens.models import Canteen, Offering
from canteen.cards import service as cards_service
from canteen.cards.models import Card
from canteen.checkout import service as checkout
from canteen.config import Settings
from canteen.diners import resident_id
from canteen.diners import service as diners_service
from canteen.diners.models import Diner
from canteen.errors import InsufficientBalance
from canteen.policies import files as policy_files
from canteen.policies import service as policies_service
from canteen.policies.models import Policy
from canteen.roles import SYSTEM, Actor, Role

SEED = 20240601
DINER_COUNT = 60
PASSWORDS_FILE = "demo-passwords.txt"
URL = "http://127.0.0.1:8000"

CANTEENS = (
    ("北京街长者饭堂", "越秀区", "北京街", "越秀区大南路24号首层"),
    ("六榕街长者饭堂", "越秀区", "六榕街", "越秀区六榕路38号之一"),
    ("南华西街长者饭堂", "海珠区", "南华西街", "海珠区同福西路112号"),
)
MENUS: tuple[tuple[tuple[str, str, int, list[str]], ...], ...] = (
    (
        ("艇仔粥配肠粉", "breakfast", 600, []),
        ("两荤一素套餐", "lunch", 1500, []),
        ("清蒸鱼少盐套餐", "lunch", 1300, ["low_salt"]),
        ("杂粮饭控糖套餐", "dinner", 1200, ["diabetic"]),
        ("肉末蒸蛋软食套餐", "dinner", 1000, ["soft_food"]),
    ),
    (
        ("白粥油条", "breakfast", 500, []),
        ("一荤两素套餐", "lunch", 1200, []),
        ("冬瓜排骨少盐套餐", "lunch", 1400, ["low_salt"]),
        ("粗粮控糖套餐", "dinner", 1300, ["diabetic"]),
        ("鱼片粥软食套餐", "dinner", 1000, ["soft_food"]),
    ),
    (
        ("豆浆包点", "breakfast", 500, []),
        ("家常两荤一素", "lunch", 1400, ["low_salt"]),
        ("糙米饭控糖套餐", "lunch", 1300, ["diabetic"]),
        ("清淡晚餐套餐", "dinner", 1200, []),
        ("蒸水蛋软饭套餐", "dinner", 1100, ["soft_food"]),
    ),
)
USERS = (
    # role, username, index of the canteen worked at, display name, phone
    ("admin", "admin", None, "系统管理员", ""),
    ("staff", "minzheng", None, "区民政局 周敏", "020-83301234"),
    ("manager", "manager1", 0, "何志强", "13802411001"),
    ("cashier", "cashier1", 0, "梁嘉欣", "13802411002"),
    ("manager", "manager2", 1, "罗伟明", "13802411003"),
    ("cashier", "cashier2", 1, "谢晓琳", "13802411004"),
    ("manager", "manager3", 2, "冯永康", "13802411005"),
    ("cashier", "cashier3", 2, "麦淑仪", "13802411006"),
    ("family", "family1", None, "陈慧敏", "13922058871"),
    ("family", "family2", None, "黄志豪", "13560231942"),
    ("volunteer", "volunteer1", None, "红马甲 林志伟", "13802411007"),
)
FAMILY_LINKS = (
    # username, index of the diner, relation
    ("family1", 0, "女儿"),
    ("family1", 1, "女儿"),
    ("family2", 2, "儿子"),
)
FIXED_PEOPLE = {0: ("陈", "male"), 1: (None, "female"), 2: ("黄", "male")}
COUPLE = (0, 1)
"""Diners 0 and 1 are family1's parents (a couple, one address); diner 2 is family2's father."""

SURNAMES = "陈黄李梁林张何罗郭吴冯邓谢麦刘叶杨周苏潘钟卢区关朱胡"
FEMALE_NAMES = (  # noqa: SIM905 (as a list literal, 24 names take 24 lines)
    "秀英 桂英 玉兰 淑芬 凤英 秀珍 丽华 美玲 月娥 桂芳 惠贞 少芳 婉仪 瑞芳 玉珍 "
    "金凤 丽娟 淑贞 翠屏 彩霞 雪梅 佩玲 素珍 爱群"
).split()
MALE_NAMES = (  # noqa: SIM905
    "建国 国强 志明 永康 德明 伟强 锦华 炳坤 荣光 树森 振华 耀祖 家驹 汉文 启明 "
    "福生 润泉 国梁 卓雄 兆基 少华 文彬 伯年 铭新"
).split()
PLACES = {
    # (district, street): roads
    ("越秀区", "北京街"): ("北京路", "惠福东路", "大南路", "文德路", "府学西街"),
    ("越秀区", "六榕街"): ("六榕路", "解放北路", "朝天路", "东风西路", "光孝路"),
    ("海珠区", "南华西街"): ("南华西路", "同福西路", "洪德路", "龙导尾", "鳌洲外街"),
    ("越秀区", "人民街"): ("人民南路", "一德路", "长堤大马路"),
    ("荔湾区", "华林街"): ("上九路", "下九路", "华林寺前"),
    ("天河区", "石牌街"): ("石牌东路", "龙口西路"),
}
REGION_CODES = {"越秀区": "440104", "海珠区": "440105", "天河区": "440106", "荔湾区": "440103"}
CATEGORY_COUNTS = {
    "low_income": 7,
    "extreme_poverty": 3,
    "disabled": 5,
    "dependent": 4,
    "bereaved_parent": 3,
    "living_alone": 10,
    "veteran": 4,
}
DIETS = ("diabetic", "low_salt", "soft_food", "allergy:花生")
TOPUP_YUAN = ((50,), (100,), (100,), (150,), (200,), (200,), (300,), (100, 50), (200, 100))
LOW_TOPUP_YUAN = (5, 8, 10, 12, 15, 18)
ZERO_BALANCE, LOW_BALANCE = 4, 4
POLICY_FILE = Path(__file__).resolve().parent.parent / "docs" / "policies" / "guangzhou-2020.toml"
REGULAR, WITH_HIM = 0, 1
"""family1's father comes to lunch every weekday (and misses the last one); his wife too."""


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    user: User


async def database_is_empty() -> bool:
    """True with no users and no canteens: the demo never mixes its sample into real data."""
    return not await User.exists() and not await Canteen.exists()


async def fill(settings: Settings) -> str:
    """Make the whole sample and return what to print: counts, logins, where to go next.

    All in one transaction: each service's own transaction is a savepoint in it. The rows are
    the same, but the database commits once instead of some 3,200 times (PostgreSQL flushes
    its log at each commit, SQLite with ``synchronous=FULL`` syncs the disk), and on SQLite
    every statement runs in a transaction, on the event loop (``canteen.db_sqlite``), instead
    of a thread hop each. A failure leaves the database empty, so ``--if-empty`` can run again.
    """
    async with in_transaction():
        return await _fill(settings)


async def _fill(settings: Settings) -> str:
    rng = random.Random(SEED)  # noqa: S311 (sample data, reproducible on purpose; not secrets)
    canteens = await _canteens(settings)
    logins = await _users(canteens)
    passwords_path = _write_passwords(settings.var_dir, logins)
    actors = {login.username: auth.actor_of(login.user) for login in logins}
    offerings = await _offerings(canteens, actors)
    diners = await _diners(rng, canteens, clock.today(settings.tz))
    await _families(actors, diners)
    cards = await _cards(diners, actors)
    await _policy()
    plan = _topup_plan(rng, len(diners))
    last = _last_lunch_over(canteens[0], clock.now())
    history, leftovers = await demo_history.meals(
        diners,
        canteens,
        actors,
        cash_payers={i for i, yuan in enumerate(plan) if sum(yuan) < 20},
        skip={REGULAR, WITH_HIM},
        last=last,
    )
    balances = await _topups(rng, diners, actors, plan, leftovers)
    meals, missed = await _meal_history(diners, actors)
    entries = await demo_history.books(canteens, actors, history.first, last)
    orders = await demo_orders.fill(canteens, diners, actors, last)
    # Last month's claims once every meal of it is sold: before lunch on the 1st, the last
    # lunch (the delivery run's meals too) is last month's, and a meal sold after the claim
    # froze would be counted in no claim.
    managers = [a for a in actors.values() if a.role == Role.MANAGER]
    spare = {diners[REGULAR].id, diners[WITH_HIM].id}
    claimed = await demo_history.last_months_claims(
        actors["minzheng"], managers, clock.now(), settings.tz, spare
    )
    counts = {
        "offerings": offerings,
        "diners": len(diners),
        "family links": len(FAMILY_LINKS),
        "meal cards": cards,
        "past lunches": meals,
    }
    care: tuple[str, ...] = (
        f"  {diners[REGULAR].name} (family1's father) came to lunch every weekday, but not on"
        f" {missed}: a missed-meal alert waits in family1's portal and at /api/v1/alerts",
        f"  six weeks of meals ({history.first} to {last}): {history.meals} sold,"
        f" {history.voided} voided, {history.manual} without a card; {entries} costs and grants",
        f"  {claimed} claimed: city paid, district approved, street submitted; a meal voided"
        " after the claim waits as an adjustment for the next one",
        f"  reports: canteen report claims --month {claimed}; canteen report sustainability"
        f" --from {history.first} --to {last}",
    )
    care += orders
    care += await demo_watch.fill(settings, actors, diners)
    care += await demo_found.fill(actors, diners)
    care += await demo_kitchen.fill(canteens, actors, last)
    care += await demo_points.fill(actors)  # last: what the other steps earned
    return _summary(canteens, logins, counts, balances, passwords_path, care)


# --- Steps --------------------------------------------------------------------------------


async def _canteens(settings: Settings) -> list[Canteen]:
    """The canteens first: users, dishes and diners all belong to one."""
    return [
        await canteens_service.create_canteen(
            SYSTEM,
            name=name,
            address=address,
            district=district,
            street=street,
            timezone=None,
            default_timezone=settings.timezone,
        )
        for name, district, street, address in CANTEENS
    ]


async def _users(canteens: list[Canteen]) -> list[Login]:
    """One login per job, each with a fresh random password (never a well-known default)."""
    logins = []
    for role, username, canteen_index, display_name, phone in USERS:
        password = secrets.token_urlsafe(9)
        user = await auth.create_user(
            SYSTEM,
            username=username,
            password=password,
            role=role,
            canteen_id=None if canteen_index is None else canteens[canteen_index].id,
            display_name=display_name,
            phone=phone,
        )
        logins.append(Login(role, username, password, user))
    return logins


async def _offerings(canteens: list[Canteen], actors: dict[str, Actor]) -> int:
    """Each canteen's price list, set by its own manager as in real life."""
    managers = _by_canteen(actors, Role.MANAGER)
    count = 0
    for canteen, menu in zip(canteens, MENUS, strict=True):
        for name, meal_type, price_fen, tags in menu:
            await canteens_service.create_offering(
                managers[canteen.id],
                canteen.id,
                name=name,
                meal_type=meal_type,
                price_fen=price_fen,
                tags=tags,
            )
            count += 1
    return count


async def _diners(rng: random.Random, canteens: list[Canteen], today: date) -> list[Diner]:
    """Enrol the elders as the civil-affairs office would, from the command line."""
    profiles = _profiles(rng, canteens, today)
    return [await diners_service.enrol(SYSTEM, **profile) for profile in profiles]


async def _families(actors: dict[str, Actor], diners: list[Diner]) -> None:
    """Link the family logins to their elders; the staff member does it, as at the office."""
    staff = actors["minzheng"]
    for username, index, relation in FAMILY_LINKS:
        await diners_service.link_family(staff, diners[index].id, username, relation)


async def _topups(
    rng: random.Random,
    diners: list[Diner],
    actors: dict[str, Actor],
    plan: list[tuple[int, ...]],
    leftovers: dict[int, int],
) -> list[int]:
    """Money paid in at each diner's home counter; a few stay low or empty to show warnings.

    ``leftovers`` is what each account still holds from the meal history; the first top-up
    is smaller by that much (the family tops the account up to a round sum), so every balance
    ends as planned. Returns each diner's balance in fen.
    """
    cashiers = _by_canteen(actors, Role.CASHIER)
    balances = []
    for diner, amounts_yuan in zip(diners, plan, strict=True):
        left = leftovers.get(diner.id, 0)
        for n, yuan in enumerate(amounts_yuan):
            transfer = rng.random() < 0.2
            reference = f"转账尾号{rng.randint(1000, 9999)}" if transfer else ""
            amount = yuan * 100 - (left if n == 0 else 0)
            if amount > 0:
                await accounts.top_up(
                    cashiers[diner.home_canteen_id],
                    diner.id,
                    amount_fen=amount,
                    method="transfer" if transfer else "cash",
                    reference=reference,
                )
        balances.append(sum(amounts_yuan) * 100 if amounts_yuan else left)
    return balances


async def _cards(diners: list[Diner], actors: dict[str, Actor]) -> int:
    """A meal card for every elder, issued by the civil-affairs office as at enrolment."""
    staff = actors["minzheng"]
    for diner in diners:
        await cards_service.issue(staff, diner.id)
    return len(diners)


async def _policy() -> Policy | None:
    """The subsidy policy the meals are priced by, unless one is in force already: Guangzhou's
    2020 scheme, brought in from the command line, which may date it in the past."""
    if await Policy.exists():
        return None
    return await policies_service.create(SYSTEM, policy_files.read(POLICY_FILE))


def _last_lunch_over(canteen: Canteen, now: datetime) -> date:
    """The latest weekday whose lunch window has closed, in the canteen's time zone."""
    zone = ZoneInfo(canteen.timezone)
    day = now.astimezone(zone).date()
    lunch_end = time.fromisoformat(canteen.meal_windows["lunch"][1])
    while day.weekday() >= 5 or datetime.combine(day, lunch_end, zone) > now:
        day -= timedelta(days=1)
    return day


async def _meal_history(diners: list[Diner], actors: dict[str, Actor]) -> tuple[int, date]:
    """Two weeks of lunches for family1's parents, sold at their counter at past lunch times,
    then the alert check as it ran after the last lunch: the father, a regular, did not come
    on the last weekday whose lunch is over, so a missed-meal alert exists for the portal.

    Returns the number of lunches sold and the day he missed.
    """
    canteen = await Canteen.get(id=diners[REGULAR].home_canteen_id)
    zone = ZoneInfo(canteen.timezone)
    cashier = _by_canteen(actors, Role.CASHIER)[canteen.id]
    lunch = await Offering.filter(canteen_id=canteen.id, meal_type="lunch").order_by("id").first()
    assert lunch is not None
    missed = _last_lunch_over(canteen, clock.now())
    order = checkout.Order(canteen.id, offering_id=lunch.id)
    couple = {}
    for index in (REGULAR, WITH_HIM):
        card = await Card.get(diner_id=diners[index].id, revoked_at=None)
        couple[index] = checkout.Who(card_payload=cards_service.payload_of(card))
    sold = 0
    for day in [*reversed(detect.weekdays_before(missed, detect.REGULAR_WEEKDAYS)), missed]:
        for index, minute in ((REGULAR, 32), (WITH_HIM, 34)):
            if day == missed and index == REGULAR:
                continue
            who = couple[index]
            with clock.frozen_at(datetime.combine(day, time(11, minute), zone)):
                try:
                    await checkout.sell(cashier, who, order, "account")
                except InsufficientBalance:
                    await checkout.sell(cashier, who, order, "cash")
            sold += 1
    lunch_end = time.fromisoformat(canteen.meal_windows["lunch"][1])
    with clock.frozen_at(datetime.combine(missed, lunch_end, zone) + timedelta(minutes=1)):
        await periodic.run_once()
    return sold, missed


# --- The sample's people, drawn from the seeded generator (pure) ---------------------------


def _profiles(rng: random.Random, canteens: list[Canteen], today: date) -> list[dict[str, Any]]:
    """Every diner's enrolment fields; distinct names, ID numbers and sequence codes."""
    sequence_codes = rng.sample(range(5, 495), DINER_COUNT)
    names: set[str] = set()
    profiles = []
    for i, code in enumerate(sequence_codes):
        surname, gender = FIXED_PEOPLE.get(i, (None, "female" if rng.random() < 0.6 else "male"))
        canteen = canteens[0] if i in FIXED_PEOPLE else canteens[i % len(canteens)]
        profile = _profile(rng, canteen, today, 2 * code + int(gender == "male"))
        profile["name"] = _name(rng, surname, gender, names)
        profiles.append(profile)
    husband, wife = (profiles[i] for i in COUPLE)
    wife.update({key: husband[key] for key in ("address", "district", "street")})
    _assign_categories(rng, profiles)
    _assign_diets(rng, profiles)
    return profiles


def _profile(rng: random.Random, canteen: Canteen, today: date, code: int) -> dict[str, Any]:
    """One diner near ``canteen``; ``code`` is the ID's sequence code (odd for a man)."""
    district, street = _place(rng, canteen)
    return {
        "id_number": _id_number(rng, district, _birth_date(rng, today), code),
        "phone": _phone(rng),
        "address": _address(rng, (district, street)),
        "district": district,
        "street": street,
        "home_canteen_id": canteen.id,
    }


def _place(rng: random.Random, canteen: Canteen) -> tuple[str, str]:
    """Most diners live on their canteen's street; some walk in from another street."""
    if rng.random() < 0.85:
        return canteen.district, canteen.street
    others = [place for place in PLACES if place != (canteen.district, canteen.street)]
    return rng.choice(others)


def _name(rng: random.Random, surname: str | None, gender: str, taken: set[str]) -> str:
    """A common Cantonese-area name of that generation, not yet used in the sample."""
    given = FEMALE_NAMES if gender == "female" else MALE_NAMES
    while True:
        name = (surname or rng.choice(SURNAMES)) + rng.choice(given)
        if name not in taken:
            taken.add(name)
            return name


def _birth_date(rng: random.Random, today: date) -> date:
    """A birthday giving an age of 60 to 98 today, most in the seventies and eighties."""
    age = min(98, int(rng.triangular(60, 99, 76)))
    return _years_before(today, age) - timedelta(days=rng.randint(0, 364))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _id_number(rng: random.Random, district: str, birth: date, code: int) -> str:
    """Issued mostly where the diner lives now; some moved in from another Guangzhou district."""
    if rng.random() < 0.8:
        region = REGION_CODES[district]
    else:
        region = rng.choice(list(REGION_CODES.values()))
    first17 = f"{region}{birth:%Y%m%d}{code:03d}"
    return first17 + resident_id.check_char(first17)


def _phone(rng: random.Random) -> str:
    """A mobile for most, a landline for some, none for a few (the counter asks family)."""
    roll = rng.random()
    if roll < 0.7:
        return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(0, 99_999_999):08d}"
    if roll < 0.9:
        return f"020-8{rng.randint(0, 9_999_999):07d}"
    return ""


def _address(rng: random.Random, place: tuple[str, str]) -> str:
    road = rng.choice(PLACES[place])
    return f"{place[0]}{road}{rng.randint(1, 180)}号{rng.randint(1, 9)}0{rng.randint(1, 6)}房"


def _assign_categories(rng: random.Random, profiles: list[dict[str, Any]]) -> None:
    """Each category several times and many diners with none, as on a real register."""
    for profile in profiles:
        profile["categories"] = []
    for code, count in CATEGORY_COUNTS.items():
        for index in rng.sample(_may_have(profiles, code), count):
            profiles[index]["categories"].append(code)
    disabled = [p for p in profiles if "disabled" in p["categories"]]
    for n, profile in enumerate(disabled):
        profile["disability_level"] = n % 4 + 1


def _may_have(profiles: list[dict[str, Any]], code: str) -> list[int]:
    """Who may get a category: two at most each, 低保 or 特困 not both, the couple not 独居."""
    other_poverty = {"low_income": "extreme_poverty", "extreme_poverty": "low_income"}.get(code)
    return [
        i
        for i, profile in enumerate(profiles)
        if len(profile["categories"]) < 2
        and other_poverty not in profile["categories"]
        and not (code == "living_alone" and i in COUPLE)
    ]


def _assign_diets(rng: random.Random, profiles: list[dict[str, Any]]) -> None:
    """Diet flags on about a third; a dependent elder mostly needs soft food."""
    for profile in profiles:
        flags = {flag for flag in DIETS if rng.random() < 0.1}
        if "dependent" in profile["categories"] and rng.random() < 0.75:
            flags.add("soft_food")
        profile["dietary"] = sorted(flags)


def _topup_plan(rng: random.Random, count: int) -> list[tuple[int, ...]]:
    """Yuan paid in per diner: 50-300 for most, a few under 20, a few nothing yet.

    family2's father (diner 2) is among the low ones, so the demo has a warning to show.
    """
    others = rng.sample(range(3, count), ZERO_BALANCE + LOW_BALANCE - 1)
    zero, low = set(others[:ZERO_BALANCE]), {2, *others[ZERO_BALANCE:]}
    plan: list[tuple[int, ...]] = []
    for i in range(count):
        if i in zero:
            plan.append(())
        elif i in low:
            plan.append((rng.choice(LOW_TOPUP_YUAN),))
        else:
            plan.append(rng.choice(TOPUP_YUAN))
    return plan


# --- Output ------------------------------------------------------------------------------


def _by_canteen(actors: dict[str, Actor], role: Role) -> dict[int | None, Actor]:
    return {actor.canteen_id: actor for actor in actors.values() if actor.role == role}


def _login_table(logins: list[Login]) -> str:
    rows = [("role", "username", "password")] + [(x.role, x.username, x.password) for x in logins]
    return "\n".join(f"  {role:<8} {username:<9} {password}" for role, username, password in rows)


def _write_passwords(var_dir: Path, logins: list[Login]) -> Path:
    """Owner-only, written as soon as the users exist. A later failure rolls the demo's one
    transaction back, users too: the next ``canteen demo`` writes the file anew."""
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / PASSWORDS_FILE
    path.unlink(missing_ok=True)  # a new file, so the mode below applies
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"# canteen demo logins, {clock.now():%Y-%m-%d %H:%M} UTC\n")
        f.write(_login_table(logins) + "\n")
    return path


def _summary(
    canteens: list[Canteen],
    logins: list[Login],
    counts: dict[str, int],
    balances: list[int],
    passwords_path: Path,
    notes: tuple[str, ...] = (),
) -> str:
    """What to print: enough to know what is there and how to log in."""
    places = ", ".join(f"{c.name} ({c.district} {c.street})" for c in canteens)
    made = ", ".join(f"{n} {what}" for what, n in counts.items())
    paid = sum(balances) / 100
    low = sum(1 for b in balances if 0 < b < 2000)
    empty = balances.count(0)
    return "\n".join(
        [
            "Demo data created:",
            f"  {len(canteens)} canteens: {places}",
            f"  {len(logins)} users, {made}",
            f"  counter top-ups ¥{paid:,.2f} in all; {low} accounts below ¥20, {empty} at ¥0",
            *notes,
            "  print the meal cards (10 to an A4 page): canteen cards print --out cards.pdf",
            "",
            f"Logins (also in {passwords_path}, readable only by you):",
            _login_table(logins),
            "",
            f"Start the server (make run, or canteen serve) and open {URL}",
        ]
    )
