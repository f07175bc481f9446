"""The points ledger's invariants under random histories: credits for alerts (each credited
once, to volunteers only, however often reported, by whoever) and redemptions of random sizes.
After every step, for every volunteer: ``balance == sum(entries) >= 0``, the balance is what a
plain model of the rules says, every credit names its alert and no alert is credited twice."""

import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canteen import clock
from canteen.alerts.models import Alert
from canteen.errors import InsufficientPoints
from canteen.points import service as points
from canteen.points.models import PointsBalance, PointsEntry
from tests.conftest import make_user

ALERT_POINTS = 20
DAYS = itertools.count()
"""Each example's alerts fall on days of their own (one alert per kind, diner and day)."""

CREDIT = st.tuples(st.just("credit"), st.integers(0, 5), st.integers(0, 2))
"""Credit alert i (of 6) to person j: two volunteers, then an office worker."""
REDEEM = st.tuples(st.just("redeem"), st.integers(1, 60), st.integers(0, 1))
"""Volunteer j asks to exchange n points."""


async def check(volunteers: list[int], alerts: list[int], expected: dict[int, int]) -> None:
    for user in volunteers:
        entries = await PointsEntry.filter(volunteer_id=user).values_list("points", flat=True)
        held = await points.balance_of(user)
        assert held == sum(entries) == expected[user] >= 0
    credits = await PointsEntry.filter(alert_id__in=alerts).values_list("alert_id", "kind")
    assert len(credits) == len({a for a, _ in credits})
    assert {kind for _, kind in credits} <= {"alert"}
    assert (
        await PointsEntry.filter(
            kind__in=("alert", "delivery"), alert_id=None, stop_id=None
        ).count()
        == 0
    )
    assert await PointsBalance.filter(balance__lt=0).count() == 0


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.one_of(CREDIT, REDEEM), min_size=1, max_size=25))
async def test_balance_is_the_sum_of_entries_never_negative_and_every_credit_names_its_alert(
    rounds, steps
):
    diner = rounds.diners["李桂兰"]
    people = [
        (await make_user("volunteer")).user_id,
        (await make_user("volunteer")).user_id,
        (await make_user("staff")).user_id,
    ]
    volunteers = people[:2]
    admin = await make_user("admin")
    first = date(2026, 1, 1) + timedelta(days=next(DAYS) * 6)
    alerts = [
        (
            await Alert.create(
                kind="missed_meal",
                diner_id=diner,
                canteen_id=rounds.canteen_id,
                local_date=first + timedelta(days=i),
                found_at=clock.now(),
            )
        ).id
        for i in range(6)
    ]
    expected = dict.fromkeys(volunteers, 0)
    credited: set[int] = set()
    for step in steps:
        if step[0] == "credit":
            _, i, j = step
            done = await points.credit_alert(people[j], alerts[i])
            should = j < 2 and alerts[i] not in credited
            assert done is should, step
            if should:
                credited.add(alerts[i])
                expected[people[j]] += ALERT_POINTS
        else:
            _, n, j = step
            try:
                answer = await points.redeem(
                    admin, people[j], points.Redemption(points=n, item="毛巾")
                )
            except InsufficientPoints as refused:
                assert expected[people[j]] < n
                assert refused.extra["balance"] == expected[people[j]]
            else:
                expected[people[j]] -= n
                assert answer["balance"] == expected[people[j]] >= 0
        await check(volunteers, alerts, expected)
