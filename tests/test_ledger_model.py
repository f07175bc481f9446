"""The ledger model test: random sequences of everything that moves money, invariants after each.

A hypothesis state machine enrols diners, tops up, sells, voids, revokes and re-issues cards,
suspends diners, adopts policies and lets days pass, all through the services. After every
step: each balance equals its ledger sum and is never negative, money is conserved, no rule
went over its limit, and every live meal's subsidy lines add up to what it says.

``make test`` runs a few hundred steps on each database; ``make soak`` (CANTEEN_SOAK_STEPS)
runs 100,000.
"""

import asyncio
import os
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from canteen import clock
from canteen.accounts import service as accounts
from canteen.accounts.invariants import ledger_violations
from canteen.accounts.models import Account, Topup
from canteen.auth import service as auth
from canteen.canteens import service as canteens
from canteen.cards import service as cards
from canteen.checkout import service as checkout
from canteen.checkout.models import LimitUse, Meal, SubsidyLine
from canteen.diners import service as diners
from canteen.errors import CanteenError
from canteen.policies import service as policies
from tests.factories import id_number

STEPS = int(os.environ.get("CANTEEN_SOAK_STEPS", "0")) or 240
STEPS_PER_RUN = 40
LIMITS = {"age80": 1, "age60": 2, "poor": 3}
"""Each rule code keeps one limit in every policy, so limits can be checked across policies."""


async def _awaited(work):
    return await work


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


