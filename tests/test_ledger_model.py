"""The ledger model test: random histories of everything that moves money, invariants after each.

A hypothesis state machine enrols diners, tops up, sells by card and by hand, voids, revokes
and re-issues cards, suspends diners, adopts policies and lets days pass, all through the
services. After every step: each balance equals its ledger sum and is never negative, money
is conserved, no rule went over its limit, and every live meal's subsidy lines add up to
what it says.

One rule per use case: a new way of moving money (a correction, a refund, a claim and its
payment) is one more ``@rule`` method, counted like the others.

Every history starts from an empty database, so a failing one replays the same when
hypothesis shrinks it, and the shortest history that breaks is what the failure prints.
``make test`` runs 250 steps on each database (5 histories of 50); ``make soak`` runs
``CANTEEN_SOAK_STEPS`` = 100,000 on each (2,000 histories of 50 steps). The soak summary
says how many steps ran, how often each rule ran and what the services refused.
"""

import asyncio
import functools
import graphlib
import math
import os
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
)
from tortoise import Tortoise
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from canteen import clock, db
from canteen.accounts import service as accounts
from canteen.accounts.invariants import ledger_violations
from canteen.auth import passwords
from canteen.auth import service as auth
from canteen.canteens import service as canteens
from canteen.cards import service as cards
from canteen.checkout import service as checkout
from canteen.diners import service as diners
from canteen.errors import CanteenError
from canteen.policies import service as policies
from tests.conftest import make_user
from tests.factories import id_number

ON_EACH_DATABASE = [
    pytest.param(kind, marks=pytest.mark.xdist_group(kind)) for kind in ("sqlite", "postgres")
]
"""``make soak`` runs with ``--dist loadgroup``: one process per database, the crash test after
the ledger model on each."""
STEPS = int(os.environ.get("CANTEEN_SOAK_STEPS", "0")) or 250
STEPS_PER_HISTORY = 50
ELDER = st.tuples(st.integers(50, 100), st.booleans())
"""A diner to enrol: age, and whether on low income."""
LIMITS = {"age80": 1, "age60": 2, "poor": 3}
"""Each rule code keeps one limit in every policy, so limits can be checked across policies."""


def policy_for(day: datetime, amounts: tuple[int, int, int], stacking: str) -> dict:
    return {
        "name": f"policy from {day.date()}",
        "effective_from": day.astimezone(clock.now().tzinfo or UTC).date().isoformat(),
        "stacking": stacking,
        "min_pay_fen": 100,
        "rules": [
            {
                "code": "age80",
                "label": "80+",
                "when": {"min_age": 80},
                "amount_fen": amounts[0],
                "funder": "district",
                "daily_limit": LIMITS["age80"],
            },
            {
                "code": "age60",
                "label": "60+",
                "when": {"min_age": 60},
                "amount_fen": amounts[1],
                "funder": "street",
                "daily_limit": LIMITS["age60"],
            },
            {
                "code": "poor",
                "label": "低保",
                "when": {"categories_any": ["low_income"]},
                "percent": 50,
                "max_fen": amounts[2],
                "funder": "city",
                "monthly_limit": LIMITS["poor"],
            },
            {
                "code": "op",
                "label": "让利",
                "when": {"min_age": 60},
                "amount_fen": 50,
                "funder": "operator",
                "stack_always": True,
            },
        ],
    }


@dataclass
class Tally:
    """What a run did, for the soak summary: steps, each rule's runs, the services' refusals."""

    histories: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)

    @property
    def steps(self) -> int:
        return sum(self.rules.values())

    def summary(self, database: str, seconds: float) -> str:
        rules = ", ".join(f"{name} {n:,}" for name, n in self.rules.most_common())
        refused = ", ".join(f"{code} {n:,}" for code, n in self.refusals.most_common()) or "none"
        return (
            f"ledger model on {database}: {self.steps:,} steps in {self.histories:,} histories"
            f" of up to {STEPS_PER_HISTORY}, {seconds:,.0f} s\n"
            f"  rules run: {rules}\n  refused by the services (a 4xx, as they should): {refused}"
        )


def counted(step: Callable[..., Any]) -> Callable[..., Any]:
    """Count each run of a rule in the machine's tally (hypothesis counts none)."""

    @functools.wraps(step)
    def run(self: "Ledger", **arguments: Any) -> Any:
        self.tally.rules[step.__name__] += 1
        return step(self, **arguments)

    return run


