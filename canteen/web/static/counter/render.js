/* Showing things: the panels, the quote and the sale, the receipt, the status line, the dishes,
 * the red screen's words and the manager's list. Each function draws what it is given; none
 * decides anything about the sale. The page's words arrive as JSON in data-strings (the CSP
 * forbids inline scripts). */
import { words, yuan } from "/static/page.js";
import { till } from "./state.js";

export const S = JSON.parse(till.root.dataset.strings);
export const tr = words(till.root); // a string of the page's language, {placeholders} filled
export const $ = (id) => document.getElementById(id);

const PANELS = ["idle", "busy", "quote", "sold"];
const ACCOUNT_WARNINGS = ["low_balance", "subsidy_limit_reached", "recent_sale"];

// --- Words and money ---------------------------------------------------------------------

export function money(fen) {
  return tr("money", { v: yuan(fen) });
}

export function reasonText(code) {
  return S[`reason_${code}`] || code;
}

/** Diet flags and account warnings in words; an unknown flag shows as it is. */
function warningText(code) {
  if (code.startsWith("allergy:")) return tr("diet_allergy", { x: code.slice(8) });
  return S[`diet_${code}`] || S[`warn_${code}`] || code;
}

// --- Building blocks -----------------------------------------------------------------------

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

export function fill(list, items, render) {
  list.replaceChildren(...items.map(render));
}

function initial(name) {
  return Array.from(name || "?")[0];
}

export function showPanel(name) {
  PANELS.forEach((id) => { $(id).hidden = id !== name; });
}

export function showBusy(text) {
  $("busy-text").textContent = text;
  showPanel("busy");
}

// --- The status line -----------------------------------------------------------------------

export function renderCount(count) {
  $("count").textContent = tr("today", { n: count === null ? "–" : count });
}

export function renderQueue(n) {
  $("queue").hidden = n === 0;
  $("queue").textContent = tr("queue", { n });
}

export function renderPending(n) {
  $("pending").hidden = n === 0;
  $("pending").textContent = tr("pending", { n });
}

/** The last sale stays in view while the queue moves on to the next person. */
export function renderLast(sale) {
  const what = sale.voided
    ? tr("voided", { amount: money(sale.pay_fen) })
    : `${S.sold} ${money(sale.pay_fen)} · ${S.balance} ${money(sale.balance_after_fen)}`;
  $("last").textContent = tr("last", { name: sale.diner.name, what });
  $("last").hidden = false;
}

// --- The person at the counter -------------------------------------------------------------

/** The breakdown belongs on the receipt, folded away, never on the screen the queue sees. */
function renderReceipt(table, data) {
  const rows = [[S.price, money(data.price_fen)]];
  data.subsidies.forEach((line) => rows.push([line.label, `-${money(line.amount_fen)}`]));
  rows.push([S.subsidy, money(data.subsidy_fen)], [S.pay, money(data.pay_fen)]);
  rows.push([S.balance_after, money(data.balance_after_fen)]);
  if (data.meal_id) rows.push([S.meal_no, String(data.meal_id)]);
  if (data.manual_reason) rows.push([S.no_card, reasonText(data.manual_reason)]);
  fill(table, rows, ([label, value]) => {
    const row = el("tr");
    row.append(el("th", label), el("td", value));
    return row;
  });
  table.closest("details").open = false;
}

/** The quote; ``short``: the account cannot pay, so cash is offered instead of a green confirm. */
export function renderQuote(job, short) {
  const q = job.quote;
  $("q-initial").textContent = initial(q.diner.name);
  $("q-name").textContent = q.diner.name;
  $("q-manual").hidden = !job.who.manual_reason;
  fill($("q-warnings"), q.warnings, (code) => {
    const diet = !ACCOUNT_WARNINGS.includes(code);
    return el("li", warningText(code), diet ? "warn diet" : "warn account");
  });
  $("q-pay").textContent = money(q.pay_fen);
  $("q-subsidy").textContent = money(q.subsidy_fen);
  $("q-after").textContent = money(q.balance_after_fen);
  renderReceipt($("q-receipt"), q);
  $("confirm").disabled = short;
  $("confirm").classList.toggle("short", short);
  $("confirm").textContent = short ? S.short : S.confirm;
  $("cash").hidden = !short;
  $("q-short").hidden = !short;
  $("q-short").textContent = short ? tr("short_hint", { amount: money(q.pay_fen) }) : "";
  $("q-hint").hidden = short;
  showPanel("quote");
}

/** The buttons while a sale is on its way: nothing can be pressed twice. */
export function renderSelling() {
  $("confirm").disabled = true;
  $("cash").disabled = true;
  $("confirm").textContent = S.selling;
}

export function renderSold(sale) {
  $("cash").disabled = false;
  $("s-initial").textContent = initial(sale.diner.name);
  $("s-name").textContent = sale.diner.name;
  $("s-pay").textContent = money(sale.pay_fen);
  $("s-balance").textContent = money(sale.balance_after_fen);
  $("s-voided").hidden = true;
  renderReceipt($("s-receipt"), sale);
  showPanel("sold");
}

export function renderVoided(sale) {
  $("void-open").disabled = true;
  renderLast(sale);
  $("s-voided").textContent = tr("voided", { amount: money(sale.pay_fen) });
  $("s-voided").hidden = false;
}

/** The question before a second meal, with how long ago the first was sold when known. */
export function renderDouble(quote) {
  const seconds = quote.recent_sale_seconds;
  $("double-title").textContent = seconds === null || seconds === undefined
    ? S.double_title : tr("recent_title", { n: seconds });
  $("double-who").textContent = `${quote.diner.name} · ${S.pay} ${money(quote.pay_fen)}`;
  $("double").hidden = false;
}

// --- Dishes, the red screen, the manager's list --------------------------------------------

export function renderDishes(dishes, chosenId) {
  const box = $("dishes");
  if (!dishes.length) {
    box.replaceChildren(el("p", S.no_dishes, "no-dishes"));
    return;
  }
  fill(box, dishes, (dish) => {
    const button = el("button", undefined, "dish");
    button.type = "button";
    button.dataset.id = dish.id;
    button.setAttribute("aria-pressed", String(dish.id === chosenId));
    button.append(
      el("span", dish.name, "dish-name"), el("span", money(dish.price_fen), "dish-price"),
    );
    return button;
  });
}

/** What the red screen says about an error: the problem's own words where the page has them. */
export function errorText(error) {
  if (error.text) return error.text;
  const p = error.problem || {};
  if (p.code === "insufficient_balance") {
    return tr("err_insufficient_balance", { amount: money(p.shortfall_fen || 0) });
  }
  if (p.code === "csrf_failed") return S.csrf_failed;
  if (error.status >= 500) return S.err_server;
  return S[`err_${p.code}`] || tr("err_other", { code: p.code || error.status });
}

export function renderError(error, who, canRetry, canGiveUp) {
  $("error-text").textContent = errorText(error);
  $("error-who").textContent = who;
  $("error-ok").textContent = canRetry ? S.retry : S.dismiss;
  $("error-give-up").hidden = !canGiveUp;
  $("error").hidden = false;
}

export function renderManual(meals) {
  const rows = meals.map((m) => {
    const time = new Date(m.at).toLocaleTimeString("en-GB", {
      timeZone: till.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
    const reason = reasonText(m.manual_reason);
    return `${time} ${m.diner_name} · ${reason} · ${money(m.pay_fen)} · ${S.seller} ${m.sold_by}`;
  });
  fill($("manual-list"), rows.length ? rows : [S.none], (text) => el("li", text));
}
