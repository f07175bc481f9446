"""Who watches over an elder who lives alone (看护人): a building head (楼栋长), a grid worker
(网格员), a red-vest volunteer (红马甲) or a neighbour, each a user with role ``volunteer`` or
``staff``. Every alert about the elder reaches them with the family and the canteen, and they
may handle and follow it up (``canteen.alerts.service``)."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from canteen.auth.models import User
    from canteen.diners.models import Diner

RELATIONS = ("building_head", "grid_worker", "volunteer", "neighbour")
WATCHER_ROLES = ("volunteer", "staff")


class Watcher(Model):
    """One person watching over one elder."""

    id = fields.IntField(primary_key=True)
    diner: fields.ForeignKeyRelation["Diner"] = fields.ForeignKeyField(
        "models.Diner", related_name="watchers", on_delete=fields.RESTRICT
    )
    diner_id: int
    user: fields.ForeignKeyRelation["User"] = fields.ForeignKeyField(
        "models.User", related_name="watching", on_delete=fields.RESTRICT
    )
    user_id: int
    relation = fields.CharField(max_length=16)
    """One of ``RELATIONS`` (``ck_watcher_relation``)."""
    created_at = fields.DatetimeField()

    class Meta:
        table = "watcher"
        unique_together = (("diner", "user"),)
        indexes = (("user_id", "diner_id"),)