class Ledger(RuleBasedStateMachine):
    """One canteen's life, compressed; ``self.run`` drives the services on the test's loop."""

    loop: asyncio.AbstractEventLoop
    dialect: str
    tally: Tally
    diners = Bundle("diners")
    meals = Bundle("meals")

    @initialize(target=diners, elders=st.lists(ELDER, min_size=1, max_size=4))
    @counted
    def open_canteen(self, elders: list[tuple[int, bool]]) -> Any:
        """An empty database, a canteen with its price list and cashier, its first diners."""
        self.tally.histories += 1
        self.day = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai, lunch
        self.cards: dict[int, str] = {}
        self.answers: dict[int, str] = {}
        """What each elder knows: the last 4 of their ID number."""
        self.live_cards: set[int] = set()
        self.policy_days: set[date] = set()
        self.served = False
        self.wait(_empty_database(self.dialect))
        self.run(self._open())
        return multiple(*(self.run(self._enrol(age, poor)) for age, poor in elders))

    def run(self, work: Coroutine[Any, Any, Any]) -> Any:
        with clock.frozen_at(self.day):
            return self.wait(work)

    def wait(self, work: Coroutine[Any, Any, Any]) -> Any:
        """Run on the database's loop; hypothesis drives the machine from a thread of its own."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    async def _open(self) -> None:
        self.admin = auth.actor_of(
            await auth.create_user(None, username="admin", password="long enough", role="admin")
        )
        canteen = await canteens.create_canteen(
            None, name="A", timezone=None, default_timezone="Asia/Shanghai"
        )
        self.canteen_id = canteen.id
        self.cashier = auth.actor_of(
            await auth.create_user(
                None,
                username="cashier",
                password="long enough",
                role="cashier",
                canteen_id=canteen.id,
            )
        )
        self.offerings = [
            (
                await canteens.create_offering(
                    self.admin, canteen.id, name=f"餐{p}", meal_type="lunch", price_fen=p, tags=[]
                )
            ).id
            for p in (0, 300, 1200, 2500)
        ]

    @rule(target=diners, elder=ELDER)
    @counted
    def enrol(self, elder: tuple[int, bool]) -> int:
        age, poor = elder
        return self.run(self._enrol(age, poor))

    async def _enrol(self, age: int, poor: bool) -> int:
        """A diner of this age (on low income if ``poor``) with 50 yuan and a card."""
        number = id_number(f"{2026 - age}0101")
        diner = await diners.enrol(
            None, name="食客", id_number=number, categories=["low_income"] if poor else []
        )
        await accounts.top_up(self.admin, diner.id, amount_fen=5000, method="cash")
        self.cards[diner.id] = cards.payload_of(await cards.issue(self.admin, diner.id))
        self.live_cards.add(diner.id)
        self.answers[diner.id] = number[-4:]
        return diner.id

    @rule(diner=diners, amount=st.integers(1, 20_000))
    @counted
    def top_up(self, diner: int, amount: int) -> None:
        self.run(
            self._tolerate(accounts.top_up(self.admin, diner, amount_fen=amount, method="cash"))
        )

    @rule(
        target=meals,
        diner=diners,
        dish=st.integers(0, 3),
        payment=st.sampled_from(["account", "cash"]),
    )
    @counted
    def sell_by_card(self, diner: int, dish: int, payment: str) -> Any:
        return self._sell(checkout.Who(card_payload=self.cards[diner]), dish, payment)

    @rule(
        target=meals,
        diner=diners,
        dish=st.integers(0, 3),
        payment=st.sampled_from(["account", "cash"]),
        right_answer=st.booleans(),
    )
    @counted
    def sell_by_hand(self, diner: int, dish: int, payment: str, right_answer: bool) -> Any:
        """A card left at home: found by hand, the elder says the last 4 of their ID number."""
        known = self.answers[diner]
        answer = known if right_answer else ("1111" if known == "0000" else "0000")
        who = checkout.Who(diner_id=diner, manual_reason="card_forgotten", answer=answer)
        return self._sell(who, dish, payment)

    def _sell(self, who: checkout.Who, dish: int, payment: str) -> Any:
        """The new meal's id for the ``meals`` bundle, or nothing when the sale is refused."""
        self.served = True
        order = checkout.Order(self.canteen_id, self.offerings[dish])
        sale = self.run(
            self._tolerate(
                checkout.retrying(lambda: checkout.sell(self.cashier, who, order, payment))
            )
        )
        return multiple() if sale is None else sale.meal.id

    @rule(meal=consumes(meals))
    @counted
    def void(self, meal: int) -> None:
        self.run(self._tolerate(checkout.void(self.admin, meal, "test")))

    @precondition(lambda self: self.live_cards)
    @rule(data=st.data())
    @counted
    def revoke_card(self, data: st.DataObject) -> None:
        """A card is lost; the elder keeps coming, by hand, until a new one is issued."""
        diner = data.draw(st.sampled_from(sorted(self.live_cards)), label="diner")

        async def go() -> None:
            card, _ = await cards.resolve(self.cards[diner])
            await cards.revoke(self.admin, card.id, "lost")
            self.live_cards.discard(diner)

        self.run(self._tolerate(go()))

    @precondition(lambda self: self.live_cards != set(self.cards))
    @rule(data=st.data())
    @counted
    def reissue_card(self, data: st.DataObject) -> None:
        diner = data.draw(st.sampled_from(sorted(set(self.cards) - self.live_cards)), label="diner")

        async def go() -> None:
            self.cards[diner] = cards.payload_of(await cards.issue(self.admin, diner))
            self.live_cards.add(diner)

        self.run(self._tolerate(go()))

    @rule(diner=diners, status=st.sampled_from(["active", "suspended"]))
    @counted
    def change_status(self, diner: int, status: str) -> None:
        self.run(diners.update(self.admin, diner, {"status": status}))

    @precondition(lambda self: self.day.date() not in self.policy_days)
    @rule(
        amounts=st.tuples(st.integers(1, 2000), st.integers(1, 2000), st.integers(1, 2000)),
        stacking=st.sampled_from(["highest", "sum"]),
    )
    @counted
    def adopt_policy(self, amounts: tuple[int, int, int], stacking: str) -> None:
        """A new policy from today (one a day: a second is refused as ``policy_exists``)."""
        self.run(self._tolerate(policies.create(None, policy_for(self.day, amounts, stacking))))
        self.policy_days.add(self.day.date())

    @precondition(lambda self: self.served)
    @rule(days=st.integers(1, 40))
    @counted
    def days_pass(self, days: int) -> None:
        """After the counter has served (else hypothesis, which favours this rule, would let
        whole histories go by with nothing sold)."""
        self.day += timedelta(days=days)
        self.served = False

    async def _tolerate(self, work: Coroutine[Any, Any, Any]) -> Any:
        """Refusals (no money, a revoked card, a policy that day) are fine, and counted.

        A 5xx is a bug, and so is any other exception.
        """
        try:
            return await work
        except CanteenError as exc:
            assert exc.status < 500, exc
            self.tally.refusals[exc.code] += 1
            return None

    @invariant()
    def books_balance(self) -> None:
        """Every check after every step: the ledger's own (``canteen check-ledger``), then the
        model's in one query rather than six (the checks were half of a step's time)."""
        self.wait(_books_balance(self.dialect))


