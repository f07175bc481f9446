"""The office's and the operators' pages (民政 / 运营方): the month's subsidy claim, whether each
canteen covers its costs, the books, the policy simulator and the misuse signals.

Pages read and render on the server, over the same services the API calls, so a figure on a
page is the figure in the API and in the downloads. The charts are the API's PNGs and the
downloads are the API's files, fetched by the browser with the session cookie. The simulator's
draft policy travels in a POST form (too big for a URL): it changes nothing, and the form
carries the CSRF token like every POST. Changes (a cost or a grant, a claim's next step) go
through the JSON API from ``staff.js`` with the session cookie and the page's CSRF token, as on
the family portal; the page reloads to show the result.
"""

import json
import tomllib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from canteen import clock, periods
from canteen.claims import service as claims
from canteen.claims.models import FROZEN, Claim
from canteen.config import get_settings
from canteen.diners.models import Diner
from canteen.diners.service import CATEGORIES
from canteen.errors import CanteenError, FieldError, InvalidInput, NoPolicy
from canteen.finance import service as finance
from canteen.finance.models import CATEGORIES as BOOK_CATEGORIES
from canteen.http import session
from canteen.money import format_yuan
from canteen.policies import service as policies
from canteen.policies.schema import FUNDERS
from canteen.reporting import service as reports
from canteen.roles import PERMISSIONS, Actor, Role
from canteen.web import i18n
from canteen.web.login import page_actor
from canteen.web.pages import render_page

SCRIPT_PREFIX = "staff_js_"
"""Strings with this prefix go to ``staff.js`` too, as JSON in a data attribute."""
ROLES = (Role.ADMIN, Role.STAFF, Role.MANAGER)
TREND_MONTHS = 3
"""The dashboard opens on this many months, the current one included: enough for a trend."""
ENTRIES_SHOWN = 200
MAX_POLICY_CHARS = 200_000
"""A draft policy is a few kilobytes; the form refuses a pasted file of another kind."""


def may(actor: Actor, action: str) -> bool:
    return actor.role in PERMISSIONS[action]


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def yuan(fen: int) -> str:
    """Amounts such as ``¥1,234.50`` and ``-¥3.00``: on these pages they run to millions,
    grouped as a finance office reads them."""
    text = format_yuan(abs(fen), grouped=True)
    return f"-¥{text}" if fen < 0 else f"¥{text}"


def change(fen: int) -> str:
    """A change with its sign always shown: "+¥12.00", "-¥3.00", "¥0.00"."""
    return f"+{yuan(fen)}" if fen > 0 else yuan(fen)


def yuan_or_dash(fen: int | None) -> str:
    return "–" if fen is None else yuan(fen)


async def _page(
    request: Request, name: str, actor: Actor, status: int = 200, **context: Any
) -> Response:
    lang = i18n.language(request)
    return render_page(
        request,
        name,
        status=status,
        actor=actor,
        canteens=await reports.canteen_names(),
        funders=FUNDERS,
        funder_label=lambda code: i18n.translator(lang)(f"staff_funder_{code}"),
        yuan=yuan,
        plain_yuan=format_yuan,
        change=change,
        yuan_or_dash=yuan_or_dash,
        percent=percent,
        may=lambda action: may(actor, action),
        strings=i18n.script_strings(lang, SCRIPT_PREFIX),
        **context,
    )


render_staff_page = _page
"""The office's other page modules (``staff_*.py``) render through the same frame and tabs."""


def _today() -> date:
    return clock.today(get_settings().tz)


# --- Reading what the visitor asked for -----------------------------------------------------


@dataclass
class Asked:
    """The query (or form) values of a page, and the problems with them."""

    values: dict[str, str]
    errors: list[FieldError]

    def date(self, name: str, default: date) -> date:
        raw = self.values.get(name, "").strip()
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors.append(FieldError(name, "YYYY-MM-DD"))
            return default

    def month(self, name: str, default: str) -> str:
        raw = self.values.get(name, "").strip()
        if not raw:
            return default
        try:
            return periods.parse_month(raw)
        except ValueError:
            self.errors.append(FieldError(name, "YYYY-MM"))
            return default

    def canteen(self, actor: Actor) -> int | None:
        """The canteen asked for; a manager's is always their own."""
        if actor.role == Role.MANAGER:
            return actor.canteen_id
        raw = self.values.get("canteen", "").strip()
        if not raw:
            return None
        if raw.isdigit() and len(raw) <= 9:
            return int(raw)
        self.errors.append(FieldError("canteen", "a canteen's number"))
        return None


def _asked(request: Request) -> Asked:
    return Asked(dict(request.query_params), [])


