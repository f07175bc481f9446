"""Which pages each role has: one table, read for the site's menu (``base.html``) and the
office's tabs (``staff_base.html``).

A row names a page, the words of its link, and the action of the permission table
(``canteen.roles``) whose roles the page opens for; a page that works on the actor's own canteen
(the counter, its reconciliation) is shown only to someone who works at one. There is no second
list of roles: a role's menu is the rows its column of the permission table marks, and
``tests/web/test_nav.py`` checks each row's page answers every role as its row says.
"""

from dataclasses import dataclass

from canteen.roles import Actor, may


@dataclass(frozen=True)
class Entry:
    path: str
    words: str
    """The key of the link's words (``canteen.web.i18n``)."""
    action: str
    """The permission (a row of ``canteen.roles.PERMISSION_TABLE``) that opens the page."""
    needs_canteen: bool = False
    """Shown only to an actor who works at a canteen (a manager or cashier)."""
    own: str | None = None
    """Where the link goes for an actor with a canteen, ``{canteen_id}`` filled in (a manager's
    ``/staff/canteens`` is their own canteen's page)."""

    @property
    def office(self) -> bool:
        """Among the office's tabs (``staff_base.html``)."""
        return self.path.startswith("/staff")


PAGES: tuple[Entry, ...] = (
    Entry("/counter", "nav_counter", "checkout.sell", needs_canteen=True),
    Entry("/counter/reconciliation", "nav_reconciliation", "offline.read", needs_canteen=True),
    Entry("/kitchen", "nav_kitchen", "kitchen.record"),
    Entry("/deliver", "nav_deliver", "deliveries.mine"),
    Entry("/deliver/plan", "nav_deliver_plan", "deliveries.plan"),
    Entry("/watch", "nav_watch", "me.watched"),
    Entry("/points", "nav_points", "points.mine"),
    Entry("/family", "nav_family", "me.diners"),
    Entry("/staff", "staff_nav_claims", "reports.claims"),
    Entry("/staff/sustainability", "staff_nav_sustainability", "reports.sustainability"),
    Entry("/staff/finance", "staff_nav_finance", "finance.read"),
    Entry("/staff/simulate", "staff_nav_simulate", "policies.simulate"),
    Entry("/staff/misuse", "staff_nav_misuse", "reports.misuse"),
    Entry("/staff/diners", "staff_nav_diners", "diners.update"),
    Entry("/staff/cards/print", "staff_nav_cards", "cards.print"),
    Entry("/staff/policies", "staff_nav_policies", "policies.create"),
    Entry(
        "/staff/canteens",
        "staff_nav_canteens",
        "offerings.create",
        own="/staff/canteens/{canteen_id}",
    ),
    Entry("/staff/alerts", "watch_nav_board", "alerts.board"),
    Entry("/staff/points", "points_nav", "points.read"),
    Entry("/staff/users", "staff_nav_users", "users.manage"),
    Entry("/staff/audit", "staff_nav_audit", "audit.read"),
)


@dataclass(frozen=True)
class Link:
    href: str
    words: str
    current: bool
    office: bool


def _within(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


def links(actor: Actor | None, path: str) -> list[Link]:
    """The pages the actor may open, in the table's order; the one the visitor is on (the
    longest path that holds ``path``: ``/staff/diners/7`` is under ``/staff/diners``) marked."""
    if actor is None:
        return []
    shown = [
        entry
        for entry in PAGES
        if may(actor, entry.action) and (actor.canteen_id is not None or not entry.needs_canteen)
    ]
    hrefs = {
        entry.path: (
            entry.own.format(canteen_id=actor.canteen_id)
            if entry.own and actor.canteen_id is not None
            else entry.path
        )
        for entry in shown
    }
    holding = [e.path for e in shown if _within(path, e.path) or _within(path, hrefs[e.path])]
    here = max(holding, key=len, default=None)
    return [
        Link(hrefs[entry.path], entry.words, entry.path == here, entry.office) for entry in shown
    ]
