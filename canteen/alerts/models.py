"""Alerts about an elder (low balance, a missed usual meal) and the outbox that tells people.

An alert walks the four steps of a wellbeing check (发现 - 上报 - 处置 - 回访)::

    found_at          发现  raised by a sale or by the periodic detection       status open
    reported_at       上报  its notifications written to the outbox             status open
    handled_at/by     处置  someone at the canteen or office acted, with a note  status handled
    followed_up_at/by 回访  someone checked back later, with a note              status followed_up

One alert per (kind, diner, local date): the same alert is never raised twice a day, whoever
raises it (a sale, the server's task, ``canteen alerts run``) and however often.
"""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.canteens.models import Canteen
    from canteen.diners.models import Diner

ALERT_KINDS = ("low_balance", "missed_meal", "not_home", "found_wandering")
ALERT_STATUSES = ("open", "handled", "followed_up")
HANDLE_OUTCOMES = ("called", "visited_well", "hospital", "family_reached")
"""How a case was handled (处置), as a watcher's phone offers it: phoned the elder, visited and
all was well, took them to hospital, reached the family (``ck_alert_outcome``)."""
NOTIFICATION_STATUSES = ("pending", "sent", "failed")


class Alert(Model):
    """Something about an elder that someone should know, and what was done about it."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=16)
    diner: fields.ForeignKeyRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="alerts", on_delete=fields.RESTRICT
    )
    diner_id: int
    canteen: fields.ForeignKeyNullableRelation["Canteen"] = fields.ForeignKeyField(
        "models.Canteen", related_name="alerts", null=True, on_delete=fields.RESTRICT
    )
    """The canteen whose staff list answers it: the diner's home canteen (else where they ate)."""
    canteen_id: int | None
    local_date = fields.DateField()
    """The day it is about, in that canteen's time zone."""
    status = fields.CharField(max_length=16, default="open")
    detail: dict = fields.JSONField(default=dict)
    """What was seen: ``{"balance_fen", "low_balance_fen"}``, ``{"days_eaten", "weekdays"}``, or
    for ``not_home`` ``{"order_id", "run_id", "stop_id", "meal_type", "note"}``."""
    found_at = fields.DatetimeField()
    reported_at = fields.DatetimeField(null=True)
    handled_at = fields.DatetimeField(null=True)
    handled_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="alerts_handled", null=True, on_delete=fields.RESTRICT
    )
    handled_by_id: int | None
    outcome = fields.CharField(max_length=16, null=True)
    """One of ``HANDLE_OUTCOMES`` when the handler chose one; the note says the rest."""
    note = fields.CharField(max_length=500, default="")
    """What was done (处置): "phoned her daughter; she has a cold and is at home"."""
    followed_up_at = fields.DatetimeField(null=True)
    followed_up_by: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="alerts_followed_up", null=True, on_delete=fields.RESTRICT
    )
    followed_up_by_id: int | None
    follow_up_note = fields.CharField(max_length=500, default="")
    """What the check back found (回访)."""

    class Meta:
        table = "alert"
        unique_together = (("kind", "diner", "local_date"),)
        indexes = (("diner_id", "local_date"), ("canteen_id", "local_date"), ("reported_at",))


class Notification(Model):
    """One message to deliver (the outbox): written in a transaction, sent by a channel later.

    ``recipient`` is the family user it is for; empty for the canteen's staff list, which the
    ``log`` channel writes to the log (staff read their alerts at ``GET /alerts``).
    """

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=16)
    alert: fields.ForeignKeyNullableRelation["Alert"] = fields.ForeignKeyField(
        "models.Alert", related_name="notifications", null=True, on_delete=fields.RESTRICT
    )
    alert_id: int | None
    diner: fields.ForeignKeyRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="notifications", on_delete=fields.RESTRICT
    )
    diner_id: int
    recipient: fields.ForeignKeyNullableRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="notifications", null=True, on_delete=fields.RESTRICT
    )
    recipient_id: int | None
    channel = fields.CharField(max_length=16)
    """A name in ``canteen.alerts.channels``: ``portal``, ``log``, or a plugged-in one (``sms``)."""
    payload: dict = fields.JSONField()
    """What the message says, in both languages, for any channel to render."""
    status = fields.CharField(max_length=16, default="pending")
    attempts = fields.SmallIntField(default=0)
    next_attempt_at = fields.DatetimeField()
    """Not tried again before this: a delivery in progress holds it forward (so two server
    processes never both send one message), a failed one backs off."""
    last_error = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notification"
        indexes = (("status", "next_attempt_at"), ("recipient_id", "id"), ("alert_id",))
