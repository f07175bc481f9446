/* The deliverer's phone page (/deliver): one tap records what happened at a door, and nothing
 * is lost or done twice when the phone has no signal.
 *
 * A tap writes the outcome into a queue in the phone's storage (localStorage), with an
 * Idempotency-Key made at that moment, before anything is sent. The queue is sent in order,
 * one outcome at a time, each with its own key: at once when there is signal, again when the
 * browser says it is back online, and every RETRY_MS while anything waits. An outcome leaves
 * the queue only when the server has answered it (recorded, or refused for good); a lost answer
 * keeps it, and sending it again with the same key records nothing twice. A stop that has an
 * outcome (on the page, queued or answered) takes no more taps, so a double tap is one.
 *
 * The page itself is kept on the phone by the service worker (/deliver/sw.js), so it opens
 * without signal; this script then lays the phone's own knowledge over that saved copy. */

import { api, ApiError, uuid, words, yuan } from "./page.js";

const root = document.getElementById("deliver");
const t = words(root);
const STORE = `canteen.deliver.${root.dataset.user}`;
const RETRY_MS = 20000;
const LOCK = "canteen-deliver-queue";

/** { queue: [{stop, outcome, payment, key}], known: {stop: {outcome, payment, before}},
 *  problems: {stop: {code, detail, shortfall}} } */
function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE) || "{}");
    return { queue: saved.queue || [], known: saved.known || {}, problems: saved.problems || {} };
  } catch (_) {
    return { queue: [], known: {}, problems: {} };
  }
}

function save(state) {
  localStorage.setItem(STORE, JSON.stringify(state));
}

const stops = () => Array.from(root.querySelectorAll("li.stop"));

/** What the stop's outcome is, as far as this phone knows: the page's, else an answer's. */
function outcomeOf(li, state) {
  const id = li.dataset.stopId;
  if (li.dataset.outcome) return { outcome: li.dataset.outcome };
  return state.known[id] || null;
}

function outcomeWords(entry, pay) {
  let text = t(`outcome_${entry.outcome}`);
  if (entry.outcome === "delivered" && entry.payment === "cash") {
    text += t("cash", { amount: yuan(pay) });
  }
  if (entry.before) text += t("already");
  return text;
}

function paintStop(li, state) {
  const id = li.dataset.stopId;
  const pay = Number(li.dataset.pay);
  const result = li.querySelector(".result");
  const taps = li.querySelector(".taps");
  const problemBox = li.querySelector(".problem");
  const recorded = outcomeOf(li, state);
  const queued = state.queue.find((q) => String(q.stop) === id);
  const problem = state.problems[id];
  li.classList.toggle("recorded", Boolean(recorded));
  li.classList.toggle("pending", !recorded && Boolean(queued));
  li.dataset.state = recorded ? "recorded" : queued ? "pending" : problem ? "problem" : "open";
  if (recorded) {
    result.textContent = outcomeWords(recorded, pay);
  } else if (queued) {
    result.textContent = t("waiting_one", { outcome: outcomeWords(queued, pay) });
  }
  li.dataset.shown = recorded ? recorded.outcome : queued ? queued.outcome : "";
  result.hidden = !recorded && !queued;
  taps.hidden = Boolean(recorded || queued);
  // Short of money: the cash button below replaces both "delivered" taps; not home and
  // refused stay, in case the elder will not pay in cash either.
  li.classList.toggle("short", Boolean(problem && problem.code === "insufficient_balance"));
  problemBox.replaceChildren();
  problemBox.hidden = Boolean(recorded || queued || !problem);
  if (problem && !recorded && !queued) {
    const said = document.createElement("p");
    if (problem.code === "insufficient_balance") {
      said.textContent = t("insufficient", { shortfall: yuan(problem.shortfall || 0) });
      const cash = document.createElement("button");
      cash.type = "button";
      cash.className = "tap main";
      cash.dataset.outcome = "delivered";
      cash.dataset.payment = "cash";
      cash.textContent = t("pay_cash", { amount: yuan(pay) });
      problemBox.append(said, cash);
    } else {
      said.textContent = problem.code === "order_not_open"
        ? t("order_not_open") : t("failed", { detail: problem.detail || problem.code });
      problemBox.append(said);
    }
  }
}