async def _books_balance(dialect: str) -> None:
    assert await ledger_violations() == []
    rows = await Tortoise.get_connection(dialect).execute_query_dict(BOOKS_BROKEN)
    assert rows == [dict.fromkeys(rows[0], 0)], rows


_LIMIT = " ".join(f"WHEN '{code}' THEN {n}" for code, n in LIMITS.items())
BOOKS_BROKEN = f"""
SELECT
  (SELECT COALESCE(SUM(balance_fen), 0) FROM account)
  - (SELECT COALESCE(SUM(amount_fen), 0) FROM topup)
  + (SELECT COALESCE(SUM(pay_fen), 0) FROM meal WHERE payment = 'account' AND voided_at IS NULL)
    AS money_unaccounted_fen,
  (SELECT COUNT(*) FROM (
     SELECT rule, COUNT(*) AS taken FROM limit_use GROUP BY diner_id, rule, period
   ) AS used WHERE taken > CASE rule {_LIMIT} ELSE 0 END)
    AS limits_exceeded,
  (SELECT COUNT(*) FROM limit_use JOIN meal ON meal.id = limit_use.meal_id
   WHERE meal.voided_at IS NOT NULL)
    AS slots_still_held_by_voided_meals,
  (SELECT COUNT(*) FROM meal WHERE price_fen <> subsidy_fen + pay_fen OR pay_fen < 0)
    AS meals_price_not_subsidy_plus_pay,
  (SELECT COUNT(*) FROM meal WHERE
     subsidy_fen <> (SELECT COALESCE(SUM(amount_fen), 0) FROM subsidy_line
                     WHERE meal_id = meal.id AND pays = 'diner')
     OR operator_subsidy_fen <> (SELECT COALESCE(SUM(amount_fen), 0) FROM subsidy_line
                                 WHERE meal_id = meal.id AND pays = 'operator'))
    AS meals_lines_not_adding_up,
  (SELECT COUNT(*) FROM subsidy_line WHERE amount_fen <= 0)
    AS lines_of_nothing
"""
"""What would break the books, each counted (all zero when they balance), in one query: money
is conserved (the accounts hold what was topped up less what live meals took from them), no
rule went over its limit, a void freed its meal's slots, and each meal's price is its subsidy
plus its pay, with subsidy lines adding up to its subsidies."""


