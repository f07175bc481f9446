"""The ledger model test: random histories of everything that moves money, invariants after each.

A hypothesis state machine enrols diners, tops up, refunds and adjusts balances, sells by card
and by hand at two canteens, orders lunches ahead (to eat in, handed over when the card is
scanned, or brought home) and cancels them or lets them be missed, voids, revokes and
re-issues cards, suspends diners, adopts
policies, lets days pass, and claims the finished months' subsidies from their funders (drafts
for all canteens or one, submits, approves, records payments, short or over with ``confirm``,
and reverses them), all through the services. After every step: each balance equals its ledger
sum and is never negative, money is conserved, no rule went over its limit, every live meal's
subsidy lines add up to what it says, the claims' roll-up equals the live lines, no meal's
subsidy line is in two live claims, a frozen claim is its lines at submission (less the later
voids raised against it), and what was paid less what was reversed is what the claim says it
was paid. And every fulfilled order was handed over by exactly one meal, and no other order
by any.

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
from canteen.claims import service as claims
from canteen.claims.models import ClaimPayment
from canteen.diners import service as diners
from canteen.errors import AmountMismatch, CanteenError
from canteen.orders import menus
from canteen.orders import service as orders
from canteen.policies import service as policies
from canteen.roles import SYSTEM, Actor
from tests.conftest import make_user
from tests.factories import id_number

ON_EACH_DATABASE = [
    pytest.param(kind, marks=pytest.mark.xdist_group(kind)) for kind in ("sqlite", "postgres")
]
"""``make soak`` runs with ``--dist loadgroup``: one process per database, the crash test after
the ledger model on each."""
STEPS = int(os.environ.get("CANTEEN_SOAK_STEPS", "0")) or 250
STEPS_PER_HISTORY = 50
VACUUM_EVERY = 50
"""Histories between two ``VACUUM ANALYZE`` on PostgreSQL. Each history deletes its rows, and
the test server runs without autovacuum: the dead rows piled up (26,000 in the audit log after
500 histories), every scan read them, and the planner's estimates grew with the tables' size."""
ELDER = st.tuples(st.integers(50, 100), st.booleans())
"""A diner to enrol: age, and whether on low income."""
LIMITS = {"age80": 1, "age60": 2, "poor": 3}
"""Each rule code keeps one limit in every policy, so limits can be checked across policies."""
FIRST_DAY = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
"""Every history opens on this day, at 12:00 in Shanghai (lunch); ``days_pass`` moves on."""
COUNTERS = st.integers(0, 1)
"""At which of the two canteens a meal is sold (a claim covers all canteens or one)."""


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
    orders = Bundle("orders")

    @initialize(target=diners, elders=st.lists(ELDER, min_size=1, max_size=4))
    @counted
    def open_canteen(self, elders: list[tuple[int, bool]]) -> Any:
        """An empty database, two canteens with their price lists and cashiers, first diners."""
        self.tally.histories += 1
        self.day = FIRST_DAY
        self.cards: dict[int, str] = {}
        self.answers: dict[int, str] = {}
        """What each elder knows: the last 4 of their ID number."""
        self.live_cards: set[int] = set()
        self.policy_days: set[date] = set()
        self.served = False
        self.claims: dict[int, str] = {}
        """Each claim's status, as the model expects it."""
        self.claim_scopes: set[tuple[str, str, int | None]] = set()
        """(month, funder, canteen or None for all) of every claim drafted."""
        self.wait(_empty_database(self.dialect))
        if self.dialect == "postgres" and self.tally.histories % VACUUM_EVERY == 0:
            self.wait(Tortoise.get_connection(self.dialect).execute_script("VACUUM ANALYZE"))
        _forget_what_the_services_cached()
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
            await auth.create_user(SYSTEM, username="admin", password="long enough", role="admin")
        )
        self.canteen_ids: list[int] = []
        self.cashiers: list[Actor] = []
        self.offerings: list[list[int]] = []
        for name in ("A", "B"):
            await self._open_counter(name)

    async def _open_counter(self, name: str) -> None:
        """A canteen, its cashier, and its price list of four lunches (one of them free)."""
        canteen = await canteens.create_canteen(
            SYSTEM, name=name, timezone=None, default_timezone="Asia/Shanghai"
        )
        self.canteen_ids.append(canteen.id)
        cashier = await auth.create_user(
            SYSTEM,
            username=f"cashier{name}",
            password="long enough",
            role="cashier",
            canteen_id=canteen.id,
        )
        self.cashiers.append(auth.actor_of(cashier))
        dishes = []
        for price in (0, 300, 1200, 2500):
            dish = await canteens.create_offering(
                self.admin,
                canteen.id,
                name=f"餐{price}",
                meal_type="lunch",
                price_fen=price,
                tags=[],
            )
            dishes.append(dish.id)
        self.offerings.append(dishes)

    @rule(target=diners, elder=ELDER)
    @counted
    def enrol(self, elder: tuple[int, bool]) -> int:
        age, poor = elder
        return self.run(self._enrol(age, poor))

    async def _enrol(self, age: int, poor: bool) -> int:
        """A diner of this age (on low income if ``poor``) with 50 yuan and a card."""
        number = id_number(f"{2026 - age}0101")
        diner = await diners.enrol(
            SYSTEM, name="食客", id_number=number, categories=["low_income"] if poor else []
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

    @rule(diner=diners, amount=st.integers(1, 20_000), method=st.sampled_from(["cash", "transfer"]))
    @counted
    def refund(self, diner: int, amount: int, method: str) -> None:
        """Money handed back to the family; more than the balance is refused, nothing moved."""
        refund = accounts.refund(
            self.admin, diner, amount_fen=amount, method=method, reference="R-1", reason="moved"
        )
        self.run(self._tolerate(refund))

    @rule(diner=diners, amount=st.integers(-20_000, 20_000).filter(bool))
    @counted
    def adjust(self, diner: int, amount: int) -> None:
        """An admin's signed correction; one below zero is refused, nothing moved."""
        self.run(
            self._tolerate(accounts.adjust(self.admin, diner, amount_fen=amount, reason="slip"))
        )

    @rule(
        target=meals,
        diner=diners,
        counter=COUNTERS,
        dish=st.integers(0, 3),
        payment=st.sampled_from(["account", "cash"]),
    )
    @counted
    def sell_by_card(self, diner: int, counter: int, dish: int, payment: str) -> Any:
        return self._sell(checkout.Who(card_payload=self.cards[diner]), counter, dish, payment)

    @rule(
        target=meals,
        diner=diners,
        counter=COUNTERS,
        dish=st.integers(0, 3),
        payment=st.sampled_from(["account", "cash"]),
        right_answer=st.booleans(),
    )
    @counted
    def sell_by_hand(
        self, diner: int, counter: int, dish: int, payment: str, right_answer: bool
    ) -> Any:
        """A card left at home: found by hand, the elder says the last 4 of their ID number."""
        known = self.answers[diner]
        answer = known if right_answer else ("1111" if known == "0000" else "0000")
        who = checkout.Who(diner_id=diner, manual_reason="card_forgotten", answer=answer)
        return self._sell(who, counter, dish, payment)

    def _sell(self, who: checkout.Who, counter: int, dish: int, payment: str) -> Any:
        """The new meal's id for the ``meals`` bundle, or nothing when the sale is refused."""
        self.served = True
        order = checkout.Order(self.canteen_ids[counter], self.offerings[counter][dish])
        cashier = self.cashiers[counter]
        sale = self.run(self._tolerate(checkout.sell(cashier, who, order, payment)))
        return multiple() if sale is None else sale.meal_id

    @rule(
        target=orders,
        diner=diners,
        counter=COUNTERS,
        dish=st.integers(0, 3),
        delivery=st.booleans(),
    )
    @counted
    def order_ahead(self, diner: int, counter: int, dish: int, delivery: bool) -> Any:
        """Tomorrow's lunch ordered from the menu (lunch orders close at 09:00 that day); no
        money moves, but the balance must cover it and the diner's other placed orders."""
        placed = self.run(self._tolerate(self._order(diner, counter, dish, delivery)))
        return multiple() if placed is None else placed.order_id

    async def _order(self, diner: int, counter: int, dish: int, delivery: bool) -> Any:
        canteen, dishes = self.canteen_ids[counter], self.offerings[counter]
        tomorrow = (self.day + timedelta(days=1)).date()
        await menus.set_menu(
            self.admin, canteen, tomorrow, {"lunch": [{"offering_id": d} for d in dishes]}
        )
        placing = orders.Placing(diner, canteen, tomorrow, "lunch", dishes[dish], delivery)
        return await orders.place(self.admin, placing)

    @rule(order=orders, payment=st.sampled_from(["account", "cash"]))
    @counted
    def hand_over(self, order: int, payment: str) -> None:
        """A delivery brought to the door, sold through the counter's sale, once; an eat-in,
        cancelled or missed order is refused."""
        self.served = True
        self.run(self._tolerate(orders.hand_over(self.admin, order, payment)))  # type: ignore[arg-type]

    @rule(order=orders)
    @counted
    def cancel_order(self, order: int) -> None:
        self.run(self._tolerate(orders.cancel(self.admin, order)))

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
        self.run(self._tolerate(policies.create(SYSTEM, policy_for(self.day, amounts, stacking))))
        self.policy_days.add(self.day.date())

    @precondition(lambda self: self.served)
    @rule(days=st.integers(1, 40))
    @counted
    def days_pass(self, days: int) -> None:
        """After the counter has served (else hypothesis, which favours this rule, would let
        whole histories go by with nothing sold). The periodic run then marks the orders
        left uncollected missed."""
        self.day += timedelta(days=days)
        self.served = False
        self.run(orders.mark_missed(self.day))

    def finished_months(self) -> list[str]:
        """The months since the first day that are over: those a claim may be drafted for."""
        months, month = [], date(FIRST_DAY.year, FIRST_DAY.month, 1)
        while month < date(self.day.year, self.day.month, 1):
            months.append(month.strftime("%Y-%m"))
            month = (month + timedelta(days=31)).replace(day=1)
        return months

    def claims_in(self, status: str) -> list[int]:
        return sorted(claim for claim, now in self.claims.items() if now == status)

    @precondition(lambda self: self.finished_months())
    @rule(
        data=st.data(),
        funder=st.sampled_from(claims.CLAIMANT_FUNDERS),
        scope=st.sampled_from([None, 0, 1]),
    )
    @counted
    def draft_claim(self, data: st.DataObject, funder: str, scope: int | None) -> None:
        """A funder's claim for a finished month, of every canteen (``None``) or one.

        Refused (409 ``claim_exists``) exactly when a claim of that month and funder already
        covers one of its canteens: no meal's subsidy may be billed twice.
        """
        month = data.draw(st.sampled_from(self.finished_months()), label="month")
        canteen = None if scope is None else self.canteen_ids[scope]
        overlapping = any(
            (m, f) == (month, funder) and (None in (c, canteen) or c == canteen)
            for m, f, c in self.claim_scopes
        )
        claim = self.run(
            self._tolerate(claims.draft(self.admin, month=month, funder=funder, canteen_id=canteen))
        )
        assert (claim is None) == overlapping, (month, funder, canteen, self.claim_scopes)
        if claim is not None:
            self.claims[claim.id] = "draft"
            self.claim_scopes.add((month, funder, canteen))

    @precondition(lambda self: self.claims_in("draft"))
    @rule(data=st.data())
    @counted
    def submit_claim(self, data: st.DataObject) -> None:
        """The figures freeze: the books check then holds them to the month's live lines."""
        claim = data.draw(st.sampled_from(self.claims_in("draft")), label="claim")
        assert self.run(claims.submit(self.admin, claim)).status == "submitted"
        self.claims[claim] = "submitted"

    @precondition(lambda self: self.claims_in("submitted"))
    @rule(data=st.data())
    @counted
    def approve_claim(self, data: st.DataObject) -> None:
        claim = data.draw(st.sampled_from(self.claims_in("submitted")), label="claim")
        assert self.run(claims.approve(self.admin, claim)).status == "approved"
        self.claims[claim] = "approved"

    @precondition(lambda self: self.claims_in("approved"))
    @rule(
        data=st.data(),
        off_by=st.sampled_from([0, 0, -1, 1, -10_000, 10_000]),
        confirm=st.booleans(),
        on_submission_day=st.booleans(),
    )
    @counted
    def record_claim_payment(
        self, data: st.DataObject, off_by: int, confirm: bool, on_submission_day: bool
    ) -> None:
        """The funder's money arrives, the claimed amount or not (never below zero).

        An amount other than the claimed one is refused unless confirmed (409
        ``amount_mismatch``), and the claim stays approved; either way no money is lost.
        """
        claim_id = data.draw(st.sampled_from(self.claims_in("approved")), label="claim")
        view = self.run(claims.get(self.admin, claim_id))
        claimed = view.claim.claimed_fen or 0
        amount = max(0, claimed + off_by)
        submitted_at = view.claim.submitted_at
        assert submitted_at is not None
        paid_on = submitted_at.astimezone(self.day.tzinfo).date()
        if not on_submission_day:
            paid_on = self.day.date()

        async def record() -> Any:
            try:
                return await claims.mark_paid(
                    self.admin, claim_id, amount_fen=amount, paid_on=paid_on, confirm=confirm
                )
            except AmountMismatch as refused:
                told = (refused.extra["claimed_fen"], refused.extra["amount_fen"])
                assert told == (claimed, amount), told
                self.tally.refusals[refused.code] += 1
                return None

        paid = self.run(record())
        assert (paid is None) == (amount != claimed and not confirm), (amount, claimed, confirm)
        if paid is not None:
            assert (paid.status, paid.paid_amount_fen, paid.paid_on) == ("paid", amount, paid_on)
            self.claims[claim_id] = "paid"

    @precondition(lambda self: self.claims_in("paid"))
    @rule(data=st.data())
    @counted
    def reverse_claim_payment(self, data: st.DataObject) -> None:
        """A payment recorded wrongly is taken back by a reversing entry; the claim is approved
        again, awaiting the right amount."""
        claim_id = data.draw(st.sampled_from(self.claims_in("paid")), label="claim")

        async def reverse() -> Any:
            payment = (
                await ClaimPayment.filter(claim_id=claim_id, kind="payment").order_by("-id").first()
            )
            assert payment is not None
            return await claims.reverse_payment(
                self.admin, claim_id, payment.id, reason="wrong amount"
            )

        assert self.run(reverse()).status == "approved"
        self.claims[claim_id] = "approved"

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
        """Every check after every step, in one query (the checks were half of a step's time):
        the ledger's own checks among them, written in SQL."""
        self.wait(_books_balance(self.dialect))

    @invariant()
    def orders_handed_over_once(self) -> None:
        conn = Tortoise.get_connection(self.dialect)
        assert self.wait(conn.execute_query_dict(ORDERS_NOT_HANDED_OVER_ONCE)) == []

    def teardown(self) -> None:
        """At each history's end, the ledger's own check (``canteen check-ledger``) as well: it
        is four queries through the ORM, which after every step took 13 of a PostgreSQL step's
        30 ms on the busy test machine."""
        assert self.wait(ledger_violations()) == []


async def _books_balance(dialect: str) -> None:
    rows = await Tortoise.get_connection(dialect).execute_query_dict(BOOKS_BROKEN[dialect])
    assert rows == [dict.fromkeys(rows[0], 0)], rows


_LIMIT = " ".join(f"WHEN '{code}' THEN {n}" for code, n in LIMITS.items())
_MONTH_OF_MEAL = {
    "sqlite": "substr(m.local_date, 1, 7)",
    "postgres": "to_char(m.local_date, 'YYYY-MM')",
}
_LIVE_LINES = "subsidy_line l JOIN meal m ON m.id = l.meal_id AND m.voided_at IS NULL"
_BOOKS_BROKEN = """
SELECT
  (SELECT COUNT(*) FROM account a WHERE a.balance_fen < 0
     OR a.balance_fen <> (SELECT COALESCE(SUM(e.amount_fen), 0) FROM ledger_entry e
                          WHERE e.account_id = a.id)
     OR a.balance_fen <> COALESCE((SELECT e.balance_after_fen FROM ledger_entry e
                                   WHERE e.account_id = a.id ORDER BY e.id DESC LIMIT 1),
                                  a.balance_fen))
    AS balances_not_their_ledger,
  (SELECT COALESCE(SUM(balance_fen), 0) FROM account)
  - (SELECT COALESCE(SUM(amount_fen), 0) FROM topup)
  + (SELECT COALESCE(SUM(pay_fen), 0) FROM meal WHERE payment = 'account' AND voided_at IS NULL)
  - (SELECT COALESCE(SUM(amount_fen), 0) FROM ledger_entry WHERE kind IN ('refund', 'adjustment'))
    AS money_unaccounted_fen,
  (SELECT COUNT(*) FROM (
     SELECT rule, COUNT(*) AS taken FROM limit_use GROUP BY diner_id, rule, period
   ) AS used WHERE taken > CASE rule {limit} ELSE 0 END)
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
    AS lines_of_nothing,
  (SELECT COUNT(*) FROM claim_day d WHERE d.subsidy_fen <> (
     SELECT COALESCE(SUM(l.amount_fen), 0) FROM {live_lines}
     WHERE m.canteen_id = d.canteen_id AND m.local_date = d.local_date
       AND l.funder = d.funder AND l.rule = d.rule AND l.pays = d.pays))
  + (SELECT COUNT(*) FROM {live_lines} WHERE NOT EXISTS (
     SELECT 1 FROM claim_day d WHERE d.canteen_id = m.canteen_id AND d.local_date = m.local_date
       AND d.funder = l.funder AND d.rule = l.rule AND d.pays = l.pays))
    AS roll_up_not_the_live_lines,
  (SELECT COUNT(*) FROM claim a JOIN claim b ON a.id < b.id AND a.month = b.month
     AND a.funder = b.funder
     AND (a.canteen_id IS NULL OR b.canteen_id IS NULL OR a.canteen_id = b.canteen_id))
    AS claims_covering_a_meal_twice,
  (SELECT COUNT(*) FROM claim c WHERE c.status <> 'draft' AND c.subsidy_fen
     + (SELECT COALESCE(SUM(a.amount_fen), 0) FROM claim_adjustment a
        WHERE a.source_claim_id = c.id)
     <> (SELECT COALESCE(SUM(l.amount_fen), 0) FROM {live_lines}
         WHERE l.funder = c.funder AND {month_of_meal} = c.month
           AND (c.canteen_id IS NULL OR m.canteen_id = c.canteen_id)))
    AS frozen_claims_not_their_lines,
  (SELECT COUNT(*) FROM claim c WHERE c.status <> 'draft' AND (
     c.adjustment_fen <> (SELECT COALESCE(SUM(a.amount_fen), 0) FROM claim_adjustment a
                          WHERE a.claim_id = c.id)
     OR c.claimed_fen <> c.subsidy_fen + c.adjustment_fen))
    AS claimed_not_subsidy_plus_adjustments,
  (SELECT COUNT(*) FROM claim_adjustment a
   JOIN claim source ON source.id = a.source_claim_id
   LEFT JOIN claim carrier ON carrier.id = a.claim_id
   WHERE a.funder <> source.funder OR source.status = 'draft'
     OR carrier.funder <> a.funder OR carrier.month <= source.month
     OR carrier.status = 'draft')
    AS adjustments_misplaced,
  (SELECT COUNT(*) FROM claim c WHERE COALESCE(c.paid_amount_fen, 0)
     <> (SELECT COALESCE(SUM(p.amount_fen), 0) FROM claim_payment p WHERE p.claim_id = c.id)
     OR (c.status = 'paid') <> EXISTS (
       SELECT 1 FROM claim_payment p WHERE p.claim_id = c.id AND p.kind = 'payment'
       AND NOT EXISTS (SELECT 1 FROM claim_payment r WHERE r.reverses_id = p.id)))
    AS payments_not_what_the_claim_says
"""
BOOKS_BROKEN = {
    dialect: _BOOKS_BROKEN.format(limit=_LIMIT, live_lines=_LIVE_LINES, month_of_meal=month_of_meal)
    for dialect, month_of_meal in _MONTH_OF_MEAL.items()
}
"""Per dialect, what would break the books, each counted (all zero when they balance), in one
query: each balance is its ledger's sum and its newest entry's, never below zero (the checks of
``canteen check-ledger``); money is conserved (the accounts hold what was topped up less what
live meals took from them); no rule went over its limit; a void freed its meal's slots; each
meal's price is its subsidy plus its pay, with subsidy lines adding up to its subsidies. And
the claims: the daily roll-up they are drawn from equals the live lines; no two claims of a
month and funder cover one canteen (so no meal's subsidy line is in two live claims); a frozen
claim is the lines it froze (those still live, plus the later voids raised against it); it
claims its subsidies plus the adjustments it carries, each carried by a later submitted claim
of its funder; and what was paid less what was reversed is what the claim says, paid exactly
when a payment stands."""


ORDERS_NOT_HANDED_OVER_ONCE = """
SELECT o.id FROM meal_order o LEFT JOIN meal m ON m.order_id = o.id
GROUP BY o.id, o.status, o.meal_id
HAVING COUNT(m.id) <> CASE WHEN o.status = 'fulfilled' THEN 1 ELSE 0 END
    OR (o.status = 'fulfilled' AND MAX(m.id) <> o.meal_id)
"""
"""The orders whose meals are not what their status says: a fulfilled order has exactly one
meal (the one it names, voided or not), any other order none."""


_DELETION_ORDER: dict[str, list[str]] = {}
"""Per dialect, the tables (not the migrations' record) with each child before its parents."""
_SELF_REFERENCES: dict[str, list[tuple[str, str]]] = {}
"""Per dialect, (table, column) of each row referring to another row of its own table (a
payment's reversal): those rows go first, as RESTRICT is checked row by row on SQLite."""

_FOREIGN_KEYS = {
    "sqlite": (
        'SELECT t.name AS child, fk."table" AS parent, fk."from" AS "column" FROM sqlite_master t'
        " LEFT JOIN pragma_foreign_key_list(t.name) fk"
        " WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%'"
    ),
    "postgres": (
        'SELECT t.tablename AS child, parent.relname AS parent, a.attname AS "column"'
        " FROM pg_tables t"
        " LEFT JOIN pg_constraint c ON c.contype = 'f' AND c.conrelid = t.tablename::regclass"
        " LEFT JOIN pg_class parent ON parent.oid = c.confrelid"
        " LEFT JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
        " WHERE t.schemaname = 'public'"
    ),
}
_RESTART_IDS = {
    "sqlite": "DELETE FROM sqlite_sequence",
    "postgres": "SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'",
}


def _forget_what_the_services_cached() -> None:
    """What the policies service keeps in memory assumes a policy is never deleted and its
    (id, created_at) never repeats; every history deletes them and restarts the ids on the same
    frozen first day. Kept, the last history's policy in force (or its parsed document) would
    price this one's meals, and a replay would differ from its first run."""
    policies._forget_in_force()
    policies._parsed.clear()


async def _empty_database(dialect: str) -> None:
    """Delete every row and restart the ids: each history starts where the first one did.

    Rows are deleted child tables first, which on PostgreSQL is twenty times faster than
    TRUNCATE for a history's few rows (TRUNCATE makes new files for every table and index).
    """
    conn = Tortoise.get_connection(dialect)
    if dialect not in _DELETION_ORDER:
        children: dict[str, set[str]] = {}
        _SELF_REFERENCES[dialect] = []
        for row in await conn.execute_query_dict(_FOREIGN_KEYS[dialect]):
            children.setdefault(row["child"], set())
            if row["parent"] == row["child"]:
                _SELF_REFERENCES[dialect].append((row["child"], row["column"]))
            elif row["parent"]:
                children.setdefault(row["parent"], set()).add(row["child"])
        order = graphlib.TopologicalSorter(children).static_order()
        _DELETION_ORDER[dialect] = [table for table in order if table != "aerich"]
    async with in_transaction(dialect) as tx:
        for table in _DELETION_ORDER[dialect]:
            for referring in (c for t, c in _SELF_REFERENCES[dialect] if t == table):
                await tx.execute_query(f'DELETE FROM "{table}" WHERE "{referring}" IS NOT NULL')
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
async def database_tuned_for_the_model(database_url: str) -> AsyncIterator[None]:
    """Connected to ``database_url`` with commits that do not wait for the disk to flush, and
    on PostgreSQL without JIT compilation.

    The model tests what the services do, not whether a commit outlives a power cut (the crash
    test keeps every commit durable): SQLite's ``synchronous`` goes from FULL to NORMAL, and
    PostgreSQL's ``synchronous_commit`` off for this database while the model runs. Every
    step commits several times, and on the busy test machine a PostgreSQL commit took 7.5 ms
    waiting for the disk, 3.5 ms not waiting.

    The books check's one query has thirty subqueries; once the planner over-estimated the
    tables (see ``VACUUM_EVERY``) its cost passed ``jit_above_cost`` and PostgreSQL compiled
    it on every step: 600 ms of JIT for a query that runs in 2 ms, a soak of ten hours.
    """
    if database_url.startswith("sqlite"):
        async with db.database(database_url, pool_size=1):
            await Tortoise.get_connection("sqlite").execute_script("PRAGMA synchronous = NORMAL")
            yield
        return
    await _alter_database(database_url, "SET synchronous_commit = off")
    await _alter_database(database_url, "SET jit = off")
    try:
        async with db.database(database_url, pool_size=2):
            yield
    finally:
        await _alter_database(database_url, "RESET synchronous_commit")
        await _alter_database(database_url, "RESET jit")


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
        async with database_tuned_for_the_model(database_url):
            await asyncio.to_thread(_run_histories, Ledger.tally)
    finally:
        _forget_what_the_services_cached()  # the next test's policy 1 is not the model's
        record_property("soak", Ledger.tally.summary(Ledger.dialect, time.monotonic() - started))


TAMPERINGS = {
    "balances_not_their_ledger": (
        "UPDATE account SET balance_fen = balance_fen + 1",
        "UPDATE account SET balance_fen = balance_fen - 1",
    ),
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
        "UPDATE meal SET voided_at = at, void_reason = 'tampered' WHERE voided_at IS NULL",
        "UPDATE meal SET voided_at = NULL, void_reason = NULL WHERE void_reason = 'tampered'",
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
    "roll_up_not_the_live_lines": (
        "UPDATE claim_day SET subsidy_fen = subsidy_fen + 1",
        "UPDATE claim_day SET subsidy_fen = subsidy_fen - 1",
    ),
    "claims_covering_a_meal_twice": (
        "INSERT INTO claim (month, funder, canteen_id, scope, status, created_at)"
        " SELECT month, funder, (SELECT MIN(id) FROM canteen), 'tampered', 'draft', created_at"
        " FROM claim WHERE month = '2026-03'",
        "DELETE FROM claim WHERE scope = 'tampered'",
    ),
    "frozen_claims_not_their_lines": (
        "UPDATE claim SET subsidy_fen = subsidy_fen + 1, claimed_fen = claimed_fen + 1",
        "UPDATE claim SET subsidy_fen = subsidy_fen - 1, claimed_fen = claimed_fen - 1",
    ),
    "claimed_not_subsidy_plus_adjustments": (
        "UPDATE claim SET claimed_fen = claimed_fen + 1",
        "UPDATE claim SET claimed_fen = claimed_fen - 1",
    ),
    "adjustments_misplaced": (
        "UPDATE claim_adjustment SET funder = 'city'",
        "UPDATE claim_adjustment SET funder = 'district'",
    ),
    "payments_not_what_the_claim_says": (
        "UPDATE claim SET paid_amount_fen = paid_amount_fen + 1 WHERE status = 'paid'",
        "UPDATE claim SET paid_amount_fen = paid_amount_fen - 1 WHERE status = 'paid'",
    ),
}
"""For each count of ``BOOKS_BROKEN``, a way to break the books of a few sales and the claims
of their subsidies, and its undoing."""


@pytest.mark.parametrize("database_url", ON_EACH_DATABASE, indirect=True)
async def test_the_books_check_sees_every_kind_of_break(database: str) -> None:
    """A check that never fires proves nothing: each tampering with the sales or their claims
    is counted, unless the schema itself refuses it.

    The books hold meals of March and April; March's district claim is submitted and paid,
    then a March meal is voided (an adjustment) and April's claim carries it.
    """
    dialect = "sqlite" if database.startswith("sqlite") else "postgres"
    with clock.frozen_at(FIRST_DAY):
        admin = await make_user("admin")
        canteen = await canteens.create_canteen(
            SYSTEM, name="A", timezone=None, default_timezone="Asia/Shanghai"
        )
        offering = await canteens.create_offering(
            admin, canteen.id, name="午餐", meal_type="lunch", price_fen=1200, tags=[]
        )
        cashier = await make_user("cashier", canteen_id=canteen.id)
        await policies.create(SYSTEM, policy_for(FIRST_DAY, (300, 200, 400), "sum"))
        diner = await diners.enrol(SYSTEM, name="食客", id_number=id_number("19400101"))
        await accounts.top_up(admin, diner.id, amount_fen=5000, method="cash")
        card = cards.payload_of(await cards.issue(admin, diner.id))

    async def sell(days: int) -> int:
        with clock.frozen_at(FIRST_DAY + timedelta(days=days)):
            who, order = checkout.Who(card_payload=card), checkout.Order(canteen.id, offering.id)
            return (await checkout.sell(cashier, who, order, "account")).meal_id

    async def claim_district(month: str, days: int) -> int:
        with clock.frozen_at(FIRST_DAY + timedelta(days=days)):
            claim = await claims.draft(admin, month=month, funder="district", canteen_id=None)
            return (await claims.submit(admin, claim.id)).id

    march_meal = await sell(0)
    await sell(1)
    march = await claim_district("2026-03", 31)
    with clock.frozen_at(FIRST_DAY + timedelta(days=31)):
        await claims.approve(admin, march)
        await claims.mark_paid(admin, march, amount_fen=600, paid_on=date(2026, 4, 2))
    with clock.frozen_at(FIRST_DAY + timedelta(days=32)):
        await checkout.void(admin, march_meal, "tampering test")
    await sell(32)
    await claim_district("2026-04", 61)
    conn = Tortoise.get_connection(dialect)

    async def broken() -> dict[str, int]:
        found = await conn.execute_query_dict(BOOKS_BROKEN[dialect])
        return {name: int(n) for name, n in found[0].items()}

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
