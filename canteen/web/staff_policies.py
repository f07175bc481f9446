"""The office's policy pages (民政): the policy in force and its history as tables of rules, and
a draft drawn up in a form, checked, simulated and adopted.

The tables read a policy as a clerk reads the notice it came from: who qualifies, how much,
who pays, how often. The draft form names each input after the field of ``POST /policies``
it fills (``rules.0.when.min_age``), so the API's 422, which names rule and field, lands
beside the very input to fix. A draft starts empty, from the policy in force, from an earlier
version, from one of the examples in ``docs/policies/``, or from an uploaded TOML or JSON
file; the page's script (``staff_policies.js``) turns the form into the JSON document and
sends it through ``page.js`` to ``POST /policies/simulate`` and ``POST /policies``, as any
client of the API would.
"""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response

from canteen import clock
from canteen.config import get_settings
from canteen.errors import CanteenError, CsrfFailed, InvalidInput, NoPolicy
from canteen.http import session
from canteen.money import format_yuan
from canteen.policies import files
from canteen.policies import service as policies
from canteen.policies.models import Policy
from canteen.policies.schema import CATEGORY_CODES, FUNDERS, MEAL_TYPES
from canteen.reporting import service as reports
from canteen.roles import Actor, Role
from canteen.web import i18n
from canteen.web.login import page_actor
from canteen.web.staff import read_draft, render_staff_page

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "docs" / "policies"
"""The worked examples; absent from an installed package, where the page offers none."""
HISTORY_SHOWN = 100
MAX_UPLOAD_BYTES = 200_000
ROLES = (Role.ADMIN, Role.STAFF)


def examples() -> dict[str, Path]:
    """The example files by name (``beijing``), in name order."""
    if not EXAMPLES_DIR.is_dir():
        return {}
    return {path.stem: path for path in sorted(EXAMPLES_DIR.glob("*.toml"))}


def example_names() -> list[tuple[str, str]]:
    """Each example's file name and the policy's own name, for the list to start from."""
    named = []
    for stem, path in examples().items():
        try:
            named.append((stem, str(files.read(path).get("name", stem))))
        except InvalidInput:
            named.append((stem, stem))
    return named


def conditions(when: dict[str, Any], t: Any, canteens: dict[int, str]) -> list[str]:
    """A rule's ``when`` in words, one phrase per condition: "80 岁及以上", "低保或特困"."""
    said = []
    low, high = when.get("min_age"), when.get("max_age")
    if low is not None and high is not None:
        said.append(t("pol_age_between", low=low, high=high))
    elif low is not None:
        said.append(t("pol_age_min", n=low))
    elif high is not None:
        said.append(t("pol_age_max", n=high))
    joiner = t("pol_or")
    if when.get("categories_any"):
        said.append(joiner.join(_category(c, t) for c in when["categories_any"]))
    if when.get("categories_all"):
        said.append(t("pol_and").join(_category(c, t) for c in when["categories_all"]))
    if when.get("disability_levels"):
        levels = t("pol_enum").join(str(n) for n in when["disability_levels"])
        said.append(t("pol_disability", levels=levels))
    if when.get("canteen_ids"):
        names = t("pol_enum").join(str(canteens.get(i, i)) for i in when["canteen_ids"])
        said.append(t("pol_at_canteens", names=names))
    if when.get("offering_tags_any"):
        tags = joiner.join(t(f"tag_{tag}") for tag in when["offering_tags_any"])
        said.append(t("pol_dish_tags", tags=tags))
    if when.get("registered_in"):
        said.append(t(f"pol_registered_{when['registered_in']}"))
    if when.get("min_price_fen"):
        said.append(t("pol_min_price", amount=format_yuan(when["min_price_fen"])))
    return said or [t("pol_everyone")]


def _category(code: str, t: Any) -> str:
    return t(f"cat_{code}") if code in CATEGORY_CODES else code


def amount(rule: dict[str, Any], t: Any) -> str:
    """ "¥5.00", or "25%，最高 ¥3.00"."""
    if rule.get("percent") is not None:
        text = t("pol_percent", n=rule["percent"])
        if rule.get("max_fen"):
            text += t("pol_at_most", amount=format_yuan(rule["max_fen"]))
        return text
    return f"¥{format_yuan(rule.get('amount_fen') or 0)}"


def limits(rule: dict[str, Any], t: Any) -> str:
    said = []
    if rule.get("daily_limit"):
        said.append(t("pol_daily_limit", n=rule["daily_limit"]))
    if rule.get("monthly_limit"):
        said.append(t("pol_monthly_limit", n=rule["monthly_limit"]))
    return t("pol_comma").join(said) or t("pol_no_limit")


def meals(rule: dict[str, Any], t: Any) -> str:
    chosen = rule.get("meal_types") or []
    return (
        t("pol_enum").join(t(f"family_meal_{m}") for m in chosen) if chosen else t("pol_every_meal")
    )


