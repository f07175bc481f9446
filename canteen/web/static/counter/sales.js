/* Today's sales of the canteen, newest first, a page at a time, each with a void button for
 * whoever may void it (state.js's mayVoid: a manager any live sale, a cashier their own within
 * the server's minutes; the server decides, the page offers no more than it would accept).
 *
 * A void asks its reason in its row, then gets its Idempotency-Key and keeps it, with that
 * reason, for every retry of a lost answer, so a void is sent once however often it is tried. */
import { uuid } from "/static/page.js";
import * as counterApi from "./api.js";
import { $, S, clockTime, el, errorText, money, tr, voidedText } from "./render.js";
import { mayVoid, state, till } from "./state.js";

const REASONS = {
  wrong_scan: "void_mistake", sold_twice: "void_double", diner_declined: "void_declined",
};
const dialog = $("sales");
const list = $("sales-list");
const shown = { cursor: null, meals: new Map(), onVoided: () => {} };

function say(text) {
  $("sales-status").textContent = text || "";
  $("sales-status").hidden = !text;
}

function button(text, className, data) {
  const b = el("button", text, className);
  b.type = "button";
  Object.assign(b.dataset, data);
  return b;
}

/** One sale: when, who, what was paid and how, by whom, and what may be done with it. */
function row(meal) {
  const li = el("li", undefined, "sale");
  li.dataset.id = meal.meal_id;
  const paid = money(meal.pay_fen) + (meal.payment === "cash" ? ` · ${S.cash}` : "");
  li.append(
    el("span", clockTime(meal.at), "sale-time"),
    el("span", meal.diner_name, "sale-name"),
    el("span", paid, "sale-pay"),
    el("span", `${S.seller} ${meal.sold_by}`, "sale-by"),
    actions(meal),
  );
  return li;
}

function actions(meal) {
  const box = el("span", undefined, "sale-actions");
  if (meal.voided_at) {
    box.append(el("span", meal.justVoided ? voidedText(meal) : S.voided_tag, "sale-voided"));
  } else if (mayVoid(meal)) box.append(button(S.void, "tool sale-void", { id: meal.meal_id }));
  return box;
}

function redraw(meal, note) {
  const old = list.querySelector(`.sale[data-id="${meal.meal_id}"]`);
  const fresh = row(meal);
  if (note) fresh.append(el("span", note, "sale-error"));
  old.replaceWith(fresh);
  return fresh;
}

/** The reasons to choose from, in the row; the first takes the focus. */
function askReason(meal) {
  const li = list.querySelector(`.sale[data-id="${meal.meal_id}"]`);
  const box = el("span", undefined, "sale-actions sale-reasons");
  for (const [code, key] of Object.entries(REASONS)) {
    box.append(button(S[key], "tool sale-reason", { id: meal.meal_id, reason: code }));
  }
  box.append(button(S.void_keep, "ghost sale-keep", { id: meal.meal_id }));
  li.querySelector(".sale-actions").replaceWith(box);
  box.querySelector("button").focus();
}

async function voidSale(meal, reason) {
  if (!meal.voiding || meal.voiding.reason !== reason) meal.voiding = { reason, key: uuid() };
  redraw(meal).querySelectorAll("button").forEach((b) => { b.disabled = true; });
  let voided;
  try {
    voided = await counterApi.voidMeal(meal.meal_id, reason, meal.voiding.key);
  } catch (error) {
    if (!error.retryable) meal.voiding = null; // refused: nothing changed
    if (error.code === "already_voided") meal.voided_at = meal.voided_at || "voided";
    const li = redraw(meal, errorText(error));
    if (error.retryable) {
      li.querySelector(".sale-actions").replaceChildren(
        button(S.retry, "tool sale-reason", { id: meal.meal_id, reason }),
      );
    }
    return;
  }
  Object.assign(meal, voided, { justVoided: true, voiding: null });
  redraw(meal);
  $("sales-close").focus();
  shown.onVoided(meal);
}

async function more() {
  say(S.loading);
  $("sales-more").hidden = true;
  let page;
  try {
    page = await counterApi.salesPage(till.canteenId, state.today, shown.cursor);
  } catch (error) {
    say(errorText(error));
    $("sales-more").hidden = false;
    return;
  }
  say(page.items.length || shown.meals.size ? "" : S.sales_none);
  for (const meal of page.items) {
    shown.meals.set(meal.meal_id, meal);
    list.append(row(meal));
  }
  shown.cursor = page.next_cursor;
  $("sales-more").hidden = !shown.cursor;
}

export function openSales() {
  shown.cursor = null;
  shown.meals.clear();
  list.replaceChildren();
  $("sales-title").textContent = tr("sales_title", { date: state.today });
  dialog.showModal();
  $("sales-close").focus();
  more();
}

/** Wire the dialog; ``onVoided(meal)`` hears of each void, ``onClose()`` gets the keyboard back. */
export function wireSales({ onClick, onVoided, onClose }) {
  shown.onVoided = onVoided;
  const meal = (b) => shown.meals.get(Number(b.dataset.id));
  onClick("#sales-open", openSales);
  onClick("#sales-more", more);
  onClick("#sales-close", () => dialog.close());
  onClick(".sale-void", (b) => askReason(meal(b)));
  onClick(".sale-keep", (b) => redraw(meal(b)));
  onClick(".sale-reason", (b) => voidSale(meal(b), b.dataset.reason));
  dialog.addEventListener("close", onClose);
}
