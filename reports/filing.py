"""The subsidy claim as a paper a clerk files: what it says, in the reader's language.

A :class:`Filing` is the content of one claim paper, built once and then written as an XLSX
sheet (``reports.export``) or a PDF (``reports.pdf``), so the two cannot say different things:

1. a title (``{funder}助餐补贴申报单``) and a title block of facts: claim number and status,
   applicant (申报单位), period (所属期), date prepared (制表日期), submission time;
2. sections, each a heading, a numbered table (序号) with its totals row, and notes: the rows
   claimed, the adjustments carried, the meals voided after submission (each with its meal,
   the moment of the void and its reason);
3. the closing: the amount in figures and in capitals (人民币大写, ``money.capitals``), how the
   meals are counted per funder, and the lines to sign (经办人 / 审核人 / 负责人) and stamp.

Everything here is pure: text comes from the caller's translator ``t`` (the pages' one
translation table), money stays ``int`` fen until a renderer formats it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from canteen.money import capitals, format_yuan
from reports.xlsx import Column

Words = Callable[..., str]
"""``t("key", name=value)``: a text in the reader's language (``canteen.web.i18n.translator``)."""


@dataclass(frozen=True)
class Table:
    """A numbered table: ``columns`` after the 序号 column, ``rows`` of dicts by column key,
    and a totals row (by key; its first cell says 合计) when ``totals`` is given."""

    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]
    totals: dict[str, Any] | None = None


@dataclass(frozen=True)
class Section:
    heading: str
    table: Table | None = None
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class Filing:
    title: str
    facts: Sequence[tuple[str, str]]
    sections: Sequence[Section]
    closing: Sequence[str] = field(default_factory=list)


def funder_name(t: Words, code: str) -> str:
    """市级, 区级, 街道 ...; a funder the table does not know keeps its code."""
    key = f"staff_funder_{code}"
    return code if t(key) == key else t(key)


def pays_name(t: Words, code: str) -> str:
    return t(f"staff_pays_{code}")


def applicant(canteen_id: int | None, names: dict[int, str], t: Words) -> str:
    """申报单位: the canteen claimed for, or every canteen by name (the operator's canteens)."""
    if canteen_id is not None:
        return names.get(canteen_id, str(canteen_id))
    return "、".join(names.values()) or t("staff_all_canteens")