def _today() -> date:
    return clock.today(get_settings().tz)


async def _render(request: Request, actor: Actor, name: str, **context: Any) -> Response:
    t = i18n.translator(i18n.language(request))
    names = await reports.canteen_names()
    return await render_staff_page(
        request,
        name,
        actor,
        conditions=lambda when: conditions(when or {}, t, names),
        amount=lambda rule: amount(rule, t),
        limits=lambda rule: limits(rule, t),
        meals=lambda rule: meals(rule, t),
        **context,
    )


# --- The policy in force and its history ----------------------------------------------------


async def overview(request: Request) -> Response:
    """``GET /staff/policies``: the policy in force, those waiting to start, and the past ones."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    today = _today()
    try:
        in_force: Policy | None = await policies.current(actor, today)
    except NoPolicy:
        in_force = None
    page = await policies.list_policies(actor, HISTORY_SHOWN, None)
    ordered = sorted(page.items, key=lambda p: p.effective_from, reverse=True)
    return await _render(
        request,
        actor,
        "staff_policies.html",
        in_force=in_force,
        waiting=[p for p in ordered if p.effective_from > today],
        past=[p for p in ordered if p.effective_from <= today and p != in_force],
        more=page.next_cursor is not None,
        adopted=request.query_params.get("adopted"),
    )


# --- A draft ---------------------------------------------------------------------------------


def _blank() -> dict[str, Any]:
    return {"name": "", "stacking": "highest", "min_pay_fen": 0, "rules": [{"when": {}}]}


async def _starting_point(actor: Actor, source: str) -> dict[str, Any]:
    """The document a draft starts from: ``current``, ``policy:ID``, ``example:NAME`` or blank."""
    if source == "current":
        try:
            return dict((await policies.current(actor, None)).document)
        except NoPolicy:
            return _blank()
    if source.startswith("policy:") and source[7:].isdigit():
        return dict((await policies.get(actor, int(source[7:]))).document)
    if source.startswith("example:") and source[8:] in examples():
        return files.read(examples()[source[8:]])
    return _blank()


def _problems(document: dict[str, Any]) -> dict[str, str]:
    """What the API would refuse in this document, by field, to show beside each input."""
    try:
        files.parse(document)
    except InvalidInput as exc:
        return {e.field: e.message for e in exc.errors}
    return {}


async def draft(request: Request) -> Response:
    """``GET /staff/policies/new?from=``: the form, filled from where the draft starts.
    ``POST`` (an uploaded TOML or JSON file, with the page's CSRF token): the same form filled
    from the file, with what is wrong in it already marked beside each field."""
    actor = await page_actor(request, *ROLES)
    if not isinstance(actor, Actor):
        return actor
    source = request.query_params.get("from", "current")
    upload_error = None
    try:
        if request.method == "POST":
            document = await _uploaded(request)
            source = "upload"
        else:
            document = await _starting_point(actor, source)
    except CsrfFailed:
        document = _blank()
        upload_error = i18n.translator(i18n.language(request))("csrf_failed")
    except CanteenError as exc:
        document = _blank()
        upload_error = exc.errors[0].message if isinstance(exc, InvalidInput) else exc.detail
    document.pop("examples", None)
    tomorrow = _today() + timedelta(days=1)
    started = _day(document.get("effective_from"))
    if started is None or started < tomorrow:
        document["effective_from"] = tomorrow.isoformat()
    last_month_end = _today().replace(day=1) - timedelta(days=1)
    return await _render(
        request,
        actor,
        "staff_policy_new.html",
        document=document,
        errors=_problems(document) if source != "current" else {},
        source=source,
        upload_error=upload_error,
        examples=example_names(),
        versions=(await policies.list_policies(actor, HISTORY_SHOWN, None)).items,
        sim_from=last_month_end.replace(day=1),
        sim_to=last_month_end,
        category_codes=CATEGORY_CODES,
        meal_types=MEAL_TYPES,
        funder_codes=FUNDERS,
    )


def _day(value: object) -> date | None:
    """A draft's start as TOML (a date) or JSON (text) gives it; None when it is neither."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


async def _uploaded(request: Request) -> dict[str, Any]:
    token = session.session_token(request)
    assert token is not None  # page_actor found the session
    async with request.form(max_files=1, max_fields=10) as form:
        session.check_csrf(request, token, str(form.get("csrf", "")))
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInput.on("file", "choose a TOML or JSON file")
        content = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInput.on("file", f"is larger than {MAX_UPLOAD_BYTES} bytes")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.on("file", "is not UTF-8 text") from exc
    if upload.filename.lower().endswith(".json") and not text.lstrip().startswith("{"):
        raise InvalidInput.on("file", "must hold a JSON object, as POST /policies takes it")
    try:
        return read_draft(text)
    except InvalidInput as exc:
        raise InvalidInput.on("file", exc.errors[0].message) from exc
