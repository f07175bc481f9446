"""Who may do what: one table, read at a glance, enforced in one place (``canteen.http``).

Each row is an action; an ``x`` under a role allows it. Reach is narrower than the table for
three roles, and the services enforce it: a ``manager`` or ``cashier`` acts only for their own
canteen, and a ``family`` user only for the diners linked to them; anything outside that reach
answers 404 ``not_found``, as if it did not exist.

Alerts follow the same reach: a manager or cashier sees and handles the alerts of the diners
whose home canteen is theirs (the canteen's staff list), a family user only reads those of
their linked diners; the office handles any. A volunteer reads, handles and follows up only the
alerts of the elders they watch (``canteen.watchers``); the board (``alerts.board``) shows a
manager their own canteen's cases.

Money reports follow it too: a manager records and reads only their own canteen's costs and
grants, reads only their own canteen's claims and sustainability, and never the office's
misuse signals or policy simulations.

A ``volunteer`` (红马甲) brings meals home: they hand over only the orders on the delivery
runs assigned to them, and read the menus; nothing else of any elder. Delivery runs follow the
same reach: whoever is named a run's deliverer (a volunteer, or the office's or the canteen's
own staff) reads it and records its stops; the canteen's manager plans, reads and records its
runs, a cashier reads them; the office reads all, and the admin records any.

Volunteers' points: a volunteer reads their own (``points.mine``); the office and every
canteen's manager read every volunteer's, and a manager (at any canteen: a volunteer exchanges
points where they work that day) or the admin records a redemption. Nothing credits points by
hand: only a delivered stop and a handled alert do.

``cards.print`` (the QR image, the printable sheet) is narrower than ``cards.read``: a QR code
is a working copy of the card, so only the office that issues cards may produce one.

The ``system`` column is the command line and the server's own work (``SYSTEM``): it adds
the first admin, brings in a district's scheme (``policies.backdate``: a policy dated in the
past, which no user may), and runs the office's reports from a shell. It holds no
user row, so no one logs in as it, and its audit entries have no user: they read as the system.
"""

from dataclasses import dataclass
from enum import StrEnum

from canteen.errors import Forbidden


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    """Civil-affairs office (民政): enrols diners, sets policy, reviews claims."""
    MANAGER = "manager"
    """Runs one canteen (运营方)."""
    CASHIER = "cashier"
    """Works one canteen's counter."""
    FAMILY = "family"
    """Sees and tops up only the diners linked to them."""
    VOLUNTEER = "volunteer"
    """A 红马甲 volunteer: brings meals home on the runs assigned to them."""
    SYSTEM = "system"
    """The command line and the server's own work: no user logs in as it (see ``SYSTEM``)."""


USER_ROLES: tuple[Role, ...] = tuple(role for role in Role if role is not Role.SYSTEM)
"""The roles a user account may hold."""


