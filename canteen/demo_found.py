"""The demo's found-elder case (issue 16), made by the same services as the real thing.

Called once from ``canteen.demo.fill`` after the watchers: family2's father scanned by a
passer-by a few minutes ago, his card's page (``/q/<qr_payload>``) reporting him found near a
metro exit, the outbox telling his son and his watchers half a minute later, and a short thread
(どこシル伝言板) between the finder and the son, neither seeing the other's number.
"""

from datetime import timedelta

from canteen import clock
from canteen.alerts import outbox
from canteen.cards import service as cards
from canteen.cards.models import Card
from canteen.diners.models import Diner
from canteen.found import service as found
from canteen.roles import Actor

ELDER = 2
"""family2's father (see ``canteen.demo.FAMILY_LINKS``)."""
FINDER = found.FinderReport(
    finder_phone="13711302468",
    where="公园前地铁站 C 出口，报刊亭旁边",
    lat="23.12612",
    lon="113.26283",
)
AGO = timedelta(minutes=9)
"""How long before the demo was made the finder scanned the card."""
THREAD = (
    # minutes after the report, who, what
    (1, "finder", "老人家说要去北京路买菜，找不到路了。我在 C 出口陪着他，他精神还好。"),
    (3, "family", "非常感谢您！我是他儿子，现在从公司过去，大约二十分钟到。"),
    (4, "finder", "好的，我给他买了瓶水，我们在报刊亭旁边等您。"),
)


async def fill(actors: dict[str, Actor], diners: list[Diner]) -> tuple[str, ...]:
    """Make the case; return the lines the demo prints about it."""
    diner = diners[ELDER]
    card = await Card.get(diner_id=diner.id, revoked_at=None)
    payload = cards.payload_of(card)
    at = clock.now() - AGO
    with clock.frozen_at(at):
        reported = await found.report(payload, FINDER)
    await outbox.report(at + timedelta(seconds=30))
    await outbox.deliver(at + timedelta(seconds=31))
    for minutes, author, text in THREAD:
        with clock.frozen_at(at + timedelta(minutes=minutes)):
            if author == "finder":
                await found.finder_writes(reported.thread_token, text)
            else:
                await found.family_writes(actors["family2"], reported.report.id, text)
    return (
        f"  {diner.name} (family2's father) was found by a passer-by who scanned his card"
        f" {AGO.seconds // 60} minutes ago: a found_wandering alert with the finder's number and"
        " a short thread in family2's portal; his card's page is /q/" + payload,
        f"  the finder's private link to the thread: /found/{reported.thread_token}",
    )