_DELETION_ORDER: dict[str, list[str]] = {}
"""Per dialect, the tables (not the migrations' record) with each child before its parents."""

_FOREIGN_KEYS = {
    "sqlite": (
        'SELECT t.name AS child, fk."table" AS parent FROM sqlite_master t'
        " LEFT JOIN pragma_foreign_key_list(t.name) fk"
        " WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%'"
    ),
    "postgres": (
        "SELECT t.tablename AS child, parent.relname AS parent FROM pg_tables t"
        " LEFT JOIN pg_constraint c ON c.contype = 'f' AND c.conrelid = t.tablename::regclass"
        " LEFT JOIN pg_class parent ON parent.oid = c.confrelid WHERE t.schemaname = 'public'"
    ),
}
_RESTART_IDS = {
    "sqlite": "DELETE FROM sqlite_sequence",
    "postgres": "SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'",
}


async def _empty_database(dialect: str) -> None:
    """Delete every row and restart the ids: each history starts where the first one did.

    Rows are deleted child tables first, which on PostgreSQL is twenty times faster than
    TRUNCATE for a history's few rows (TRUNCATE makes new files for every table and index).
    """
    conn = Tortoise.get_connection(dialect)
    if dialect not in _DELETION_ORDER:
        children: dict[str, set[str]] = {}
        for row in await conn.execute_query_dict(_FOREIGN_KEYS[dialect]):
            children.setdefault(row["child"], set())
            if row["parent"] and row["parent"] != row["child"]:
                children.setdefault(row["parent"], set()).add(row["child"])
        order = graphlib.TopologicalSorter(children).static_order()
        _DELETION_ORDER[dialect] = [table for table in order if table != "aerich"]
    async with in_transaction(dialect) as tx:
        for table in _DELETION_ORDER[dialect]:
            await tx.execute_query(f'DELETE FROM "{table}"')
        await tx.execute_query(_RESTART_IDS[dialect])