PERMISSION_TABLE = """
action                admin  staff  manager  cashier  family  volunteer  system
auth.logout             x      x       x        x       x         x       .
users.create            x      .       .        .       .         .       x
users.read              x      .       .        .       .         .       x
users.manage            x      .       .        .       .         .       x
audit.read              x      .       .        .       .         .       .
canteens.create         x      .       .        .       .         .       x
canteens.read           x      x       x        x       x         x       .
offerings.create        x      .       x        .       .         .       .
diners.create           x      x       .        .       .         .       x
diners.read             x      x       x        x       x         .       .
diners.search           x      x       x        x       .         .       .
diners.update           x      x       .        .       .         .       .
diners.link_family      x      x       .        .       .         .       .
me.diners               .      .       .        .       x         .       .
accounts.read           x      x       x        x       x         .       .
accounts.topup          x      x       x        x       .         .       .
accounts.refund         x      x       .        .       .         .       .
accounts.adjust         x      .       .        .       .         .       .
policies.create         x      x       .        .       .         .       x
policies.backdate       .      .       .        .       .         .       x
policies.read           x      x       x        x       .         .       .
cards.issue             x      x       .        .       .         .       .
cards.revoke            x      x       x        .       .         .       .
cards.read              x      x       x        x       .         .       x
cards.print             x      x       .        .       .         .       .
checkout.quote          x      .       x        x       .         .       .
checkout.lookup         x      .       x        x       .         .       .
checkout.sell           x      .       x        x       .         .       .
checkout.void           x      .       x        x       .         .       .
meals.read              x      x       x        x       x         .       .
meals.count             x      x       x        x       .         .       .
accounts.set_threshold  x      x       .        .       x         .       .
payments.create_intent  x      x       .        .       x         .       .
payments.read_intent    x      x       .        .       x         .       .
alerts.read             x      x       x        x       x         x       .
alerts.handle           x      x       x        x       .         x       .
found.read              x      x       .        .       x         .       .
found.reply             x      x       .        .       x         .       .
found.switch            x      x       .        .       x         .       .
alerts.board            x      x       x        .       .         .       .
finance.record          x      .       x        .       .         .       x
finance.reverse         x      .       x        .       .         .       .
finance.read            x      x       x        .       .         .       .
reports.claims          x      x       x        .       .         .       x
reports.sustainability  x      x       x        .       .         .       x
reports.misuse          x      x       .        .       .         .       x
policies.simulate       x      x       .        .       .         .       .
claims.draft            x      x       .        .       .         .       .
claims.submit           x      x       .        .       .         .       .
claims.approve          x      x       .        .       .         .       .
claims.mark_paid        x      x       .        .       .         .       .
claims.read             x      x       x        .       .         .       .
canteens.update         x      .       x        .       .         .       .
menus.write             x      .       x        .       .         .       .
menus.read              x      x       x        x       x         x       .
orders.place            x      x       x        x       x         .       .
orders.cancel           x      x       x        x       x         .       .
orders.read             x      x       x        x       x         .       .
orders.hand_over        x      x       x        x       .         x       .
deliveries.plan         x      .       x        .       .         .       .
deliveries.read         x      x       x        x       .         x       .
deliveries.mine         .      x       x        x       .         x       .
deliveries.record       x      x       x        x       .         x       .
kitchen.read            x      x       x        x       .         .       .
kitchen.record          x      .       x        x       .         .       .
watchers.manage         x      x       .        .       .         .       x
watchers.read           x      x       .        .       .         .       .
me.watched              .      x       .        .       .         x       .
points.mine             .      .       .        .       .         x       .
points.read             x      x       x        .       .         .       .
points.redeem           x      .       x        .       .         .       .
notify.choose           .      .       .        .       x         .       .
offline.snapshot        .      .       x        x       .         .       .
offline.sync            .      .       x        x       .         .       .
offline.read            x      .       x        .       .         .       .
"""


def _parse(table: str) -> dict[str, frozenset[Role]]:
    header, *rows = [line.split() for line in table.strip().splitlines()]
    roles = [Role(name) for name in header[1:]]
    parsed = {}
    for action, *marks in rows:
        if len(marks) != len(roles) or set(marks) - {"x", "."} or action in parsed:
            raise ValueError(f"permission row {action!r} is malformed")
        parsed[action] = frozenset(
            role for role, mark in zip(roles, marks, strict=True) if mark == "x"
        )
    return parsed


PERMISSIONS: dict[str, frozenset[Role]] = _parse(PERMISSION_TABLE)


@dataclass(frozen=True)
class Actor:
    """The caller of a use case: an authenticated user, or ``SYSTEM``."""

    user_id: int
    username: str
    role: Role
    canteen_id: int | None = None
    """The canteen a manager or cashier works for."""

    @property
    def recorded_user_id(self) -> int | None:
        """The user a record of this actor's work points at (``created_by``, the audit log's
        actor): none for the system, which is no user, so its entries read as the system."""
        return None if self.role is Role.SYSTEM else self.user_id


SYSTEM = Actor(user_id=0, username="system", role=Role.SYSTEM)
"""The command line (``canteen user add``, ``canteen demo``, reports) and the server's own
periodic work: trusted with exactly the actions its column of the table marks, and checked by
``require`` like any other actor."""


def may(actor: Actor, action: str) -> bool:
    """Whether the actor's role may perform ``action`` (a row of the table)."""
    return actor.role in PERMISSIONS[action]


def require(actor: Actor, action: str) -> None:
    """Raise ``Forbidden`` unless the actor's role may perform ``action`` (a row of the table)."""
    if not may(actor, action):
        raise Forbidden(f"A {actor.role} may not do {action}.")
