"""The demo: a realistic, valid sample made by the services; ``canteen demo --if-empty``."""

import re
import sqlite3
import stat
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from canteen import clock, db, demo, demo_history, demo_orders, periods
from canteen.accounts.invariants import ledger_violations
from canteen.accounts.models import Account
from canteen.alerts import detect
from canteen.alerts.models import Alert, Notification
from canteen.auth import service as auth
from canteen.auth.models import User
from canteen.canteens.models import Canteen
from canteen.cards import service as cards
from canteen.cards.models import Card
from canteen.checkout.models import Meal, SubsidyLine
from canteen.claims.models import Claim, ClaimAdjustment
from canteen.config import Settings, get_settings
from canteen.diners import resident_id
from canteen.diners.models import Diner
from canteen.diners.service import CATEGORIES, id_number_of, my_diners
from canteen.finance.models import COST_CATEGORIES
from canteen.orders.models import DeliveryRun, DeliveryStop, Menu, Order
from canteen.policies.models import Policy
from canteen.reporting import service as reporting
from canteen.roles import SYSTEM, USER_ROLES, Role
from tests.cli_runner import canteen_in_process
from tests.conftest import demo_copy, drop_postgres_database


def read_passwords(path: Path) -> dict[str, str]:
    """username -> password, from the table the demo writes."""
    rows = [line.split() for line in path.read_text(encoding="utf-8").splitlines()]
    return {row[1]: row[2] for row in rows if row and row[0] in set(Role)}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Settings, str]]:
    """A copy of the run's demo of each kind for the whole module (``canteen demo`` sells six
    weeks of meals to fill one, once a run), which the tests below only look at."""
    copy = demo_copy(request.param, tmp_path_factory.mktemp(f"demo-{request.param}"))
    try:
        yield copy.url, get_settings().model_copy(update={"var_dir": copy.var_dir}), copy.summary
    finally:
        if request.param == "postgres":
            drop_postgres_database(copy.url)


@pytest.fixture
async def filled(demo_database: tuple[str, Settings, str]) -> AsyncIterator[tuple[Settings, str]]:
    url, settings, summary = demo_database
    async with db.database(url, pool_size=5):
        yield settings, summary


async def test_every_role_can_log_in_with_the_written_password(filled):
    settings, summary = filled
    path = settings.var_dir / demo.PASSWORDS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    passwords = read_passwords(path)
    named_on_the_home_page = {"admin", "minzheng", "manager1", "cashier1", "family1"}
    assert named_on_the_home_page | {"manager2", "cashier2", "family2"} <= set(passwords)
    roles = set()
    for username, password in passwords.items():
        issued = await auth.issue_token(username, password, ttl_seconds=60)
        roles.add(issued.role)
        assert password in summary
    assert roles == set(USER_ROLES)
    assert "open http://127.0.0.1:8000" in summary
    assert not await demo.database_is_empty()


async def test_diners_are_many_valid_and_cover_every_category(filled):
    settings, _ = filled
    diners = await Diner.all()
    assert len(diners) >= 50
    assert {code for d in diners for code in d.categories} == set(CATEGORIES)
    assert sum(1 for d in diners if not d.categories) >= 20
    assert {d.disability_level for d in diners if "disabled" in d.categories} == {1, 2, 3, 4}
    today = clock.today(settings.tz)
    numbers = set()
    for d in diners:
        rid = resident_id.parse(await id_number_of(d), today=today)
        numbers.add(rid.number)
        assert rid.birth_date == d.birth_date
        assert 60 <= resident_id.age_on(d.birth_date, today) <= 98
        assert d.home_canteen_id is not None  # type: ignore[attr-defined]
    assert len(numbers) == len({n[14:17] for n in numbers}) == len(diners)


async def test_family_links_and_balances(filled):
    family1 = auth.actor_of(await User.get(username="family1"))
    family2 = auth.actor_of(await User.get(username="family2"))
    assert len(await my_diners(family1)) == 2 and len(await my_diners(family2)) == 1
    balances = await Account.all().values_list("balance_fen", flat=True)
    assert sum(1 for b in balances if 5_000 <= b <= 30_000) >= 40
    assert sum(1 for b in balances if 0 < b < 2_000) >= 2 and balances.count(0) >= 2
    assert await ledger_violations() == []


async def test_every_diner_has_one_live_card_that_the_counter_accepts(filled):
    _, summary = filled
    diners = {d.id: d.name for d in await Diner.all()}
    live = await Card.filter(revoked_at=None)
    assert sorted(card.diner_id for card in live) == sorted(diners)  # type: ignore[attr-defined]
    for card in live:
        _, diner = await cards.resolve(cards.payload_of(card))
        assert diner.name == diners[card.diner_id]  # type: ignore[attr-defined]
    assert f"{len(diners)} meal cards" in summary and "canteen cards print" in summary