class Ledger(RuleBasedStateMachine):
    """One canteen's life, compressed; ``self.run`` drives the services on the test's loop."""

    loop: asyncio.AbstractEventLoop
    database_url: str

    @initialize()
    def open_canteen(self) -> None:
        self.day = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai, lunch
        self.diners: list[int] = []
        self.cards: dict[int, str] = {}
        self.meals: list[int] = []
        self.run(self._open())

    def run(self, work):
        with clock.frozen_at(self.day):
            return self.wait(work)

    def wait(self, work):
        """Run on the database's loop; hypothesis drives the machine from a thread of its own."""
        return asyncio.run_coroutine_threadsafe(_awaited(work), self.loop).result()

    async def _open(self) -> None:
        self.admin = auth.actor_of(
            await auth.create_user(
                None,
                username=f"admin-{uuid.uuid4().hex[:12]}",
                password="long enough",
                role="admin",
            )
        )
        canteen = await canteens.create_canteen(
            None, name="A", timezone=None, default_timezone="Asia/Shanghai"
        )
        self.canteen_id = canteen.id
        self.cashier = auth.actor_of(
            await auth.create_user(
                None,
                username=f"cashier-{uuid.uuid4().hex[:12]}",
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

    @rule(age=st.integers(50, 100), poor=st.booleans())
    def enrol(self, age: int, poor: bool) -> None:
        async def go() -> None:
            birth = f"{2026 - age}0101"
            diner = await diners.enrol(
                None,
                name="食客",
                id_number=id_number(birth),
                categories=["low_income"] if poor else [],
            )
            self.diners.append(diner.id)
            await accounts.top_up(self.admin, diner.id, amount_fen=5000, method="cash")
            card = await cards.issue(self.admin, diner.id)
            self.cards[diner.id] = cards.payload_of(card)

        self.run(go())

    @precondition(lambda self: self.diners)
    @rule(data=st.data(), amount=st.integers(1, 20_000))
    def top_up(self, data: st.DataObject, amount: int) -> None:
        diner = data.draw(st.sampled_from(self.diners))
        self.run(
            self._tolerate(accounts.top_up(self.admin, diner, amount_fen=amount, method="cash"))
        )

    @precondition(lambda self: self.diners)
    @rule(data=st.data(), meals=st.integers(1, 4))
    def sell(self, data: st.DataObject, meals: int) -> None:
        for _ in range(meals):
            diner = data.draw(st.sampled_from(self.diners))
            offering = data.draw(st.sampled_from(self.offerings))
            payment = data.draw(st.sampled_from(["account", "account", "cash"]))
            manual = data.draw(st.integers(0, 9)) == 0
            who = (
                checkout.Who(diner_id=diner, manual_reason="card_forgotten")
                if manual
                else checkout.Who(card_payload=self.cards[diner])
            )
            self.run(self._tolerate(self._sell(who, offering, payment)))

    async def _sell(self, who: checkout.Who, offering: int, payment: str) -> None:
        order = checkout.Order(self.canteen_id, offering)
        sale = await checkout.retrying(lambda: checkout.sell(self.cashier, who, order, payment))
        self.meals.append(sale.meal.id)

    @precondition(lambda self: self.meals)
    @rule(data=st.data())
    def void(self, data: st.DataObject) -> None:
        meal = data.draw(st.sampled_from(self.meals[-5:]))
        self.run(self._tolerate(checkout.void(self.admin, meal, "test")))

    @precondition(lambda self: self.diners)
    @rule(data=st.data())
    def reissue_or_revoke(self, data: st.DataObject) -> None:
        diner = data.draw(st.sampled_from(self.diners))
        reissue = data.draw(st.booleans())

        async def go() -> None:
            if reissue:
                self.cards[diner] = cards.payload_of(await cards.issue(self.admin, diner))
            else:
                card, _ = await cards.resolve(self.cards[diner])
                await cards.revoke(self.admin, card.id, "lost")

        self.run(self._tolerate(go()))

    @precondition(lambda self: self.diners)
    @rule(data=st.data(), status=st.sampled_from(["active", "suspended"]))
    def change_status(self, data: st.DataObject, status: str) -> None:
        diner = data.draw(st.sampled_from(self.diners))
        self.run(diners.update(self.admin, diner, {"status": status}))

    @rule(
        amounts=st.tuples(st.integers(1, 2000), st.integers(1, 2000), st.integers(1, 2000)),
        stacking=st.sampled_from(["highest", "sum"]),
    )
    def adopt_policy(self, amounts: tuple[int, int, int], stacking: str) -> None:
        self.run(self._tolerate(policies.create(None, policy_for(self.day, amounts, stacking))))

    @rule(days=st.integers(1, 40))
    def days_pass(self, days: int) -> None:
        self.day += timedelta(days=days)

    async def _tolerate(self, work) -> None:
        """Refusals (no money, revoked card, a policy that day) are fine; bugs are not."""
        try:
            await work
        except CanteenError as exc:
            assert exc.status < 500, exc

    @invariant()
    def ledger_holds(self) -> None:
        assert self.wait(ledger_violations()) == []

    @invariant()
    def money_is_conserved(self) -> None:
        async def totals() -> tuple[int, int, int]:
            balances = sum(await Account.all().values_list("balance_fen", flat=True))
            topped = sum(await Topup.all().values_list("amount_fen", flat=True))
            paid = sum(
                await Meal.filter(payment="account", voided_at=None).values_list(
                    "pay_fen", flat=True
                )
            )
            return balances, topped, paid

        balances, topped, paid = self.wait(totals())
        assert balances == topped - paid

    @invariant()
    def no_rule_exceeds_its_limit(self) -> None:
        uses = self.wait(LimitUse.all().values_list("diner_id", "rule", "period", "slot"))
        counts = Counter((diner, rule, period) for diner, rule, period, _ in uses)
        for (_, rule_code, _), n in counts.items():
            assert n <= LIMITS[rule_code]
        live = set(self.wait(Meal.filter(voided_at=None).values_list("id", flat=True)))
        owners = self.wait(LimitUse.all().values_list("meal_id", flat=True))
        assert set(owners) <= live, "a voided meal's limit slots are freed"

    @invariant()
    def lines_add_up(self) -> None:
        async def check() -> None:
            for meal in await Meal.all().prefetch_related("lines"):
                assert meal.price_fen == meal.subsidy_fen + meal.pay_fen and meal.pay_fen >= 0
                assert (
                    sum(line.amount_fen for line in meal.lines if line.pays == "diner")
                    == meal.subsidy_fen
                )
                assert (
                    sum(line.amount_fen for line in meal.lines if line.pays == "operator")
                    == meal.operator_subsidy_fen
                )
            assert await SubsidyLine.filter(amount_fen__lte=0).count() == 0

        self.wait(check())


def _run_machine() -> None:
    test = Ledger.TestCase
    test.settings = settings(
        max_examples=max(1, STEPS // STEPS_PER_RUN),
        stateful_step_count=STEPS_PER_RUN,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    test().runTest()


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
async def test_random_histories_keep_every_invariant(database: str) -> None:
    """The services run on this loop; the state machine drives them from a worker thread."""
    Ledger.loop = asyncio.get_running_loop()
    Ledger.database_url = database
    await asyncio.to_thread(_run_machine)
