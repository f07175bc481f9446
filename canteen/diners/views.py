"""Each role's view of a diner, field by field: the least each one's work needs (PIPL).

An ``x`` shows the field to the role; a ``.`` answers it as ``null``. docs/security.md renders
this table (``render_markdown``) and a test keeps the two the same, so the documentation
cannot drift from what the API does. Pure.

Why each ``.``: the counter (``manager``, ``cashier``) identifies the elder by name, age and
gender, warns on diet, and sells against status and balance; the subsidy lines of a quote
already show what pricing needs of the categories. The ID number's mask is the office's
(it enrols and corrects); the birth date goes to whom it concerns (the office, the family),
while the counter gets the age. A manager follows up a missed meal, so sees the phone; the
address and the household registration (district, street) decide nothing at the counter.
Health data (``disability_level``) and the categories (低保, 特困, 失独 ...) stay with the
office; the family sees what a relative knows anyway, not how the state classifies them. The
system (the command line's reports, run by whoever keeps the server) sees what the office sees.
"""

from canteen.roles import Role

VIEW_TABLE = """
field              admin  staff  manager  cashier  family  system
id                   x      x       x        x       x       x
name                 x      x       x        x       x       x
id_number_masked     x      x       .        .       .       x
birth_date           x      x       .        .       x       x
gender               x      x       x        x       x       x
age                  x      x       x        x       x       x
age_on               x      x       x        x       x       x
phone                x      x       x        .       x       x
address              x      x       .        .       x       x
district             x      x       .        .       x       x
street               x      x       .        .       x       x
categories           x      x       .        .       .       x
disability_level     x      x       .        .       .       x
dietary              x      x       x        x       x       x
status               x      x       x        x       x       x
home_canteen_id      x      x       x        x       x       x
balance_fen          x      x       x        x       x       x
"""


def _parse(table: str) -> dict[str, frozenset[Role]]:
    header, *rows = [line.split() for line in table.strip().splitlines()]
    roles = [Role(name) for name in header[1:]]
    views: dict[str, frozenset[Role]] = {}
    for name, *marks in rows:
        if len(marks) != len(roles) or set(marks) - {"x", "."} or name in views:
            raise ValueError(f"view row {name!r} is malformed")
        views[name] = frozenset(r for r, mark in zip(roles, marks, strict=True) if mark == "x")
    return views


VIEWS: dict[str, frozenset[Role]] = _parse(VIEW_TABLE)
ROLES: tuple[Role, ...] = tuple(Role(name) for name in VIEW_TABLE.split("\n")[1].split()[1:])


def shown(role: Role, field: str) -> bool:
    return role in VIEWS[field]


def hidden_fields(role: Role) -> tuple[str, ...]:
    """The fields ``role`` receives as ``null``."""
    return tuple(name for name, roles in VIEWS.items() if role not in roles)


def render_markdown() -> str:
    """The table as docs/security.md shows it."""
    head = "| field | " + " | ".join(ROLES) + " |"
    rule = "| --- |" + " :---: |" * len(ROLES)
    rows = [
        f"| `{name}` | " + " | ".join("x" if r in roles else "·" for r in ROLES) + " |"
        for name, roles in VIEWS.items()
    ]
    return "\n".join([head, rule, *rows])