async def test_family1s_father_missed_his_usual_lunch_and_the_portal_is_told(filled):
    _, summary = filled
    family1 = auth.actor_of(await User.get(username="family1"))
    father, mother = await my_diners(family1)
    [alert] = await Alert.filter(kind="missed_meal", diner_id=father.id)
    assert alert.diner_id == father.id and alert.local_date.weekday() < 5  # type: ignore[attr-defined]
    assert alert.detail["days_eaten"] == 10 and alert.reported_at is not None
    assert await Notification.filter(alert=alert, recipient_id=family1.user_id).count() == 1
    assert f"{father.name} (family1's father)" in summary and str(alert.local_date) in summary

    lunches = await Meal.filter(diner_id__in=[father.id, mother.id]).values_list(
        "diner_id", "local_date", "meal_type", "policy_id", "subsidy_fen"
    )
    by_day = {(diner, day) for diner, day, *_ in lunches}
    assert (mother.id, alert.local_date) in by_day and (father.id, alert.local_date) not in by_day
    assert len(lunches) == 21 and {row[2] for row in lunches} == {"lunch"}
    assert all(policy is not None and subsidy > 0 for *_, policy, subsidy in lunches)
    assert await Policy.filter(name__contains="广州").count() == 1
    assert "21 past lunches" in summary
    assert await ledger_violations() == []


def row_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        tables = ["user", "canteen", "offering", "diner", "family_link", "topup", "ledger_entry"]
        tables += ["card", "meal", "alert", "notification"]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def test_cli_demo_if_empty_fills_once_then_skips(tmp_path):
    filled = demo_copy("sqlite", tmp_path)  # by `canteen init`, then `canteen demo --if-empty`
    assert "Demo data created" in filled.summary and "http://127.0.0.1:8000" in filled.summary
    passwords = (filled.var_dir / demo.PASSWORDS_FILE).read_text()
    path = Path(filled.url.removeprefix("sqlite://"))
    counts = row_counts(path)
    assert counts["diner"] >= 50 and counts["user"] >= 8
    assert counts["card"] == counts["diner"]
    assert counts["meal"] >= 21 and counts["alert"] >= 1 and counts["notification"] >= 1

    # The fill above was the real `canteen` process; the second run is the same command in
    # this process (tests/cli_runner.py), without a second process's 1.5 s of imports.
    second = canteen_in_process(
        filled.url,
        "demo",
        "--if-empty",
        env={"CANTEEN_VAR_DIR": str(filled.var_dir)},
        cwd=filled.var_dir.parent,
    )
    assert second.code == 0, second.err
    assert "demo skipped" in second.out
    assert row_counts(path) == counts
    assert (filled.var_dir / demo.PASSWORDS_FILE).read_text() == passwords


# --- Six weeks of meals, books and claims: every report has real numbers -------------------


def history_span(summary: str) -> tuple[date, date]:
    """The span the summary names: ``six weeks of meals (2026-10-13 to 2026-11-23)``."""
    found = re.search(r"meals \((\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)\)", summary)
    assert found, summary
    return date.fromisoformat(found.group(1)), date.fromisoformat(found.group(2))


async def test_six_weeks_of_meals_at_every_canteen_with_voids_and_manual_sales(filled):
    _, summary = filled
    first, last = history_span(summary)
    assert (last - first).days == demo_history.DAYS - 1
    meals = await Meal.filter(local_date__gte=first).values_list(
        "canteen_id", "local_date", "voided_at", "manual_reason", "payment"
    )
    assert len(meals) >= 1200
    assert (
        len({row[0] for row in meals}) == 3 and len({row[1] for row in meals}) == demo_history.DAYS
    )
    assert 1 <= sum(1 for row in meals if row[2]) <= 30
    assert sum(1 for row in meals if row[3]) >= 5
    assert {row[4] for row in meals} == {"account", "cash"}
    assert await ledger_violations() == []


async def test_every_report_shows_real_numbers(filled):
    _, summary = filled
    first, last = history_span(summary)
    report = await reporting.sustainability_report(SYSTEM, first, last)
    assert report["meals"] >= 1200 and report["grant_fen"] > 0
    assert all(report["cost_by_category"][c] > 0 for c in COST_CATEGORIES if c != "other")
    assert report["break_even_meals_per_day"] is not None and report["margin_pct"] is not None
    assert len(report["canteens"]) == 3 and len(report["days"]) == demo_history.DAYS
    assert all(c["meals"] > 0 and c["revenue_fen"] > 0 for c in report["canteens"])

    month = re.search(r"(\d{4}-\d\d) claimed", summary).group(1)  # type: ignore[union-attr]
    claim = (await reporting.subsidy_claims(SYSTEM, month, detail=True)).report
    assert set(claim["totals"]["by_funder"]) == {"city", "district", "street"}
    start, end = periods.month_span(month)
    lines = await SubsidyLine.filter(
        meal__local_date__gte=start, meal__local_date__lte=end, meal__voided_at=None
    ).values_list("amount_fen", flat=True)
    assert claim["totals"]["subsidy_fen"] == sum(lines) > 0

    signals = await reporting.misuse_signals(SYSTEM, first, last)
    kinds = {s["kind"] for s in signals["signals"]}
    planted = {"card_at_two_canteens", "manual_rate_diner", "fed_far_more"}
    assert planted | {"subsidised_in_two_districts"} <= kinds


