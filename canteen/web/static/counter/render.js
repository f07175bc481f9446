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

// --- Words and money ---------------------------------------------------------------------

export function money(fen) {
  return tr("money", { v: yuan(fen) });
}

export function reasonText(code) {
  return S[`reason_${code}`] || code;
}

/** HH:MM of a moment, on the canteen's clock. */
export function clockTime(at) {
  return new Date(at).toLocaleTimeString("en-GB", {
    timeZone: till.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
}

/** What a voided sale means at the till: money back on the account, or cash to hand back. */
export function voidedText(sale) {
  const amount = money(sale.pay_fen);
  return tr(sale.payment === "cash" ? "voided_cash" : "voided", { amount });
}

/** A warning of the quote in words, by the kind the server gave it (``warning_details``);
 * a diet flag the page has no word for shows as it is (an allergy as the office wrote it). */
function warningText(warning) {
  const { kind, code } = warning;
  if (kind === "sale" && warning.seconds != null) {
    return tr("warn_recent_seconds", { n: warning.seconds });
  }
  if (kind === "sale") return S.warn_recent_sale;
  if (kind === "limit") return S.warn_subsidy_limit_reached;
  if (kind === "account") return S[`warn_${code}`] || code;
  if (code.startsWith("allergy:")) return tr("diet_allergy", { x: code.slice(8) });
  return S[`diet_${code}`] || code;
}

/** Each warning once, in words, the diet ones marked apart from those about money and sales
 * (two rules' limits used up read the same to the cashier). */
function warningItems(details) {
  const seen = new Map();
  for (const warning of details) {
    const text = warningText(warning);
    if (!seen.has(text)) seen.set(text, warning.kind === "diet" ? "warn diet" : "warn account");
  }
  return [...seen];
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

/** A modal dialog (find, cash, top-up, today's sales) has the keyboard, not the scanner. */
export function dialogOpen() {
  return document.querySelector("dialog[open]") !== null;
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
  let what = `${S.sold} ${money(sale.pay_fen)} · ${S.balance} ${money(sale.balance_after_fen)}`;
  if (sale.payment === "cash") what = `${S.paid_cash} ${money(sale.pay_fen)}`;
  if (sale.voided) what = voidedText(sale);
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
  $("q-offline").hidden = true;
  $("q-initial").textContent = initial(q.diner.name);
  $("q-name").textContent = q.diner.name;
  $("q-manual").hidden = !job.who.manual_reason;
  fill($("q-warnings"), warningItems(q.warning_details), ([text, kind]) => el("li", text, kind));
  $("q-pay").textContent = money(q.pay_fen);
  $("q-subsidy").textContent = money(q.subsidy_fen);
  $("q-after").textContent = money(q.balance_after_fen);
  renderReceipt($("q-receipt"), q);
  $("confirm").disabled = short;
  $("confirm").classList.toggle("short", short);
  $("confirm").textContent = short ? S.short : S.confirm;
  $("cash").disabled = false;
  $("q-topup").disabled = false;
  $("q-short").hidden = !short;
  $("q-short").textContent = short ? tr("short_hint", { amount: money(q.pay_fen) }) : "";
  $("q-hint").hidden = short;
  showPanel("quote");
}

/** The buttons while a sale is on its way: nothing can be pressed twice. */
export function renderSelling() {
  $("confirm").disabled = true;
  $("cash").disabled = true;
  $("q-topup").disabled = true;
  $("confirm").textContent = S.selling;
}

/** The sale made: from the account, the new balance; for cash, the change to hand back.
 * ``receivedFen``: the cash the cashier counted (cash sales only). */
export function renderSold(sale, receivedFen) {
  const byCash = sale.payment === "cash";
  $("s-initial").textContent = initial(sale.diner.name);
  $("s-name").textContent = sale.diner.name;
  $("s-paid-by").textContent = byCash ? S.paid_cash : S.sold;
  $("s-pay").textContent = money(sale.pay_fen);
  $("s-amount-label").textContent = byCash ? S.change : S.new_balance;
  const received = receivedFen ?? sale.pay_fen;
  $("s-amount").textContent = money(byCash ? received - sale.pay_fen : sale.balance_after_fen);
  $("s-cash").hidden = !byCash;
  $("s-cash").textContent = byCash
    ? tr("cash_line", { received: money(received), balance: money(sale.balance_after_fen) }) : "";
  $("s-voided").hidden = true;
  $("s-topped").hidden = true;
  $("s-offline").hidden = !sale.offline;
  $("sold").dataset.mealId = sale.meal_id;
  $("sold").dataset.payment = sale.payment;
  renderReceipt($("s-receipt"), sale);
  showPanel("sold");
}

/** A top-up of the person on the sold screen: what went in, and the balance now (the big
 * figure too, after an account sale; after a cash sale it stays the change to hand back). */
export function renderToppedUp(topup) {
  if ($("sold").dataset.payment === "account") $("s-amount").textContent = money(topup.balance_fen);
  $("s-topped").textContent = tr("topped", {
    amount: money(topup.amount_fen), balance: money(topup.balance_fen),
  });
  $("s-topped").hidden = false;
}

export function renderVoided(sale) {
  $("void-open").disabled = true;
  renderLast(sale);
  if ($("sold").dataset.mealId !== String(sale.meal_id)) return; // another sale is on screen
  $("s-voided").textContent = voidedText(sale);
  $("s-voided").hidden = false;
}

/** The question before a second meal, with how long ago the first was sold when known. */
export function renderDouble(quote) {
  const sale = quote.warning_details.find((w) => w.kind === "sale");
  const seconds = sale ? sale.seconds : null;
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
  const fields = (p.errors || []).map((e) => e.field);
  if (p.code === "card_invalid" && fields.includes("card_serial")) return S.err_card_serial;
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

/** The status line while the server is away: offline, and how many sales wait to be sent. */
export function renderOffline(status) {
  const parts = [];
  if (!status.online) parts.push(S.offline_now);
  if (status.waiting) parts.push(tr("offline_waiting", { n: status.waiting }));
  if (status.stuck) parts.push(tr("offline_stuck", { code: status.stuck }));
  $("offline").textContent = parts.join(" · ");
  $("offline").hidden = !parts.length;
  $("offline").classList.toggle("down", !status.online);
}

/** A quote priced offline says so; one the account may not pay offline says why (cash only). */
export function renderOfflineQuote(quote) {
  $("q-short").hidden = !quote.cash_only;
  if (quote.cash_only) {
    $("q-short").textContent = S[`err_offline_${quote.cash_only}`];
    $("confirm").textContent = S.offline_cash_only;
  }
  $("q-hint").hidden = Boolean(quote.cash_only);
  $("q-offline").hidden = false;
}

export function renderManual(meals) {
  const rows = meals.map((m) => {
    const reason = reasonText(m.manual_reason);
    const seller = `${S.seller} ${m.sold_by}`;
    return `${clockTime(m.at)} ${m.diner_name} · ${reason} · ${money(m.pay_fen)} · ${seller}`;
  });
  fill($("manual-list"), rows.length ? rows : [S.none], (text) => el("li", text));
}
