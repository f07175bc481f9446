"""The demo's volunteers' points: earned only by the stops its delivery run delivered and the
alerts volunteers handled, through the real services, with one exchange by a manager."""

from canteen.alerts.models import Alert
from canteen.auth.models import User
from canteen.orders.models import DeliveryStop
from canteen.points.models import PointsBalance, PointsEntry
from tests.test_demo import demo_database, filled

__all__ = ["demo_database", "filled"]


async def test_the_demos_volunteers_earned_points_for_their_work_and_exchanged_some(filled):
    _, summary = filled
    volunteers = await User.filter(role="volunteer").values_list("id", "username")
    earned = {}
    for user_id, username in volunteers:
        delivered = await DeliveryStop.filter(
            outcome="delivered", run__deliverer_id=user_id
        ).values_list("id", flat=True)
        handled = await Alert.filter(handled_by_id=user_id).values_list("id", flat=True)
        entries = await PointsEntry.filter(volunteer_id=user_id)
        assert sorted(e.stop_id for e in entries if e.kind == "delivery") == sorted(delivered)
        assert sorted(e.alert_id for e in entries if e.kind == "alert") == sorted(handled)
        held = await PointsBalance.get_or_none(volunteer_id=user_id)
        assert (held.balance if held else 0) == sum(e.points for e in entries) >= 0
        earned[username] = 10 * len(delivered) + 20 * len(handled)
    assert earned["volunteer1"] >= 30  # the run's three delivered stops
    exchanges = await PointsEntry.filter(kind="redeem").values_list("points", "item")
    assert exchanges == [(-10, "毛巾一条")]
    richest = max(earned, key=lambda name: (earned[name], name))
    assert f"volunteers' points: {richest} earned {earned[richest]}" in summary