def _run_histories(tally: Tally) -> None:
    """Run histories until ``STEPS`` steps have run (hypothesis may end a history early)."""
    while tally.steps < STEPS:
        Ledger.TestCase.settings = settings(
            max_examples=math.ceil((STEPS - tally.steps) / STEPS_PER_HISTORY),
            stateful_step_count=STEPS_PER_HISTORY,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        Ledger.TestCase().runTest()


@pytest.fixture
def quick_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The model's admin and cashier never log in; each history makes both, 4,000 a soak."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@asynccontextmanager
async def commits_not_waiting_for_the_disk(database_url: str) -> AsyncIterator[None]:
    """Connected to ``database_url`` with commits that do not wait for the disk to flush.

    The model tests what the services do, not whether a commit outlives a power cut (the crash
    test keeps every commit durable): SQLite's ``synchronous`` goes from FULL to NORMAL, and
    PostgreSQL's ``synchronous_commit`` off for this database while the model runs. Every
    step commits several times, and on the busy test machine a PostgreSQL commit took 7.5 ms
    waiting for the disk, 3.5 ms not waiting.
    """
    if database_url.startswith("sqlite"):
        async with db.database(database_url, pool_size=1):
            await Tortoise.get_connection("sqlite").execute_script("PRAGMA synchronous = NORMAL")
            yield
        return
    await _alter_database(database_url, "SET synchronous_commit = off")
    try:
        async with db.database(database_url, pool_size=2):
            yield
    finally:
        await _alter_database(database_url, "RESET synchronous_commit")


async def _alter_database(database_url: str, change: str) -> None:
    """A default for the connections opened afterwards (an open pool's keep theirs)."""
    conn = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(f'ALTER DATABASE "{database_url.rpartition("/")[2]}" {change}')
    finally:
        await conn.close()


@pytest.mark.parametrize("database_url", ON_EACH_DATABASE, indirect=True)
@pytest.mark.usefixtures("quick_password_hashes")
async def test_random_histories_keep_every_invariant(database_url: str, record_property) -> None:
    """The services run on this loop; the state machine drives them from a worker thread."""
    Ledger.loop = asyncio.get_running_loop()
    Ledger.dialect = "sqlite" if database_url.startswith("sqlite") else "postgres"
    Ledger.tally = Tally()
    started = time.monotonic()
    try:
        async with commits_not_waiting_for_the_disk(database_url):
            await asyncio.to_thread(_run_histories, Ledger.tally)
    finally:
        record_property("soak", Ledger.tally.summary(Ledger.dialect, time.monotonic() - started))


TAMPERINGS = {
    "money_unaccounted_fen": (
        "UPDATE topup SET amount_fen = amount_fen + 1",
        "UPDATE topup SET amount_fen = amount_fen - 1",
    ),
    "limits_exceeded": (
        "INSERT INTO limit_use (diner_id, rule, period, slot, meal_id)"
        " SELECT diner_id, rule, period, slot + 10, meal_id FROM limit_use WHERE rule = 'age80'",
        "DELETE FROM limit_use WHERE slot >= 10",
    ),
    "slots_still_held_by_voided_meals": (
        "UPDATE meal SET voided_at = at, void_reason = 'tampered'",
        "UPDATE meal SET voided_at = NULL, void_reason = NULL",
    ),
    "meals_price_not_subsidy_plus_pay": (
        "UPDATE meal SET price_fen = price_fen + 1",
        "UPDATE meal SET price_fen = price_fen - 1",
    ),
    "meals_lines_not_adding_up": (
        "UPDATE subsidy_line SET amount_fen = amount_fen + 1 WHERE pays = 'diner'",
        "UPDATE subsidy_line SET amount_fen = amount_fen - 1 WHERE pays = 'diner'",
    ),
    "lines_of_nothing": (
        "UPDATE subsidy_line SET amount_fen = -amount_fen",
        "UPDATE subsidy_line SET amount_fen = -amount_fen",
    ),
}
"""For each count of ``BOOKS_BROKEN``, a way to break the books of one sale, and its undoing."""


@pytest.mark.parametrize("database_url", ON_EACH_DATABASE, indirect=True)
async def test_the_books_check_sees_every_kind_of_break(database: str) -> None:
    """A check that never fires proves nothing: each tampering with a sale is counted, unless
    the schema itself refuses it."""
    dialect = "sqlite" if database.startswith("sqlite") else "postgres"
    day = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
    with clock.frozen_at(day):
        admin = await make_user("admin")
        canteen = await canteens.create_canteen(
            None, name="A", timezone=None, default_timezone="Asia/Shanghai"
        )
        offering = await canteens.create_offering(
            admin, canteen.id, name="午餐", meal_type="lunch", price_fen=1200, tags=[]
        )
        cashier = await make_user("cashier", canteen_id=canteen.id)
        await policies.create(None, policy_for(day, (300, 200, 400), "sum"))
        diner = await diners.enrol(None, name="食客", id_number=id_number("19400101"))
        await accounts.top_up(admin, diner.id, amount_fen=5000, method="cash")
        card = cards.payload_of(await cards.issue(admin, diner.id))
        await checkout.sell(
            cashier,
            checkout.Who(card_payload=card),
            checkout.Order(canteen.id, offering.id),
            "account",
        )
    conn = Tortoise.get_connection(dialect)

    async def broken() -> dict[str, int]:
        return {
            name: int(n) for name, n in (await conn.execute_query_dict(BOOKS_BROKEN))[0].items()
        }

    assert set((await broken()).values()) == {0}
    assert set(TAMPERINGS) == set(await broken())
    refused_by_the_schema = []
    for count, (tamper, undo) in TAMPERINGS.items():
        try:
            await conn.execute_query(tamper)
        except IntegrityError:  # a CHECK constraint already makes this break impossible
            refused_by_the_schema.append(count)
            continue
        assert (await broken())[count] != 0, count
        await conn.execute_query(undo)
    assert set((await broken()).values()) == {0}
    assert len(refused_by_the_schema) < len(TAMPERINGS), refused_by_the_schema