def numbered(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their 序号 (from 1) under the key ``seq``."""
    return [{"seq": i, **row} for i, row in enumerate(rows, start=1)]


def money_lines(t: Words, fen: int, figures: str, words: str) -> list[str]:
    """The amount in figures and in capitals, as a claim states both."""
    return [
        t(figures, amount=format_yuan(fen, grouped=True)),
        t(words, capitals=capitals(fen)),
    ]


def signature_lines(t: Words) -> list[str]:
    return [t("paper_signatures"), t("paper_stamp")]


# --- The month's claim (every funder): the summary a clerk signs ------------------------------


def month_columns(t: Words) -> list[Column]:
    """The rows by canteen, funder and rule."""
    return [
        Column("canteen", t("paper_canteen"), "text", 22),
        Column("funder_name", t("paper_funder"), "text", 10),
        Column("label", t("paper_rule"), "text", 26),
        Column("pays_name", t("paper_pays"), "text", 16),
        Column("meals", t("paper_meals"), "int", 8),
        Column("subsidy_fen", t("paper_amount"), "fen", 14),
    ]


def month_rows(report: dict[str, Any], names: dict[int, str], t: Words) -> list[dict[str, Any]]:
    return numbered(
        [
            {
                **row,
                "canteen": names.get(row["canteen_id"], str(row["canteen_id"])),
                "funder_name": funder_name(t, row["funder"]),
                "pays_name": pays_name(t, row["pays"]),
            }
            for row in report["rows"]
        ]
    )


def month_summary(report: dict[str, Any], names: dict[int, str], t: Words, made_on: date) -> Filing:
    """The month's claim for every funder: what each owes, the total in figures and capitals,
    how meals are counted, and the lines to sign. The rows by canteen and rule go with it."""
    totals = report["totals"]
    funders = [
        {"funder_name": funder_name(t, f), "meals": totals["by_funder_meals"].get(f, 0), "fen": fen}
        for f, fen in totals["by_funder"].items()
    ]
    table = Table(
        [
            Column("funder_name", t("paper_funder"), "text", 22),
            Column("meals", t("paper_meals"), "int", 10),
            Column("fen", t("paper_amount"), "fen", 16),
        ],
        numbered(funders),
        {"meals": totals["meals"], "fen": totals["subsidy_fen"]},
    )
    note = t(
        "paper_meals_note",
        meals=totals["meals"],
        funder_meals=sum(totals["by_funder_meals"].values()),
    )
    return Filing(
        title=t("paper_claims_title", month=report["month"]),
        facts=[
            (t("paper_applicant"), applicant(report.get("canteen_id"), names, t)),
            (t("paper_period"), report["month"]),
            (t("paper_made_on"), made_on.isoformat()),
            (t("paper_status"), t("staff_live")),
        ],
        sections=[Section(t("paper_sheet_funders"), table, [note, t("paper_live_note")])],
        closing=[
            *money_lines(t, totals["subsidy_fen"], "paper_in_figures", "paper_in_capitals"),
            *signature_lines(t),
        ],
    )


# --- One funder's claim, as drafted or as submitted -------------------------------------------


def _void_rows(
    adjustments: Sequence[dict[str, Any]],
    names: dict[int, str],
    labels: dict[str, str],
    t: Words,
) -> list[dict[str, Any]]:
    return numbered(
        [
            {
                "meal_id": a["meal_id"],
                "local_date": str(a["local_date"]),
                "canteen": names.get(a["canteen_id"], str(a["canteen_id"])),
                "label": labels.get(a["rule"], a["rule"]),
                "amount_fen": a["amount_fen"],
                "voided_at": _moment(a["at"]),
                "void_reason": a.get("void_reason") or "",
                "carried_by": a["claim_id"] or t("paper_pending"),
            }
            for a in adjustments
        ]
    )


def _moment(value: Any) -> str:
    """A timestamp as a clerk reads it: ``2026-11-06 09:00`` (local time, as the API gave it)."""
    text = str(value or "")
    return text[:16].replace("T", " ")


def void_columns(t: Words) -> list[Column]:
    return [
        Column("meal_id", t("paper_meal"), "int", 10),
        Column("local_date", t("paper_meal_date"), "text", 12),
        Column("canteen", t("paper_canteen"), "text", 20),
        Column("label", t("paper_rule"), "text", 22),
        Column("amount_fen", t("paper_amount"), "fen", 12),
        Column("voided_at", t("paper_voided_at"), "text", 17),
        Column("void_reason", t("paper_void_reason"), "text", 16),
        Column("carried_by", t("paper_carried_by"), "int", 12),
    ]


def claim_paper(
    claim: dict[str, Any],
    names: dict[int, str],
    labels: dict[str, str],
    t: Words,
    made_on: date,
) -> Filing:
    """One funder's claim (``ClaimOut`` as a dict) as filed: its rows exactly as submitted (a
    draft: as they are now), the adjustments it carries, the amount claimed in figures and
    capitals, and every meal voided since its submission, listed apart with its void."""
    funder = funder_name(t, claim["funder"])
    rows = numbered(
        [
            {
                **row,
                "canteen": names.get(row["canteen_id"], str(row["canteen_id"])),
                "label": labels.get(row["rule"], row["rule"]),
                "pays_name": pays_name(t, row["pays"]),
            }
            for row in claim["rows"]
        ]
    )
    columns = [c for c in month_columns(t) if c.key != "funder_name"]
    rule_meals = sum(row["meals"] for row in claim["rows"])
    meals_note = t(
        "paper_funder_meals_note", funder=funder, meals=claim["meals"], rule_meals=rule_meals
    )
    state = (
        t("paper_draft_note")
        if claim["live"]
        else t("paper_frozen_note", at=_moment(claim["submitted_at"]))
    )
    sections = [
        Section(
            t("paper_subsidy"),
            Table(columns, rows, {"meals": claim["meals"], "subsidy_fen": claim["subsidy_fen"]}),
            [meals_note, state],
        ),
        Section(
            t("paper_adjustments"),
            Table(
                void_columns(t),
                _void_rows(claim["adjustments"], names, labels, t),
                {"amount_fen": claim["adjustment_fen"]},
            )
            if claim["adjustments"]
            else None,
            [] if claim["adjustments"] else [t("paper_none")],
        ),
    ]
    if claim["late_voids"]:
        later = sum(a["amount_fen"] for a in claim["late_voids"])
        sections.append(
            Section(
                t("paper_later_voids"),
                Table(
                    void_columns(t),
                    _void_rows(claim["late_voids"], names, labels, t),
                    {"amount_fen": later},
                ),
            )
        )
    facts = [
        (t("paper_claim_no"), str(claim["id"])),
        (t("paper_status"), t(f"staff_claim_{claim['status']}")),
        (t("paper_funder"), funder),
        (t("paper_applicant"), applicant(claim["canteen_id"], names, t)),
        (t("paper_period"), claim["month"]),
        (t("paper_submitted_at"), _moment(claim["submitted_at"]) or "–"),
        (t("paper_made_on"), made_on.isoformat()),
    ]
    if claim.get("paid_amount_fen") is not None:
        facts.append((t("paper_paid"), "¥" + format_yuan(claim["paid_amount_fen"], grouped=True)))
        facts.append((t("paper_paid_on"), str(claim["paid_on"])))
    return Filing(
        title=t("paper_claim_title", funder=funder),
        facts=facts,
        sections=sections,
        closing=[
            *money_lines(
                t, claim["claimed_fen"], "paper_claimed_in_figures", "paper_claimed_in_capitals"
            ),
            *signature_lines(t),
        ],
    )
