/* Ordering a meal ahead for one elder (the section of ordering_macros.html, on the family
 * portal and on the office's elder page): a tap on "eat in" or "bring it home" under a dish
 * places the order (POST /orders, with an Idempotency-Key kept until an answer comes, so a
 * lost answer retried is still one order), says the estimate (price, subsidy, delivery fee,
 * to pay) and lists the order; "cancel" cancels it (POST /orders/{id}/cancel). Every refusal
 * is said as a sentence in the page's language, from its problem+json code. */
import { ApiError, api, uuid, words, yuan } from "/static/page.js";

(() => {
  const root = document.getElementById("ordering");
  if (!root || !root.dataset.canteenId) return;
  const tr = words(root);
  const status = document.getElementById("order-status");
  const note = document.getElementById("order-note");
  const list = document.getElementById("open-orders");
  const local = new Intl.DateTimeFormat(document.documentElement.lang || "zh", {
    timeZone: root.dataset.timezone, month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });

  /** A refusal as a sentence: its code's words, with the numbers the problem carries. */
  function sentence(error) {
    const p = error.problem || {};
    const values = {
      short: p.shortfall_fen === undefined ? "" : yuan(p.shortfall_fen),
      at: p.cutoff_at ? local.format(new Date(p.cutoff_at)) : "",
      detail: (p.errors || []).map((e) => `${e.field}: ${e.message}`).join("; ")
        || error.detail || error.status,
    };
    return tr.has(error.code) ? tr(error.code, values) : tr("failed", values);
  }

  function say(line, text, bad) {
    line.hidden = false;
    line.textContent = text;
    line.classList.toggle("bad", Boolean(bad));
  }

  function para(className, text) {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  /** The order just placed, at the top of the list of orders waiting. */
  function listed(order, place, way) {
    const li = document.createElement("li");
    li.className = "open-order new";
    li.dataset.orderId = order.order_id;
    const what = para("what", ` ${place.dataset.dish} · ${way}`);
    const head = document.createElement("b");
    head.textContent = `${place.dataset.day} · ${place.dataset.meal}`;
    what.prepend(head);
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "order-cancel";
    cancel.textContent = tr("cancel");
    const row = para("row-status", "");
    row.hidden = true;
    row.setAttribute("role", "status");
    li.append(what, para("pay", tr("pay", { pay: yuan(order.estimate.pay_fen) })),
      para("until", tr("cancel_until", { at: place.dataset.closes })), cancel, row);
    document.getElementById("no-open-orders")?.remove();
    list.prepend(li);
  }

  const keys = new Map(); // a button's intention -> its Idempotency-Key, until answered

  async function place(button) {
    const where = button.closest(".order-buttons");
    const body = {
      diner_id: Number(root.dataset.dinerId),
      canteen_id: Number(root.dataset.canteenId),
      date: where.dataset.date,
      meal_type: where.dataset.mealType,
      offering_id: Number(where.dataset.offeringId),
      delivery: button.dataset.delivery === "true",
      note: note.value.trim(),
    };
    const intention = JSON.stringify(body);
    if (!keys.has(intention)) keys.set(intention, uuid());
    const buttons = where.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    say(status, tr("working"));
    try {
      const order = await api("POST", "/orders", { body, key: keys.get(intention) });
      keys.delete(intention);
      const e = order.estimate;
      const way = button.dataset.way;
      say(status, tr(body.delivery ? "placed" : "placed_eat_in", {
        day: where.dataset.day,
        meal: where.dataset.meal,
        dish: where.dataset.dish, way,
        price: yuan(e.price_fen), subsidy: yuan(e.subsidy_fen),
        fee: yuan(e.delivery_fee_fen), pay: yuan(e.pay_fen),
      }));
      listed(order, where, way);
      note.value = "";
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (!error.retryable) keys.delete(intention);
      say(status, sentence(error), true);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
      status.scrollIntoView({ block: "nearest" });
    }
  }

  async function cancel(button) {
    const li = button.closest(".open-order");
    const row = li.querySelector(".row-status");
    button.disabled = true;
    say(row, tr("working"));
    try {
      await api("POST", `/orders/${li.dataset.orderId}/cancel`);
      li.classList.add("cancelled");
      li.querySelector(".until")?.remove();
      button.remove();
      say(row, tr("cancelled"));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      button.disabled = false;
      say(row, sentence(error), true);
    }
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || button.disabled) return;
    if (button.classList.contains("order-go")) place(button);
    else if (button.classList.contains("order-cancel")) cancel(button);
  });
})();
