"""A generated district for the report benchmarks: a year of meals, written in bulk.

One district (越秀区, its 18 streets), 30 canteens, one diner per ``MEALS_PER_DINER`` meals
(40,000 for 10M meals), a calendar year (2025) of breakfasts, lunches and dinners, each meal
with the subsidy lines the real pricing engine gives it, a few voided, a few sold without a
card; and each canteen's books (daily ingredients and labour, monthly rent, utilities and
operating grants, some equipment, start-up grants and donations).

How the rows are made:

- The small things go through the services, as in production: canteens, their price lists
  and the policy (:data:`POLICY`, a district's scheme assembled from the rules of
  ``docs/policies/``: the city's percent-of-lunch with a cap and a daily limit, the district's
  tiers for 80+ and hardship elders registered in the district, the street's top-up for elders
  living alone or dependent, a charity's for bereaved parents, the operator's own breakfast
  discount, and the city's per-elder-per-day operating payment to the canteen). Cashiers are
  users with no usable password (nobody logs in).
- Diners are written in bulk, with resident ID numbers that pass ``resident_id.parse``,
  encrypted and hashed by ``canteen.diners.pii`` under a key derived as the service derives
  it (from a benchmark secret), so the reports' masked IDs are the real ones.
- Who eats what, when and where is drawn with numpy from seeded habits (most elders eat at
  their home canteen in their own street, some at a second one, a few anywhere; weekends,
  the Spring Festival and the summer are quieter). Each meal is priced by
  ``canteen.policies.engine.price`` with the usage of the meals that diner already had that
  day (a voided meal frees its limits, as a void does): the engine runs once per distinct
  situation, and its lines are spread over every meal in that situation. Meals get ids in the
  order they were sold; subsidy lines follow their meal, diner's lines first, as the checkout
  writes them.
- ``claim_day`` is then filled by the backfill statement of the migration that created it
  (``migrations/models/4_*``), which is what the sale and void hooks keep.

Not generated, because no report reads them: ledger entries and top-ups (accounts stay at
zero), limit slots, idempotency records and audit entries.
"""

import asyncio
import importlib.util
import json
import math
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import numpy as np

from canteen import db
from canteen.auth.models import User
from canteen.auth.service import actor_of
from canteen.canteens import service as canteens
from canteen.checkout.models import MANUAL_REASONS
from canteen.config import Settings, derive_key
from canteen.demo import FEMALE_NAMES, MALE_NAMES, MENUS, REGION_CODES, SURNAMES
from canteen.demo_history import HABIT_WEIGHTS, HABITS, VOID_REASONS
from canteen.diners import pii, resident_id
from canteen.policies import engine, files
from canteen.policies import service as policies
from canteen.policies.schema import PolicyDocument
from canteen.roles import SYSTEM

VERSION = 2
"""Bump when the generated data changes: cached files of another version are not reused."""
SEED = 20250101
FIRST_DAY = date(2025, 1, 1)
DAYS = 365
UTC_OFFSET = timedelta(hours=8)
"""Asia/Shanghai, which has no summer time."""
DISTRICT = "越秀区"
STREETS = (
    "北京街", "六榕街", "流花街", "光塔街", "人民街", "东山街", "农林街", "梅花村街", "黄花岗街",
    "华乐街", "建设街", "大塘街", "珠光街", "大东街", "白云街", "登峰街", "矿泉街", "洪桥街",
)  # fmt: skip
OTHER_DISTRICTS = {
    "海珠区": ("南华西街", "沙园街"),
    "荔湾区": ("华林街", "多宝街"),
    "天河区": ("石牌街",),
}
CANTEENS = 30
"""One in each street, a second in the twelve busiest."""
MEALS_PER_DINER = 250
"""Meals an enrolled elder eats in a year, on average: 10M meals are 40,000 diners."""
BENCH_SECRET = "report-benchmark-secret"  # encrypts the generated ID numbers only
CASHIER_PASSWORD_HASH = "!"  # no password matches it

POLICY: dict[str, Any] = {
    "name": "越秀区长者助餐补贴 (benchmark)",
    "effective_from": "2024-01-01",
    "stacking": "highest",
    "min_pay_fen": 100,
    "rules": [
        {"code": "elder", "label": "市级助餐补贴 25%, 最高 3 元, 每天一餐", "percent": 25,
         "max_fen": 300, "funder": "city", "meal_types": ["lunch", "dinner"], "daily_limit": 1,
         "when": {"min_age": 60}},
        {"code": "age80", "label": "区级高龄助餐补贴 4 元 (本区户籍)", "amount_fen": 400,
         "funder": "district", "meal_types": ["lunch", "dinner"], "daily_limit": 1,
         "when": {"min_age": 80, "registered_in": "district"}},
        {"code": "hardship", "label": "区级特困/低保/优抚 助餐补贴 6 元 (本区户籍)",
         "amount_fen": 600, "funder": "district", "daily_limit": 2,
         "when": {"min_age": 60, "categories_any": ["extreme_poverty", "low_income", "veteran"],
                  "registered_in": "district"}},
        {"code": "street_care", "label": "街道独居/失能/残疾长者午餐加补 2 元 (本街户籍)",
         "amount_fen": 200, "funder": "street", "meal_types": ["lunch"], "stack_always": True,
         "daily_limit": 1,
         "when": {"categories_any": ["living_alone", "dependent", "disabled"],
                  "registered_in": "street"}},
        {"code": "bereaved", "label": "慈善基金 失独老人助餐 3 元", "amount_fen": 300,
         "funder": "charity", "stack_always": True, "when": {"categories_any": ["bereaved_parent"]}},
        {"code": "breakfast_discount", "label": "运营方早餐让利 0.5 元", "amount_fen": 50,
         "funder": "operator", "meal_types": ["breakfast"], "stack_always": True,
         "when": {"min_age": 60}},
        {"code": "operating", "label": "市级运营补贴, 每服务一位本区长者每天 2 元",
         "amount_fen": 200, "funder": "city", "pays": "operator", "daily_limit": 1,
         "when": {"min_age": 60, "registered_in": "district"}},
    ],
}  # fmt: skip
MEAL_TYPES = ("breakfast", "lunch", "dinner")
WINDOWS = ((390, 540, 450), (630, 810, 720), (990, 1140, 1050))
"""Local minutes: (opens, closes, busiest) of breakfast, lunch and dinner."""
CATEGORY_SHARES = {
    "low_income": 0.06,
    "extreme_poverty": 0.015,
    "veteran": 0.025,
    "disabled": 0.06,
    "dependent": 0.04,
    "bereaved_parent": 0.01,
    "living_alone": 0.15,
}
BREAKFAST_HABIT, DINNER_HABIT = (0.15, 0.5), (0.3, 0.5)
"""(share of diners who have the habit, their chance of coming on a day)."""
HOME, SECOND = 0.94, 0.05
"""Meals at the home canteen, at the diner's second canteen; the rest anywhere in the district."""
VOIDED, MANUAL, CASH = 0.015, 0.008, 0.12