async def _guarded(
    request: Request,
    actor: Actor,
    name: str,
    build: Callable[[], Awaitable[dict[str, Any]]],
    **context: Any,
) -> Response:
    """Render ``name`` with what ``build`` found, or with the error the services raised.

    A refused request renders the same page with the reason, under the status the API would
    answer, so a mistyped date or another canteen's number is told, never shown as empty.
    """
    try:
        found = await build()
    except CanteenError as exc:
        errors = getattr(exc, "errors", [])
        return await _page(
            request, name, actor, status=exc.status, problem=exc, field_errors=errors, **context
        )
    return await _page(request, name, actor, **context, **found)


def _refused(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput("Some of what was asked for is not valid.", errors=errors)


def _query(values: dict[str, object]) -> str:
    """A query string of the values given (None and empty ones left out)."""
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _link(path: str, **values: object) -> str:
    query = _query(values)
    return f"{path}?{query}" if query else path


# --- The month's claim ----------------------------------------------------------------------


async def claim_month(request: Request) -> Response:
    """``GET /staff?month=&canteen=``: what each funder owes for a month, and where claims stand."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    asked = _asked(request)
    this_month = periods.month_of(_today())
    month = asked.month("month", this_month)
    canteen_id = asked.canteen(actor)
    first, _ = periods.month_span(month)

    async def build() -> dict[str, Any]:
        _refused(asked.errors)
        found = await reports.subsidy_claims(actor, month, canteen_id)
        listed = await claims.list_claims(
            actor, month=month, funder=None, status=None, limit=100, cursor=None
        )
        return {
            "report": found.report,
            "labels": {row["rule"]: row["label"] for row in found.report["rows"]},
            "claims": await claims.views(listed.items),
            "draftable": _draftable(found.report, listed.items, month, this_month),
            "standings": await claims.outstanding(actor),
        }

    return await _guarded(
        request,
        actor,
        "staff_claims.html",
        build,
        month=month,
        canteen_id=canteen_id,
        month_over=month < this_month,
        previous=periods.month_of(first - timedelta(days=1)),
        following=periods.month_of(periods.next_month(first)),
        this_month=this_month,
        api_query=_query({"month": month, "canteen_id": canteen_id}),
        today=_today(),
        frozen=FROZEN,
    )


def _draftable(
    report: dict[str, Any], found: list[Claim], month: str, this_month: str
) -> list[str]:
    """Funders owed for a finished month that have no claim for it yet (the operator's own
    discount is nobody's debt)."""
    if month >= this_month:
        return []
    claimed = {claim.funder for claim in found}
    owed = report["totals"]["by_funder"]
    return [f for f in FUNDERS if f in owed and f != "operator" and f not in claimed]


# --- Can each canteen sustain itself? -------------------------------------------------------


async def sustainability(request: Request) -> Response:
    """``GET /staff/sustainability?from=&to=&canteen=``: revenue, costs, margin, break-even."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    asked, today = _asked(request), _today()
    canteen_id = asked.canteen(actor)
    start = asked.date("from", await _own_months(actor, canteen_id, today))
    end = asked.date("to", today)

    async def build() -> dict[str, Any]:
        _refused(asked.errors)
        report = await reports.sustainability_report(actor, start, end, canteen_id)
        days = periods.days_in(start, end)
        return {
            "report": report,
            "meals_per_day": report["meals"] / days,
            "days": days,
            "meal_days": sum(1 for day in report["days"] if day["meals"]),
        }

    return await _guarded(
        request,
        actor,
        "staff_sustainability.html",
        build,
        start=start,
        end=end,
        canteen_id=canteen_id,
        api_query=_query({"from": start, "to": end, "canteen_id": canteen_id}),
        link=_link,
    )


async def _own_months(actor: Actor, canteen_id: int | None, today: date) -> date:
    """The dashboard's default start: the canteen's first day with meals in the last
    :data:`TREND_MONTHS` months. Days before a canteen's first meal have costs and no meals,
    and would make its break-even figure a false alarm; with no meals in them, their start."""
    window = today.replace(day=1)
    for _ in range(TREND_MONTHS - 1):
        window = (window - timedelta(days=1)).replace(day=1)
    try:
        first = await reports.first_meal_day(actor, window, canteen_id)
    except CanteenError:
        return window  # the report itself then says what was refused
    return first if first is not None and first <= today else window


# --- The books: costs and grants ------------------------------------------------------------


async def books(request: Request) -> Response:
    """``GET /staff/finance?canteen=&from=&to=``: a canteen's costs and grants, and the form."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    asked, today = _asked(request), _today()
    start = asked.date("from", (today.replace(day=1) - timedelta(days=1)).replace(day=1))
    end = asked.date("to", today)
    names = await reports.canteen_names()
    canteen_id = asked.canteen(actor) or (min(names) if names else None)

    async def build() -> dict[str, Any]:
        _refused(asked.errors)
        if canteen_id is None:
            return {"entries": [], "more": False, "sums": {}}
        page = await finance.list_entries(
            actor, canteen_id, start=start, end=end, limit=ENTRIES_SHOWN, cursor=None
        )
        sums: dict[str, int] = {kind: 0 for kind in BOOK_CATEGORIES}
        for entry in page.items:
            sums[entry.kind] += entry.amount_fen
        return {"entries": page.items, "more": page.next_cursor is not None, "sums": sums}

    return await _guarded(
        request,
        actor,
        "staff_finance.html",
        build,
        start=start,
        end=end,
        today=today,
        canteen_id=canteen_id,
        book_categories=BOOK_CATEGORIES,
        shown=ENTRIES_SHOWN,
    )


# --- The policy simulator -------------------------------------------------------------------


def read_draft(text: str) -> dict[str, Any]:
    """A draft policy typed or pasted in the form: JSON when it starts with ``{``, else TOML
    (as the office keeps its policies, see ``docs/policies/``)."""
    if len(text) > MAX_POLICY_CHARS:
        raise InvalidInput.on("policy", f"is longer than {MAX_POLICY_CHARS} characters")
    stripped = text.strip()
    if not stripped:
        raise InvalidInput.on("policy", "is empty")
    try:
        data = json.loads(stripped) if stripped.startswith("{") else tomllib.loads(stripped)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        kind = "JSON" if stripped.startswith("{") else "TOML"
        raise InvalidInput.on("policy", f"is not valid {kind}: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput.on("policy", "must be an object")
    return data


async def _policy_in_force(actor: Actor) -> str:
    """The policy in force today, as the starting point of a draft."""
    try:
        policy = await policies.current(actor, None)
    except NoPolicy:
        return ""
    return json.dumps(policy.document, ensure_ascii=False, indent=2)


async def simulate(request: Request) -> Response:
    """``GET|POST /staff/simulate``: a past span's meals priced under a draft policy."""
    actor = await page_actor(request, Role.ADMIN, Role.STAFF)
    if not isinstance(actor, Actor):
        return actor
    today = _today()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    if request.method == "GET":
        return await _page(
            request,
            "staff_simulate.html",
            actor,
            draft=await _policy_in_force(actor),
            start=last_month_end.replace(day=1),
            end=last_month_end,
            canteen_id=None,
        )
    form = await request.form()
    token = session.session_token(request)
    assert token is not None  # page_actor logged someone in with it
    asked = Asked({k: str(v) for k, v in form.items()}, [])
    start = asked.date("from", last_month_end.replace(day=1))
    end = asked.date("to", last_month_end)
    canteen_id = asked.canteen(actor)
    draft = asked.values.get("policy", "")

    async def build() -> dict[str, Any]:
        session.check_csrf(request, token, asked.values.get("csrf"))
        _refused(asked.errors)
        result = await reports.simulate(actor, read_draft(draft), start, end, canteen_id)
        result["by_funder"].sort(key=lambda row: FUNDERS.index(row["funder"]))
        return {"result": result}

    return await _guarded(
        request,
        actor,
        "staff_simulate.html",
        build,
        draft=draft,
        start=start,
        end=end,
        canteen_id=canteen_id,
        category_names=CATEGORIES,
    )


# --- Misuse signals -------------------------------------------------------------------------


async def misuse(request: Request) -> Response:
    """``GET /staff/misuse?from=&to=``: patterns worth a look, each with the meals behind it."""
    actor = await page_actor(request, Role.ADMIN, Role.STAFF)
    if not isinstance(actor, Actor):
        return actor
    asked, today = _asked(request), _today()
    start, end = asked.date("from", today - timedelta(days=30)), asked.date("to", today)

    t = i18n.translator(i18n.language(request))

    async def build() -> dict[str, Any]:
        _refused(asked.errors)
        found = await reports.misuse_signals(actor, start, end)
        ids = {s["diner_id"] for s in found["signals"] if s.get("diner_id") is not None}
        named = await Diner.filter(id__in=ids).values_list("id", "name")
        return {"found": found, "diner_names": dict(named)}

    return await _guarded(
        request,
        actor,
        "staff_misuse.html",
        build,
        start=start,
        end=end,
        span=t("misuse_span", start=day_words(t, start), end=day_words(t, end)),
        day=lambda day: day_words(t, day),
        why=lambda signal: signal_words(t, signal),
    )


def day_words(t: Callable[..., str], day: date | str) -> str:
    """A day as the page's language writes it (2025年10月1日, 1 October 2025): the date inputs
    are drawn in the browser's language, so the heading says the span in the page's."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return t("misuse_day", y=day.year, d=day.day, month=t(f"misuse_month_{day.month}"))


def signal_words(t: Callable[..., str], signal: dict[str, Any]) -> str:
    """Why a signal was raised, in the page's language: its code's sentence with its numbers
    (the report's ``detail`` is English only)."""
    names = t("misuse_names_sep").join(signal.get("districts") or [])
    return t(f"misuse_{signal['code']}", **signal["numbers"], names=names)
