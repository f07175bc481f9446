"""The found-elder page of a meal card (``/q/<qr_payload>``): its switch, every scan, the
finders' reports and the messages between a finder and the family.

- ``FoundPage``: the family's (or the office's) switch for one elder; no row means on.
- ``FoundScan``: one line per scan of the page, whatever came of it: the card (none for a
  forged one), the time and the kind of result. No finder's data is kept here.
- ``FoundReport``: what one finder gave (their phone, where, the browser's location), tied to
  the day's ``found_wandering`` alert; its thread is reached by the finder through a private
  link whose token only the finder holds (``thread_hash`` is its SHA-256).
- ``FoundMessage``: the thread (どこシル伝言板): plain text, neither side's number.
"""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.alerts.models import Alert
    from canteen.auth.models import User
    from canteen.cards.models import Card
    from canteen.diners.models import Diner

SCAN_RESULTS = ("shown", "not_live", "reported", "refused", "limited")
"""``shown``: the form; ``not_live``: the neutral page (forged, revoked, switched off, or the
elder deceased: one page for all); ``reported``: a report taken; ``refused``: a report with a
bad phone, place or form token (the form again); ``limited``: too many reports this hour."""
AUTHORS = ("finder", "family")


class FoundPage(Model):
    """Whether an elder's card opens the found-elder page; switched by the family or office."""

    id = fields.IntField(primary_key=True)
    diner: fields.OneToOneRelation["Diner"] = fields.OneToOneField(
        "models.Diner", related_name="found_page", on_delete=fields.RESTRICT
    )
    diner_id: int
    enabled = fields.BooleanField(default=True)
    changed_at = fields.DatetimeField()
    changed_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="found_pages_changed", null=True, on_delete=fields.RESTRICT
    )
    changed_by_id: int | None

    class Meta:
        table = "found_page"


class FoundScan(Model):
    """One opening (or posting) of a card's found page: the card, when, and what came of it."""

    id = fields.BigIntField(primary_key=True)
    card: fields.ForeignKeyNullableRelation["Card"] = fields.ForeignKeyField(
        "models.Card", related_name="found_scans", null=True, on_delete=fields.RESTRICT
    )
    """None when the text was no card of ours."""
    card_id: int | None
    at = fields.DatetimeField()
    result = fields.CharField(max_length=16)

    class Meta:
        table = "found_scan"
        indexes = (("card_id", "at"),)


class FoundReport(Model):
    """A finder's report that the elder was found; attached to the day's alert."""

    id = fields.IntField(primary_key=True)
    alert: fields.ForeignKeyRelation["Alert"] = fields.ForeignKeyField(
        "models.Alert", related_name="found_reports", on_delete=fields.RESTRICT
    )
    alert_id: int
    diner: fields.ForeignKeyRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="found_reports", on_delete=fields.RESTRICT
    )
    diner_id: int
    card: fields.ForeignKeyRelation["Card"] = fields.ForeignKeyField(
        "models.Card", related_name="found_reports", on_delete=fields.RESTRICT
    )
    card_id: int
    at = fields.DatetimeField()
    finder_phone = fields.CharField(max_length=20)
    """Digits (``13800138000``, ``02088886666``): for the family and watchers to call."""
    where = fields.CharField(max_length=200, default="")
    lat = fields.FloatField(null=True)
    lon = fields.FloatField(null=True)
    thread_hash = fields.CharField(max_length=64, unique=True)
    """SHA-256 (hex) of the token in the finder's private link; the token is never stored."""

    class Meta:
        table = "found_report"
        indexes = (("card_id", "at"), ("alert_id",))


class FoundMessage(Model):
    """One message of a report's thread, from the finder or from the family."""

    id = fields.BigIntField(primary_key=True)
    report: fields.ForeignKeyRelation["FoundReport"] = fields.ForeignKeyField(
        "models.FoundReport", related_name="messages", on_delete=fields.RESTRICT
    )
    report_id: int
    author = fields.CharField(max_length=8)
    user: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="found_messages", null=True, on_delete=fields.RESTRICT
    )
    """The family member who wrote it; None for the finder."""
    user_id: int | None
    body = fields.CharField(max_length=500)
    at = fields.DatetimeField()

    class Meta:
        table = "found_message"
        indexes = (("report_id", "id"),)
