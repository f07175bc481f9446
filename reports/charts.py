"""Charts for the pages, as PNG bytes (matplotlib's Agg canvas; no pyplot, no global state).

Each function takes a report dict (``reports.claims.report``, ``reports.sustainability.report``)
and the translator ``t`` of the page's language, and returns a PNG: titles, axes, legends and
funders in Chinese (or English), drawn with the CJK font ``reports.fonts`` finds (the caller
asks for English when there is none: ``fonts.language``). Amounts are plotted in yuan: a chart
is a picture, the exact fen are in the tables.
"""

import io
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from reports import fonts
from reports.filing import Words, funder_name

SIZE = (8, 3.6)
DPI = 100
REVENUE, COST, MARGIN, LINE = "#2e7d32", "#c62828", "#1565c0", "#6d4c41"


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    for text in fig.findobj(Text):
        text.set_fontfamily(fonts.families())
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return buffer.getvalue()


def _figure() -> tuple[Figure, Any]:
    fig = Figure(figsize=SIZE, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _empty(ax: Any, t: Words) -> None:
    ax.text(0.5, 0.5, t("paper_chart_empty"), ha="center", va="center", color="grey")
    ax.set_xticks([])
    ax.set_yticks([])


def claim_by_funder(report: dict[str, Any], t: Words) -> bytes:
    """Horizontal bars: what each funder owes for the month, in yuan, largest first."""
    fig, ax = _figure()
    owed = sorted(report["totals"]["by_funder"].items(), key=lambda kv: kv[1])
    if not owed:
        _empty(ax, t)
    else:
        names = [funder_name(t, funder) for funder, _ in owed]
        values = [fen / 100 for _, fen in owed]
        bars = ax.barh(names, values, color=MARGIN)
        ax.bar_label(bars, labels=[f"{v:,.2f}" for v in values], padding=3)
        ax.set_xlabel(t("paper_yuan"))
        ax.margins(x=0.2)
    ax.set_title(t("paper_chart_claim", month=report["month"]))
    return _png(fig)


def revenue_and_cost(report: dict[str, Any], t: Words) -> bytes:
    """Per month of the span: revenue and cost bars side by side, the margin as a line."""
    fig, ax = _figure()
    months = report["months"]
    if not any(m["meals"] or m["cost_fen"] for m in months):
        _empty(ax, t)
    else:
        x = list(range(len(months)))
        ax.bar([i - 0.2 for i in x], [m["revenue_fen"] / 100 for m in months], 0.4,
               color=REVENUE, label=t("staff_revenue"))  # fmt: skip
        ax.bar([i + 0.2 for i in x], [m["cost_fen"] / 100 for m in months], 0.4,
               color=COST, label=t("staff_cost"))  # fmt: skip
        ax.plot(x, [m["margin_fen"] / 100 for m in months], marker="o", color=MARGIN,
                label=t("staff_margin"))  # fmt: skip
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_xticks(x, [m["month"] for m in months])
        ax.set_ylabel(t("paper_yuan"))
        ax.legend(frameon=False)
    ax.set_title(t("staff_chart_margin"))
    return _png(fig)


def per_meal(report: dict[str, Any], t: Words) -> bytes:
    """Per month: cost per meal against revenue per meal, in yuan."""
    fig, ax = _figure()
    months = [m for m in report["months"] if m["meals"]]
    if not months:
        _empty(ax, t)
    else:
        labels = [m["month"] for m in months]
        ax.plot(labels, [m["revenue_per_meal_fen"] / 100 for m in months], marker="o",
                color=REVENUE, label=t("staff_revenue_per_meal"))  # fmt: skip
        ax.plot(labels, [m["cost_per_meal_fen"] / 100 for m in months], marker="o",
                color=COST, label=t("staff_cost_per_meal"))  # fmt: skip
        ax.set_ylabel(t("paper_yuan"))
        ax.set_ylim(bottom=0)
        ax.legend(frameon=False)
    ax.set_title(t("staff_chart_per_meal"))
    return _png(fig)


def meals_and_break_even(report: dict[str, Any], t: Words) -> bytes:
    """Meals served each day, with the break-even meals a day as a dashed line."""
    fig, ax = _figure()
    days = report["days"]
    if not any(d["meals"] for d in days):
        _empty(ax, t)
    else:
        ax.bar([d["date"][5:] for d in days], [d["meals"] for d in days], color=REVENUE,
               label=t("paper_meals_a_day"))  # fmt: skip
        target = report.get("break_even_meals_per_day")
        if target is not None:
            line = t("paper_break_even_line", n=target)
            ax.axhline(target, color=LINE, linestyle="--", label=line)
        step = max(1, len(days) // 10)
        ax.set_xticks(range(0, len(days), step), [d["date"][5:] for d in days][::step])
        ax.legend(frameon=False)
    ax.set_title(t("staff_chart_break_even"))
    return _png(fig)