let held = null; // why sending stopped with outcomes still queued (no signal, log in again)

function paint() {
  const state = load();
  stops().forEach((li) => paintStop(li, state));
  for (const progress of root.querySelectorAll(".progress")) {
    const all = progress.closest(".run").querySelectorAll("li.stop");
    const done = Array.from(all).filter((li) => outcomeOf(li, state)).length;
    progress.textContent = t("progress", { done, all: all.length });
  }
  const net = document.getElementById("net");
  const n = state.queue.length;
  const relogin = Boolean(held && !held.retryable && n);
  const unreachable = !navigator.onLine || (held && held.code === "network");
  let text = "";
  if (relogin) text = t("relogin");
  else if (n) text = t(unreachable ? "queue_offline" : "queue", { n });
  else if (!navigator.onLine) text = t("offline", { time: root.dataset.madeAt });
  net.textContent = text;
  if (relogin) {
    const again = document.createElement("a");
    again.href = "/login?next=/deliver";
    again.textContent = t("login");
    net.append(" ", again);
  }
  net.hidden = !text;
  net.dataset.waiting = String(n);
  net.classList.toggle("bad", Boolean(n || !navigator.onLine));
}

/** A tap: queued at once with its key, then sent. A stop already decided takes no more. */
function tap(li, outcome, payment) {
  const state = load();
  const id = li.dataset.stopId;
  if (outcomeOf(li, state) || state.queue.some((q) => String(q.stop) === id)) return;
  delete state.problems[id];
  state.queue.push({ stop: Number(id), outcome, payment, key: uuid() });
  save(state);
  paint();
  send();
}

/** Send what waits, oldest first, until the queue is empty or the network fails. */
async function sendQueue() {
  for (;;) {
    const next = load().queue[0];
    if (!next) {
      held = null;
      return;
    }
    let answer = null;
    let refused = null;
    try {
      answer = await api("POST", `/delivery-stops/${next.stop}/outcome`, {
        body: { outcome: next.outcome, payment: next.payment },
        key: next.key,
      });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.retryable || error.status === 401 || error.code === "csrf_failed") {
        held = error;
        return;
      }
      refused = error;
    }
    held = null;
    const state = load();
    state.queue = state.queue.filter((q) => q.key !== next.key);
    const id = String(next.stop);
    if (answer) {
      state.known[id] = { outcome: answer.outcome, payment: next.payment };
    } else if (refused.code === "stop_already_recorded") {
      state.known[id] = { outcome: refused.problem.outcome, before: true };
    } else {
      state.problems[id] = {
        code: refused.code,
        detail: refused.detail,
        shortfall: refused.problem.shortfall_fen,
      };
    }
    save(state);
    paint();
  }
}

let sending = null;
let retry = null;

/** One sender at a time (in this page, and across the phone's tabs where locks exist). */
function send() {
  if (sending) return sending;
  clearTimeout(retry);
  const run = () => sendQueue();
  sending = (navigator.locks ? navigator.locks.request(LOCK, run) : run())
    .catch((error) => { held = new ApiError(0, { code: "network", detail: String(error) }); })
    .finally(() => {
      sending = null;
      paint();
      if (load().queue.length) retry = setTimeout(send, RETRY_MS);
    });
  return sending;
}

/** Forget what the phone learnt about stops no longer on the page (yesterday's run). */
function prune() {
  const state = load();
  const shown = new Set(stops().map((li) => li.dataset.stopId));
  for (const table of [state.known, state.problems]) {
    for (const id of Object.keys(table)) if (!shown.has(id)) delete table[id];
  }
  save(state);
}

root.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-outcome]");
  if (!button) return;
  tap(button.closest("li.stop"), button.dataset.outcome, button.dataset.payment || "account");
});
window.addEventListener("online", () => { held = null; paint(); send(); });
window.addEventListener("offline", paint);

prune();
paint();
send();
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/deliver/sw.js", { scope: "/deliver" }).catch(() => {});
}