async def test_last_months_claims_are_paid_approved_and_submitted_with_a_late_void(filled):
    _, summary = filled
    month = re.search(r"(\d{4}-\d\d) claimed", summary).group(1)  # type: ignore[union-attr]
    found = {c.funder: c for c in await Claim.filter(month=month)}
    assert {f: c.status for f, c in found.items()} == {
        "city": "paid",
        "district": "approved",
        "street": "submitted",
    }
    city = found["city"]
    assert 0 < (city.paid_amount_fen or 0) < (city.claimed_fen or 0)
    late = await ClaimAdjustment.filter(claim_id=None)
    assert {a.funder for a in late} == set(found) and all(a.amount_fen < 0 for a in late)
    assert {a.source_claim_id for a in late} <= {c.id for c in found.values()}  # type: ignore[attr-defined]


def test_the_plan_feeds_regulars_on_the_last_day_and_plants_the_misuse_patterns():
    zone = ZoneInfo("Asia/Shanghai")
    last = date(2026, 11, 23)
    homes = [i % 3 for i in range(30)]
    visits = demo_history.plan(homes, skip={0, 1}, last=last, zone=zone)
    assert visits == demo_history.plan(homes, skip={0, 1}, last=last, zone=zone)
    assert [v.at for v in visits] == sorted(v.at for v in visits)
    assert not {v.diner for v in visits} & {0, 1}
    assert min(v.at.date() for v in visits) == last - timedelta(days=demo_history.DAYS - 1)
    window = set(detect.weekdays_before(last, detect.REGULAR_WEEKDAYS))
    for diner in {v.diner for v in visits}:
        days = {v.at.date() for v in visits if v.diner == diner and not v.void}
        if len(days & window) >= detect.REGULAR_MIN_DAYS:
            assert last in days, f"regular {diner} would raise a missed-meal alert"
    assert not any(v.void and v.at.date() == last for v in visits)
    assert all(v.at.astimezone(zone).date() <= last for v in visits)
    borrowed = [v for v in visits if v.canteen != homes[v.diner]]
    assert len(borrowed) == 1 and borrowed[0].canteen == 2
    by_month: dict[tuple[int, str], int] = {}
    for v in visits:
        if v.manual:
            key = (v.diner, periods.month_of(v.at.date()))
            by_month[key] = by_month.get(key, 0) + 1
    assert max(by_month.values()) == 4  # the planted one: the most a month allows


async def test_a_week_of_menus_orders_ahead_and_a_walked_delivery_run(filled):
    settings, summary = filled
    today = clock.today(settings.tz)
    monday = today - timedelta(days=today.weekday())
    canteens = await Canteen.all()
    for canteen in canteens:
        days = set(
            await Menu.filter(canteen_id=canteen.id, local_date__gte=monday).values_list(
                "local_date", flat=True
            )
        )
        assert {monday + timedelta(days=n) for n in range(14)} <= days, canteen.name
        assert canteen.delivery_fee_fen in demo_orders.DELIVERY_FEES_FEN
    tomorrow = await Order.filter(local_date=today + timedelta(days=1), status="placed")
    assert {o.delivery for o in tomorrow} == {True, False}
    assert {o.canteen_id for o in tomorrow} == {c.id for c in canteens}  # type: ignore[attr-defined]
    assert await Order.filter(local_date=today).exists()
    assert all(o.placed_at < o.cutoff_at for o in await Order.all())  # each before its cut-off
    family1 = await User.get(username="family1")
    assert await Order.filter(placed_by_id=family1.id).count() == 2

    [run] = await DeliveryRun.all()
    stops = await DeliveryStop.filter(run_id=run.id).order_by("position")
    outcomes = [s.outcome for s in stops]
    assert len(stops) == demo_orders.RUN_STOPS
    assert outcomes.count("delivered") == 3 and outcomes.count("not_home") == 1
    assert outcomes.count(None) == 1
    delivered = [s for s in stops if s.outcome == "delivered"]
    assert all(s.meal_id is not None for s in delivered)
    assert await Meal.filter(id__in=[s.meal_id for s in delivered], voided_at=None).count() == 3
    alone = {d.id for d in await Diner.all() if "living_alone" in d.categories}
    whose = dict(await Order.filter(delivery=True).values_list("id", "diner_id"))
    lonely_doors = sum(whose[s.order_id] in alone for s in stops if s.outcome == "not_home")
    assert await Alert.filter(kind="not_home").count() == lonely_doors
    assert "a delivery run for" in summary and "3 delivered, 1 not home, 1 unreported" in summary
    assert await ledger_violations() == []