@dataclass
class Place:
    """What was made through the services: its ids and what the generator needs of it."""

    canteen_ids: np.ndarray
    canteen_streets: np.ndarray
    """Index into STREETS of each canteen's street."""
    cashier_ids: np.ndarray
    offering_ids: np.ndarray
    offering_canteen: np.ndarray
    offering_type: np.ndarray
    offering_price: np.ndarray
    offering_tags: list[frozenset[str]]
    policy_id: int
    policy: PolicyDocument


async def make_place(url: str) -> Place:
    """Canteens, price lists, cashiers and the policy, through the services."""
    canteen_ids, streets, cashiers = [], [], []
    offerings: list[tuple[int, int, int, int, frozenset[str]]] = []
    async with db.database(url, pool_size=2):
        now = datetime.now(UTC)
        admin = await User.create(
            username="bench-admin",
            password_hash=CASHIER_PASSWORD_HASH,
            role="admin",
            created_at=now,
        )
        for n in range(CANTEENS):
            street = n % len(STREETS)
            second = n >= len(STREETS)
            canteen = await canteens.create_canteen(
                SYSTEM,
                name=f"{STREETS[street]}{'第二' if second else ''}长者饭堂",
                address=f"{DISTRICT}{STREETS[street]}{10 + n}号首层",
                district=DISTRICT,
                street=STREETS[street],
                timezone="Asia/Shanghai",
                default_timezone="Asia/Shanghai",
            )
            canteen_ids.append(canteen.id)
            streets.append(street)
            extra = 50 * (n % 4)
            for name, meal_type, price, tags in MENUS[n % len(MENUS)]:
                offering = await canteens.create_offering(
                    actor_of(admin),
                    canteen.id,
                    name=name,
                    meal_type=meal_type,
                    price_fen=price + extra,
                    tags=list(tags),
                )
                kind = MEAL_TYPES.index(meal_type)
                offerings.append((offering.id, n, kind, price + extra, frozenset(tags)))
            cashier = await User.create(
                username=f"bench-cashier-{n + 1}",
                password_hash=CASHIER_PASSWORD_HASH,
                role="cashier",
                canteen_id=canteen.id,
                created_at=now,
            )
            cashiers.append(cashier.id)
        policy = await policies.create(SYSTEM, POLICY)
    columns = list(zip(*offerings, strict=True))
    return Place(
        canteen_ids=np.array(canteen_ids),
        canteen_streets=np.array(streets),
        cashier_ids=np.array(cashiers),
        offering_ids=np.array(columns[0]),
        offering_canteen=np.array(columns[1]),
        offering_type=np.array(columns[2]),
        offering_price=np.array(columns[3]),
        offering_tags=list(columns[4]),
        policy_id=policy.id,
        policy=files.parse(POLICY),
    )


# --- Diners -------------------------------------------------------------------------------


@dataclass
class Diners:
    rows: list[tuple[Any, ...]]
    """As the ``diner`` table's columns :data:`DINER_COLUMNS`."""
    birth: np.ndarray
    """datetime64[D]"""
    categories: list[frozenset[str]]
    disability: list[int | None]
    in_district: np.ndarray
    street: np.ndarray
    """Index into STREETS of the registered street (-1: another district)."""
    home: np.ndarray
    second: np.ndarray
    """Canteen indices."""


DINER_COLUMNS = (
    "id", "name", "id_number_cipher", "id_number_hash", "id_last4_hash", "birth_date",
    "gender", "phone", "address", "district", "street", "categories", "disability_level",
    "dietary", "status", "created_at", "updated_at", "home_canteen_id",
)  # fmt: skip


def make_diners(count: int, place: Place, rng: np.random.Generator) -> Diners:
    settings = Settings(secret_key=BENCH_SECRET)
    encrypt_key = derive_key(pii.ENCRYPT_PURPOSE, settings)
    digest_key = derive_key(pii.DIGEST_PURPOSE, settings)
    last4_key = derive_key(pii.LAST4_PURPOSE, settings)
    ages = np.minimum(98, rng.triangular(60, 76, 99, count).astype(int))
    years = (ages * 365.25).astype("timedelta64[D]")
    birth = np.datetime64(FIRST_DAY) - years - rng.integers(0, 365, count).astype("timedelta64[D]")
    female = rng.random(count) < 0.55
    in_district = rng.random(count) < 0.92
    street = np.where(in_district, rng.integers(0, len(STREETS), count), -1)
    streets_canteens = [np.flatnonzero(place.canteen_streets == s) for s in range(len(STREETS))]
    home = np.array(
        [
            rng.choice(streets_canteens[s]) if s >= 0 else rng.integers(0, CANTEENS)
            for s in street.tolist()
        ]
    )
    second = (home + rng.integers(1, CANTEENS, count)) % CANTEENS
    others = [(d, s) for d, streets in OTHER_DISTRICTS.items() for s in streets]
    sequence: dict[tuple[str, str], int] = {}
    rows, categories, disability = [], [], []
    created = datetime(2024, 6, 1, tzinfo=UTC)
    for i in range(count):
        if in_district[i]:
            district, street_name = DISTRICT, STREETS[street[i]]
        else:
            district, street_name = others[int(rng.integers(0, len(others)))]
        region = REGION_CODES[district] if rng.random() < 0.8 else "440111"
        born = birth[i].astype(date)
        key = (region, born.isoformat())
        sequence[key] = n = sequence.get(key, 0) + 1
        code = n * 2 - (0 if female[i] else 1)  # odd for men, even for women
        first17 = f"{region}{born:%Y%m%d}{code:03d}"
        number = first17 + resident_id.check_char(first17)
        rid = resident_id.parse(number)
        found = frozenset(c for c, share in CATEGORY_SHARES.items() if rng.random() < share)
        level = int(rng.integers(1, 5)) if "disabled" in found else None
        surname = SURNAMES[int(rng.integers(0, len(SURNAMES)))]
        given = FEMALE_NAMES if female[i] else MALE_NAMES
        diet = [d for d, share in (("diabetic", 0.15), ("low_salt", 0.2)) if rng.random() < share]
        phone = f"13{int(rng.integers(0, 10**9)):09d}" if rng.random() < 0.8 else ""
        at = (created + timedelta(minutes=int(rng.integers(0, 200_000)))).isoformat(" ")
        rows.append(
            (
                i + 1,
                surname + given[int(rng.integers(0, len(given)))],
                pii.encrypt(rid.number, encrypt_key, 1, i + 1),
                pii.digest(rid.number, digest_key),
                pii.last4_digest(rid.last4, last4_key),
                born.isoformat(),
                rid.gender,
                phone,
                f"{district}{street_name}{int(rng.integers(1, 300))}号",
                district,
                street_name,
                _json_list(sorted(found)),
                level,
                _json_list(diet),
                "active",
                at,
                at,
                int(place.canteen_ids[home[i]]),
            )
        )
        categories.append(found)
        disability.append(level)
    return Diners(rows, birth, categories, disability, in_district, street, home, second)


def _json_list(items: list[str]) -> str:
    return "[" + ",".join(f'"{item}"' for item in items) + "]"


# --- Meals --------------------------------------------------------------------------------


def _day_factors() -> np.ndarray:
    """How busy each day of the year is, against an ordinary weekday."""
    days = np.datetime64(FIRST_DAY) + np.arange(DAYS).astype("timedelta64[D]")
    weekday = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday; 0 is Monday
    factor = np.select([weekday == 5, weekday == 6], [0.8, 0.6], 1.0)
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    factor = factor * np.select(
        [np.isin(month, (11, 12, 1)), np.isin(month, (7, 8))], [1.05, 0.92], 1.0
    )
    spring_festival = (days >= np.datetime64("2025-01-28")) & (days <= np.datetime64("2025-02-04"))
    national_day = (days >= np.datetime64("2025-10-01")) & (days <= np.datetime64("2025-10-07"))
    return factor * np.select([spring_festival, national_day], [0.35, 0.7], 1.0)


@dataclass
class Meals:
    """Every meal of the year in the order sold (meal ``i`` gets id ``i + 1``)."""

    diner: np.ndarray
    """Diner indices (id - 1)."""
    day: np.ndarray
    """Days since FIRST_DAY (the local date)."""
    canteen: np.ndarray
    """Canteen indices (into Place.canteen_ids)."""
    offering: np.ndarray
    """Offering indices."""
    at_us: np.ndarray
    """Microseconds since 1970 (UTC)."""
    voided: np.ndarray
    void_after_us: np.ndarray
    void_reason: np.ndarray
    """Index into VOID_REASONS."""
    manual: np.ndarray
    manual_reason: np.ndarray
    """Index into MANUAL_REASONS."""
    cash: np.ndarray
    situation: np.ndarray
    """Index into ``pricings``: what the engine gave the meal."""
    pricings: "Pricings"

    def __len__(self) -> int:
        return len(self.diner)

    @property
    def lines(self) -> np.ndarray:
        """How many subsidy lines each meal has."""
        return self.pricings.counts[self.situation]


def _visits(diners: int, target: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Who comes for which meal on which day: (diner, day, meal kind), day by day."""
    habit = rng.choice(len(HABITS), diners, p=np.array(HABIT_WEIGHTS) / sum(HABIT_WEIGHTS))
    weekday = np.zeros((3, diners))
    weekend = np.zeros((3, diners))
    weekday[1] = np.array([h[0] for h in HABITS])[habit]
    weekend[1] = np.array([h[1] for h in HABITS])[habit]
    for kind, (share, chance) in ((0, BREAKFAST_HABIT), (2, DINNER_HABIT)):
        has = rng.random(diners) < share
        weekday[kind] = weekend[kind] = np.where(has, chance, 0.0)
    factors = _day_factors()
    weekends = (np.arange(DAYS) + 2) % 7 >= 5  # 2025-01-01 was a Wednesday
    expected = sum(
        f * (weekend if w else weekday).sum() for f, w in zip(factors, weekends, strict=True)
    )
    scale = target / expected
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for day in range(DAYS):
        rates = (weekend if weekends[day] else weekday) * (factors[day] * scale)
        for kind in range(3):
            who = np.flatnonzero(rng.random(diners) < np.minimum(rates[kind], 0.98))
            found.append((who, np.full(len(who), day, np.int16), np.full(len(who), kind, np.int8)))
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))


def make_meals(target: int, place: Place, diners: Diners, rng: np.random.Generator) -> Meals:
    diner, day, kind = _visits(len(diners.home), target, rng)
    count = len(diner)
    roll = rng.random(count)
    canteen = np.where(
        roll < HOME,
        diners.home[diner],
        np.where(roll < HOME + SECOND, diners.second[diner], rng.integers(0, CANTEENS, count)),
    )
    # The canteen's offerings of that meal kind: one chosen at random.
    slots = place.offering_canteen * 3 + place.offering_type
    order = np.argsort(slots, kind="stable")
    starts = np.searchsorted(slots[order], np.arange(CANTEENS * 3))
    counts = np.bincount(slots, minlength=CANTEENS * 3)
    slot = canteen * 3 + kind
    offering = order[starts[slot] + (rng.random(count) * counts[slot]).astype(int)]
    opens, closes, busiest = (np.array(w)[kind] for w in zip(*WINDOWS, strict=True))
    minute = rng.triangular(opens, busiest, closes).astype(np.int64)
    local_us = minute * 60_000_000 + rng.integers(0, 60_000_000, count)
    midnight = (np.datetime64(FIRST_DAY) - np.datetime64("1970-01-01")).astype(int) + day
    at_us = (
        midnight.astype(np.int64) * 86_400_000_000
        + local_us
        - int(UTC_OFFSET.total_seconds()) * 1_000_000
    )
    voided = rng.random(count) < VOIDED
    situation, pricings = _price(place, diners, diner, day, kind, canteen, offering, voided)
    sold = np.argsort(at_us, kind="stable")
    cash_diner = rng.random(len(diners.home)) < CASH
    return Meals(
        diner=diner[sold],
        day=day[sold],
        canteen=canteen[sold],
        offering=offering[sold],
        at_us=at_us[sold],
        voided=voided[sold],
        void_after_us=rng.integers(30_000_000, 540_000_000, count),
        void_reason=rng.integers(0, len(VOID_REASONS), count),
        manual=rng.random(count) < MANUAL,
        manual_reason=rng.choice(len(MANUAL_REASONS), count, p=[0.6, 0.15, 0.1, 0.1, 0.05]),
        cash=cash_diner[diner[sold]],
        situation=situation[sold],
        pricings=pricings,
    )


@dataclass
class Pricings:
    """Each distinct situation's pricing by the engine, flattened into arrays."""

    subsidy: np.ndarray
    operator_subsidy: np.ndarray
    counts: np.ndarray
    starts: np.ndarray
    rule: np.ndarray
    amount: np.ndarray


def _price(
    place: Place,
    diners: Diners,
    diner: np.ndarray,
    day: np.ndarray,
    kind: np.ndarray,
    canteen: np.ndarray,
    offering: np.ndarray,
    voided: np.ndarray,
) -> tuple[np.ndarray, Pricings]:
    """Each meal's situation (an index into the returned pricings), priced by the engine.

    A situation is what the policy can see: age on the day, categories, disability level,
    where the diner is registered against where the canteen stands (same street, same
    district, elsewhere), the offering, and the rules the diner's earlier live meals that day
    already used. Meals are priced kind by kind (breakfast, lunch, dinner), so each sees the
    usage its day's earlier meals left.
    """
    policy = place.policy
    rules = [rule.code for rule in policy.rules]
    profiles: dict[tuple[frozenset[str], int | None], int] = {}
    profile = np.array(
        [
            profiles.setdefault((c, d), len(profiles))
            for c, d in zip(diners.categories, diners.disability, strict=True)
        ]
    )
    profile_of = {v: k for k, v in profiles.items()}
    dates = np.datetime64(FIRST_DAY) + day.astype("timedelta64[D]")
    born = diners.birth[diner]
    age = dates.astype("datetime64[Y]").astype(int) - born.astype("datetime64[Y]").astype(int)
    age -= _day_of_year(dates) < _day_of_year(born)
    street = place.canteen_streets[canteen]
    relation = np.where(
        ~diners.in_district[diner], 2, np.where(diners.street[diner] == street, 0, 1)
    )
    usage = np.zeros(len(diners.home) * DAYS, np.int64)
    diner_day = day.astype(np.int64) * len(diners.home) + diner
    situation = np.empty(len(diner), np.int64)
    found: dict[tuple[int, int], int] = {}
    pricings: list[tuple[int, int, int, list[tuple[int, int]]]] = []
    base = 4  # a rule is used at most three times a day (three meals)
    states = base ** len(rules)
    offerings = len(place.offering_ids)
    for meal_kind in range(3):
        rows = np.flatnonzero(kind == meal_kind)
        key = (
            (age[rows] * len(profiles) + profile[diner[rows]]) * 3 + relation[rows]
        ) * offerings + offering[rows]
        distinct, inverse = np.unique(key * states + usage[diner_day[rows]], return_inverse=True)
        local = np.empty(len(distinct), np.int64)
        increments = np.empty(len(distinct), np.int64)
        for n, (k, u) in enumerate(divmod(c, states) for c in distinct.tolist()):
            if (k, u) not in found:
                found[(k, u)] = len(pricings)
                pricings.append(
                    _one(policy, rules, profile_of, offerings, place, k, u, base, len(profiles))
                )
            local[n] = found[(k, u)]
            increments[n] = pricings[local[n]][2]
        situation[rows] = local[inverse]
        live = ~voided[rows]
        usage[diner_day[rows][live]] += increments[inverse][live]
    counts = np.array([len(p[3]) for p in pricings])
    flat = [line for p in pricings for line in p[3]]
    return situation, Pricings(
        subsidy=np.array([p[0] for p in pricings]),
        operator_subsidy=np.array([p[1] for p in pricings]),
        counts=counts,
        starts=np.cumsum(counts) - counts,
        rule=np.array([r for r, _ in flat], np.int64),
        amount=np.array([a for _, a in flat], np.int64),
    )


def _day_of_year(days: np.ndarray) -> np.ndarray:
    """Month * 100 + day, to compare birthdays."""
    months = days.astype("datetime64[M]")
    return (months.astype(int) % 12 + 1) * 100 + (days - months).astype(int) + 1


def _one(
    policy: PolicyDocument,
    rules: list[str],
    profile_of: dict[int, tuple[frozenset[str], int | None]],
    offerings: int,
    place: Place,
    key: int,
    used: int,
    base: int,
    profile_count: int,
) -> tuple[int, int, int, list[tuple[int, int]]]:
    """One situation priced: (subsidy, operator subsidy, usage increment, [(rule, fen)])."""
    key, offering = divmod(key, offerings)
    key, relation = divmod(key, 3)
    age, profile = divmod(key, profile_count)
    categories, level = profile_of[profile]
    # Only equality of these names matters to the engine: same street, same district, neither.
    diner = engine.Diner(
        age=age,
        categories=categories,
        disability_level=level,
        district=("D", "D", "X")[relation],
        street=("S", "T", "T")[relation],
    )
    meal = engine.Meal(
        canteen_id=0,
        canteen_district="D",
        canteen_street="S",
        meal_type=MEAL_TYPES[int(place.offering_type[offering])],  # type: ignore[arg-type]
        price_fen=int(place.offering_price[offering]),
        tags=place.offering_tags[offering],
    )
    usage = {
        code: engine.Usage(today=(used // base**i) % base, this_month=(used // base**i) % base)
        for i, code in enumerate(rules)
    }
    pricing = engine.price(policy, diner, meal, usage)
    lines = [*pricing.lines, *pricing.operator_lines]
    increment = sum(base ** rules.index(line.rule) for line in lines)
    return (
        pricing.subsidy_fen,
        sum(line.amount_fen for line in pricing.operator_lines),
        increment,
        [(rules.index(line.rule), line.amount_fen) for line in lines],
    )


# --- Books --------------------------------------------------------------------------------


def make_books(place: Place, meals: Meals, rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """Each canteen's costs and grants: (canteen_id, day, kind, category, fen, note)."""
    live = ~meals.voided
    served = np.zeros((CANTEENS, DAYS), np.int64)
    np.add.at(served, (meals.canteen[live], meals.day[live]), 1)
    entries: list[tuple[Any, ...]] = []
    for n in range(CANTEENS):
        size = int(served[n].mean())  # meals on an average day
        canteen_id = int(place.canteen_ids[n])
        per_meal = 600 + 25 * (n % 5)
        labor = 20_000 + 200 * size
        for day in range(DAYS):
            on = FIRST_DAY + timedelta(days=day)
            if served[n, day]:
                fen = int(per_meal * served[n, day] * rng.uniform(0.9, 1.1))
                entries.append((canteen_id, on, "cost", "ingredients", fen, "当日食材"))
                entries.append((canteen_id, on, "cost", "labor", labor, "厨师及帮工工资"))
            if on.day == 1:
                monthly = (
                    ("cost", "rent", 300_000 + 2_000 * size, "场地租金"),
                    ("cost", "utilities", int((100_000 + 800 * size) * rng.uniform(0.8, 1.2)),
                     "上月水电燃气"),
                    ("cost", "other", 20_000, "清洁消毒用品"),
                    ("grant", "operating_grant", 100_000 + 1_000 * size, "街道运营补贴"),
                )  # fmt: skip
                entries += [(canteen_id, on, *entry) for entry in monthly]
        for _ in range(int(rng.integers(1, 3))):
            on = FIRST_DAY + timedelta(days=int(rng.integers(0, DAYS)))
            fen = int(rng.integers(50, 500)) * 1_000
            entries.append((canteen_id, on, "cost", "equipment", fen, "厨房设备"))
        if n % 10 == 0:
            entries.append((canteen_id, FIRST_DAY, "grant", "startup_grant", 5_000_000, "建设补贴"))
        if rng.random() < 0.3:
            on = FIRST_DAY + timedelta(days=int(rng.integers(0, DAYS)))
            fen = int(rng.integers(20, 200)) * 1_000
            entries.append((canteen_id, on, "grant", "donation", fen, "爱心企业捐赠"))
    return entries


# --- Rows, as each database takes them ----------------------------------------------------


class Dialect:
    """What differs between the two databases when writing: dates and times as the driver
    takes them (ISO text for SQLite, where Tortoise stores them as text; ``date`` and aware
    ``datetime`` objects for asyncpg), and how SQL turns microseconds into a timestamp."""

    def __init__(self, name: str) -> None:
        self.name = name

    def day(self, value: date) -> Any:
        return value.isoformat() if self.name == "sqlite" else value

    def moment(self, value: datetime) -> Any:
        return value.isoformat(" ") if self.name == "sqlite" else value

    def timestamp(self, us: str) -> str:
        """SQL for the timestamp ``us`` microseconds after 1970 (UTC), as Tortoise writes it."""
        if self.name == "sqlite":
            return (
                f"strftime('%Y-%m-%d %H:%M:%S', {us} / 1000000, 'unixepoch')"
                f" || printf('.%06d+00:00', {us} % 1000000)"
            )
        return f"TIMESTAMPTZ 'epoch' + {us} * INTERVAL '1 microsecond'"

    @property
    def day_type(self) -> str:
        return "TEXT" if self.name == "sqlite" else "DATE"


CHUNK = 200_000
Table = tuple[str, tuple[str, ...], list[tuple[Any, ...]]]
"""(table, columns, rows)"""


def people_and_books(
    dialect: Dialect, diners: Diners, books: list[tuple[Any, ...]]
) -> Iterator[Table]:
    """Diners, their accounts and cards, and the canteens' books, as rows."""
    diner_rows = [
        (*r[:5], dialect.day(date.fromisoformat(r[5])), *r[6:15],
         *(dialect.moment(datetime.fromisoformat(t)) for t in r[15:17]), r[17])
        for r in diners.rows
    ]  # fmt: skip
    yield "diner", DINER_COLUMNS, diner_rows
    created = [r[15] for r in diner_rows]
    yield (
        "account",
        ("id", "balance_fen", "low_balance_fen", "created_at", "diner_id"),
        [(i + 1, 0, 2_000, at, i + 1) for i, at in enumerate(created)],
    )
    yield (
        "card",
        ("id", "serial", "issued_at", "diner_id"),
        [(i + 1, f"MC{i + 1:06d}-1", at, i + 1) for i, at in enumerate(created)],
    )
    now = dialect.moment(datetime(2026, 1, 5, tzinfo=UTC))
    yield (
        "finance_entry",
        ("canteen_id", "local_date", "kind", "category", "amount_fen", "note", "created_at"),
        [(c, dialect.day(on), k, cat, fen, note, now) for c, on, k, cat, fen, note in books],
    )


# Meals and their lines are expanded by SQL from a compact table of integers (``bench_meal``)
# and small lookup tables: a driver binds a few integers per meal much faster than the
# nineteen values of a meal row and the seven of each of its lines.
# -1 stands for none (no void, no manual reason).
SKELETON = (
    "id", "diner", "day", "canteen", "offering", "at_us", "void_after_us", "void_reason",
    "manual_reason", "cash", "situation", "first_line",
)  # fmt: skip


def lookups(dialect: Dialect, place: Place, meals: Meals) -> Iterator[tuple[str, str, list]]:
    """(temporary table, its columns' SQL, rows) of everything a meal row is looked up in."""
    rules = place.policy.rules
    pricings = meals.pricings
    yield (
        "bench_day",
        f'"idx" INTEGER PRIMARY KEY, "day" {dialect.day_type}',
        [(d, dialect.day(FIRST_DAY + timedelta(days=d))) for d in range(DAYS)],
    )
    yield (
        "bench_canteen",
        '"idx" INTEGER PRIMARY KEY, "id" INT, "cashier" INT',
        list(
            zip(
                range(CANTEENS), place.canteen_ids.tolist(), place.cashier_ids.tolist(), strict=True
            )
        ),
    )
    yield (
        "bench_offering",
        '"idx" INTEGER PRIMARY KEY, "id" INT, "price" BIGINT, "meal_type" TEXT',
        [
            (i, int(o), int(p), MEAL_TYPES[int(t)])
            for i, (o, p, t) in enumerate(
                zip(place.offering_ids, place.offering_price, place.offering_type, strict=True)
            )
        ],
    )
    yield (
        "bench_reason",
        '"idx" INTEGER PRIMARY KEY, "text" TEXT',
        [*enumerate(VOID_REASONS), *((100 + i, r) for i, r in enumerate(MANUAL_REASONS))],
    )
    yield (
        "bench_rule",
        '"idx" INTEGER PRIMARY KEY, "code" TEXT, "label" TEXT, "funder" TEXT, "pays" TEXT',
        [(i, r.code, r.label, r.funder, r.pays) for i, r in enumerate(rules)],
    )
    yield (
        "bench_situation",
        '"idx" INTEGER PRIMARY KEY, "subsidy" BIGINT, "operator_subsidy" BIGINT',
        list(
            zip(
                range(len(pricings.counts)),
                pricings.subsidy.tolist(),
                pricings.operator_subsidy.tolist(),
                strict=True,
            )
        ),
    )
    situation = np.repeat(np.arange(len(pricings.counts)), pricings.counts)
    position = np.arange(len(situation)) - np.repeat(pricings.starts, pricings.counts)
    yield (
        "bench_situation_line",
        '"situation" INT, "pos" INT, "rule" INT, "amount" BIGINT, PRIMARY KEY ("situation", "pos")',
        list(
            zip(
                situation.tolist(),
                position.tolist(),
                pricings.rule.tolist(),
                pricings.amount.tolist(),
                strict=True,
            )
        ),
    )


def skeleton(meals: Meals) -> Iterator[list[tuple[int, ...]]]:
    """The ``bench_meal`` rows, in chunks."""
    lines = meals.lines
    first_line = np.cumsum(lines) - lines + 1
    for start in range(0, len(meals), CHUNK):
        s = slice(start, start + CHUNK)
        voided, manual = meals.voided[s], meals.manual[s]
        columns = (
            np.arange(start + 1, start + 1 + len(voided)),
            meals.diner[s] + 1,
            meals.day[s],
            meals.canteen[s],
            meals.offering[s],
            meals.at_us[s],
            np.where(voided, meals.void_after_us[s], -1),
            np.where(voided, meals.void_reason[s], -1),
            np.where(manual, meals.manual_reason[s] + 100, -1),
            meals.cash[s].astype(int),
            meals.situation[s],
            first_line[s],
        )
        yield np.column_stack(columns).tolist()


def expand(dialect: Dialect, policy_id: int) -> list[str]:
    """The statements that write ``meal`` and ``subsidy_line`` from the skeleton."""
    at = dialect.timestamp('b."at_us"')
    voided_at = dialect.timestamp('(b."at_us" + b."void_after_us")')
    meal_columns = (
        "id", "meal_type", "price_fen", "subsidy_fen", "pay_fen", "operator_subsidy_fen",
        "payment", "local_date", "at", "manual_reason", "voided_at", "void_reason", "canteen_id",
        "card_id", "diner_id", "offering_id", "policy_id", "sold_by_id", "voided_by_id",
    )  # fmt: skip
    names = ", ".join(f'"{c}"' for c in meal_columns)
    return [
        f'INSERT INTO "meal" ({names})'  # noqa: S608
        ' SELECT b."id", o."meal_type", o."price", s."subsidy", o."price" - s."subsidy",'
        " s.\"operator_subsidy\", CASE WHEN b.\"cash\" = 1 THEN 'cash' ELSE 'account' END,"
        f' d."day", {at}, mr."text",'
        f' CASE WHEN b."void_after_us" < 0 THEN NULL ELSE {voided_at} END, vr."text",'
        ' c."id", CASE WHEN b."manual_reason" < 0 THEN b."diner" END, b."diner",'
        f' o."id", {int(policy_id)}, c."cashier",'
        ' CASE WHEN b."void_after_us" < 0 THEN NULL ELSE c."cashier" END'
        ' FROM "bench_meal" b'
        ' JOIN "bench_offering" o ON o."idx" = b."offering"'
        ' JOIN "bench_situation" s ON s."idx" = b."situation"'
        ' JOIN "bench_canteen" c ON c."idx" = b."canteen"'
        ' JOIN "bench_day" d ON d."idx" = b."day"'
        ' LEFT JOIN "bench_reason" mr ON mr."idx" = b."manual_reason"'
        ' LEFT JOIN "bench_reason" vr ON vr."idx" = b."void_reason"'
        ' ORDER BY b."id"',
        'INSERT INTO "subsidy_line" ("id", "rule", "label", "funder", "amount_fen", "pays",'
        ' "meal_id")'
        ' SELECT b."first_line" + l."pos", r."code", r."label", r."funder", l."amount",'
        ' r."pays", b."id"'
        ' FROM "bench_meal" b'
        ' JOIN "bench_situation_line" l ON l."situation" = b."situation"'
        ' JOIN "bench_rule" r ON r."idx" = l."rule"'
        ' ORDER BY b."id", l."pos"',
    ]


def backfill_statement(dialect: str) -> str:
    """The ``INSERT INTO "claim_day" ..`` of the migration that made the table."""
    path = next((db.MIGRATIONS_DIR / "models").glob("4_*.py"))
    spec = importlib.util.spec_from_file_location("claims_migration", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.UPGRADE[dialect]
    return text[text.index('INSERT INTO "claim_day"') :].strip()


# --- Writing ------------------------------------------------------------------------------


def generate(place: Place, target: int) -> tuple[Diners, Meals, list[tuple[Any, ...]]]:
    """The diners, the year's meals (priced), and the books, for about ``target`` meals."""
    assert all(rule.monthly_limit is None for rule in place.policy.rules)  # usage is per day
    rng = np.random.default_rng(SEED)
    diners = make_diners(max(1, math.ceil(target / MEALS_PER_DINER)), place, rng)
    meals = make_meals(target, place, diners, rng)
    return diners, meals, make_books(place, meals, rng)


def _insert(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})'  # noqa: S608


class Steps:
    """Seconds taken by each step of the writing, for the benchmark's output."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def done(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] = self.seconds.get(step, 0.0) + now - self._last
        self._last = now

    def __str__(self) -> str:
        return ", ".join(f"{step} {s:.1f} s" for step, s in self.seconds.items())


def write_sqlite(
    path: str, place: Place, diners: Diners, meals: Meals, books: list, steps: Steps
) -> None:
    """Everything into the migrated SQLite file, in one transaction, indexes built after.

    The file is a scratch copy until it is complete (the caller renames it): no journal.
    """
    dialect = Dialect("sqlite")
    con = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "cache_size=-1000000",
            "temp_store=MEMORY",
        ):
            con.execute(f"PRAGMA {pragma}")
        con.execute("BEGIN")
        indexes = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN ('meal', 'subsidy_line')"
        ).fetchall()
        for name, _ in indexes:
            con.execute(f'DROP INDEX "{name}"')
        for table, columns, chunk in people_and_books(dialect, diners, books):
            con.executemany(_insert(table, columns), chunk)
        steps.done("diners and books")
        for table, ddl, chunk in lookups(dialect, place, meals):
            con.execute(f'CREATE TEMP TABLE "{table}" ({ddl})')
            marks = ", ".join("?" * len(chunk[0]))
            con.executemany(f'INSERT INTO "{table}" VALUES ({marks})', chunk)  # noqa: S608
        con.execute(
            'CREATE TEMP TABLE "bench_meal" ("id" INTEGER PRIMARY KEY, '
            + ", ".join(f'"{c}" INT' for c in SKELETON[1:])
            + ")"
        )
        for chunk in skeleton(meals):
            con.executemany(_insert("bench_meal", SKELETON), chunk)
        steps.done("meal skeleton")
        for statement, step in zip(
            expand(dialect, place.policy_id), ("meals", "lines"), strict=True
        ):
            con.execute(statement)
            steps.done(step)
        for _, sql in indexes:
            con.execute(sql)
        steps.done("indexes")
        con.execute(backfill_statement("sqlite"))
        steps.done("claim_day backfill")
        con.execute("COMMIT")
        con.execute("PRAGMA journal_mode=WAL")
    finally:
        con.close()


SEQUENCED = ("diner", "account", "card", "meal", "subsidy_line", "finance_entry", "claim_day")


async def write_postgres(url: str, place: Place, diners: Diners, meals: Meals, books: list) -> None:
    """Everything by COPY and the same expanding statements, in one transaction; then the
    sequences moved past the ids written, and ANALYZE (as autovacuum does to a live database)."""
    dialect = Dialect("postgres")
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        async with conn.transaction():
            for table, columns, chunk in people_and_books(dialect, diners, books):
                await conn.copy_records_to_table(table, records=chunk, columns=list(columns))
            for table, ddl, chunk in lookups(dialect, place, meals):
                await conn.execute(f'CREATE TEMP TABLE "{table}" ({ddl}) ON COMMIT DROP')
                await conn.copy_records_to_table(table, records=chunk)
            await conn.execute(
                'CREATE TEMP TABLE "bench_meal" ("id" BIGINT PRIMARY KEY, '
                + ", ".join(f'"{c}" BIGINT' for c in SKELETON[1:])
                + ") ON COMMIT DROP"
            )
            for chunk in skeleton(meals):
                await conn.copy_records_to_table("bench_meal", records=chunk)
            for statement in expand(dialect, place.policy_id):
                await conn.execute(statement)
            await conn.execute(backfill_statement("postgres"))
            for table in SEQUENCED:
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"  # noqa: S608
                    f' (SELECT coalesce(max("id"), 0) + 1 FROM "{table}"), false)'
                )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


# --- The generated district, cached as a SQLite file, or written into PostgreSQL -----------

CACHE = Path(__file__).resolve().parent.parent / "var" / "bench"
"""Where generated SQLite files are kept between runs (``var/`` is git-ignored)."""


@dataclass
class Facts:
    """What was generated, for the benchmark's output."""

    meals: int
    lines: int
    diners: int
    canteens: int
    voided: int
    month: str
    """The busiest month (most live meals)."""
    month_meals: int
    month_lines: int
    """Live meals and their subsidy lines in that month."""
    seconds: float
    steps: str


def facts_of(meals: Meals, diners: Diners, seconds: float, steps: Steps) -> Facts:
    live = ~meals.voided
    month = (np.datetime64(FIRST_DAY) + meals.day.astype("timedelta64[D]")).astype("datetime64[M]")
    months, per_month = np.unique(month[live], return_counts=True)
    busiest = months[int(np.argmax(per_month))]
    in_month = live & (month == busiest)
    return Facts(
        meals=len(meals),
        lines=int(meals.lines.sum()),
        diners=len(diners.rows),
        canteens=CANTEENS,
        voided=int(meals.voided.sum()),
        month=str(busiest),
        month_meals=int(in_month.sum()),
        month_lines=int(meals.lines[in_month].sum()),
        seconds=seconds,
        steps=str(steps),
    )


async def _migrate(url: str) -> None:
    # In a task of its own: aerich leaves its closed context in the calling task's variables.
    await asyncio.create_task(db.migrate(url))


async def sqlite_district(target: int, fresh: bool = False) -> tuple[Path, Facts, bool]:
    """The cached SQLite file of about ``target`` meals, generated when missing (or ``fresh``):
    (path, facts, whether it was reused). A reused file is brought to the newest migration."""
    path = CACHE / f"district-{target}-v{VERSION}.sqlite3"
    about = path.with_name(path.name + ".json")
    if path.exists() and about.exists() and not fresh:
        await _migrate(f"sqlite://{path}")
        return path, Facts(**json.loads(about.read_text())), True
    CACHE.mkdir(parents=True, exist_ok=True)
    for old in CACHE.glob(f"district-{target}-v*"):
        old.unlink()
    partial = path.with_name(path.name + ".partial")
    started = time.perf_counter()
    await _migrate(f"sqlite://{partial}")
    place = await make_place(f"sqlite://{partial}")
    steps = Steps()
    diners, meals, books = generate(place, target)
    steps.done("draw and price")
    write_sqlite(str(partial), place, diners, meals, books, steps)
    os.replace(partial, path)
    found = facts_of(meals, diners, time.perf_counter() - started, steps)
    about.write_text(json.dumps(asdict(found)))
    return path, found, False


async def postgres_district(url: str, target: int) -> Facts:
    """The same district written into the migrated, empty PostgreSQL database ``url``."""
    started = time.perf_counter()
    place = await make_place(url)
    steps = Steps()
    diners, meals, books = generate(place, target)
    steps.done("draw and price")
    await write_postgres(url, place, diners, meals, books)
    steps.done("write")
    return facts_of(meals, diners, time.perf_counter() - started, steps)
