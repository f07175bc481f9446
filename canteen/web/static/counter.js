/* The cashier's page (收银台): the flow of a lunch rush. See canteen/web/counter.py for what the
 * server hands over. Its parts, each a module of counter/: state.js (what the till holds: the
 * queue, unanswered sales, the recent-sale guard, the count), render.js (showing it), camera.js
 * (the camera as a scanner), find.js (a person found by hand), cash.js (the cash counted for a
 * meal, and its change), topup.js (a cash top-up), sales.js (today's sales, and their voids),
 * api.js (the calls, over page.js's one API client).
 *
 * Everything about money comes from the JSON API: the page only shows what the API answers,
 * so a price or subsidy change never needs a new page.
 *
 * Scans are jobs in a queue. One job at a time is "current": it is quoted, shown, confirmed
 * (Enter or the big button) and sold; scans that arrive meanwhile wait in order, so none is
 * lost or merged at the rush. Each job gets its Idempotency-Key when it is scanned and keeps
 * it for every retry, so a retried sale after a network failure never sells twice.
 *
 * A sale whose answer never came (network, timeout, 5xx) may have been made. Its key and body
 * are kept in localStorage (per user: a key is the user's) until the server has answered, even
 * if the cashier gives the sale up or the page reloads. When that person is scanned again, the
 * kept sale is resolved first, by sending it again with its key: the server answers the sale it
 * made (or makes it now, for the person who is there), never a second one. Then the new scan is
 * quoted, and a quote saying ``recent_sale`` asks before a second meal, whichever till sold the
 * first. An account payment the balance cannot cover is never offered as a green confirm.
 *
 * Today's count: the server counts the canteen's day (GET /meals/count) when the page opens
 * and again every minute while the counter is idle, so other tills' sales show up; in between,
 * this page adds its own sales and takes off its voids at once.
 *
 * The dishes offered are the open meal's (by the canteen's meal windows in its own time zone,
 * looked at again every half minute, since the page stays open all day); outside every window,
 * all active dishes. This only chooses the buttons: the API prices whatever dish is sent.
 *
 * Without the server (counter/offline.js): a quote that finds no server is priced from the
 * counter's signed snapshot by the same engine, and the sale waits in an encrypted queue with
 * the key made at the scan, sent in order as soon as the server answers again. The status line
 * says the counter is offline and how many sales wait.
 */
import { uuid } from "/static/page.js";
import * as counterApi from "./counter/api.js";
import { closeCamera, isCameraOpen, openCamera } from "./counter/camera.js";
import { openCash, wireCash } from "./counter/cash.js";
import * as offline from "./counter/offline.js";
import { wireFind } from "./counter/find.js";
import * as show from "./counter/render.js";
import { wireSales } from "./counter/sales.js";
import {
  chooseDishes, isDoubleScan, isShort, localNow, noteSale, noteVoid, noteVoidOf, openMeal,
  orderFor, pending, state, till,
} from "./counter/state.js";
import { openTopup, wireTopup } from "./counter/topup.js";

const RECOUNT_MS = 60000;
const CLOCK_MS = 30000;
const MANUAL_POLL_MS = 15000; // a manager sees a sale without the card within this

const { $, S } = show;
const scan = $("scan");
let soldBalance = null; // the balance of the person on the sold screen, as last heard

// --- Dishes --------------------------------------------------------------------------------

function offerDishes() {
  chooseDishes();
  show.renderDishes(state.dishes, state.dishId);
}

async function loadDishes() {
  try {
    state.offerings = await counterApi.offerings(till.canteenId);
  } catch (error) {
    if (error.status === 0) await offlineOpened;
    if (error.status === 0 && offline.ready()) {
      offline.lostServer();
      state.offerings = offline.offerings(); // the price list the snapshot holds
    } else if (!error.retryable) state.offerings = []; // scans then say there is nothing to sell
    else return showError(error, { retry: loadDishes });
  }
  offerDishes();
  pump();
}

/** Every half minute: a new meal brings its dishes, a new day a new count. */
function onClockTick() {
  const now = localNow();
  if (now.date !== state.today) {
    state.today = now.date;
    state.count = null;
    show.renderCount(state.count);
    recountWhenIdle();
  }
  if (state.dishes && !state.current && openMeal(now.time) !== state.meal) offerDishes();
}

/** Picking a dish applies to the next scans, and re-prices the person on screen. */
function pickDish(id) {
  state.dishId = id;
  show.renderDishes(state.dishes, state.dishId);
  const job = state.current;
  if (job && !job.attempted && ["busy", "quoted"].includes(state.phase)) {
    job.order = orderFor(job.who);
    job.key = uuid();
    startQuote(job);
  }
}

// --- Scans: the queue ----------------------------------------------------------------------

/** A scan (or a person found by hand) joins the queue; it is never dropped or merged. */
function enqueue(who) {
  state.queue.push({ who, key: uuid(), scannedAt: Date.now(), attempted: false });
  show.renderQueue(state.queue.length);
  pump();
}

function pump() {
  if (state.current || !state.queue.length || state.phase === "error" || !state.dishes) return;
  const job = state.queue.shift();
  show.renderQueue(state.queue.length);
  state.current = job;
  job.order = orderFor(job.who);
  startQuote(job);
}

/** The current job is done (sold, refused or given up): on to the next in the queue. */
function finish(panel) {
  state.current = null;
  state.phase = panel === "sold" ? "sold" : "idle";
  if (panel !== "sold") show.showPanel("idle");
  pump();
}

async function startQuote(job) {
  if (state.dishId === null) return showError({ text: S.no_dishes }, { job });
  state.phase = "busy";
  show.showBusy(S.quoting);
  const asked = (job.asked = (job.asked || 0) + 1);
  const latest = () => state.current === job && job.asked === asked; // a newer dish won
  let quote;
  try {
    quote = await counterApi.quote(job.order);
  } catch (error) {
    if (!latest()) return;
    if (error.status === 0) await offlineOpened; // opened at the page's start, if still opening
    if (error.status === 0 && offline.ready()) return quoteOffline(job, latest);
    showError(error, { retry: () => startQuote(job), job });
    return;
  }
  if (!latest()) return;
  job.quote = quote;
  const kept = pending.of(quote.diner.id, job.key);
  if (kept) return resolvePending(kept, job);
  show.renderQuote(job, isShort(job));
  if (isDoubleScan(job)) return askDouble(job);
  state.phase = "quoted";
}

/** No server: the scan priced from the snapshot. A sale of this person whose answer was lost
 * may have been made, so it counts as a sale moments ago: the counter asks first. */
async function quoteOffline(job, latest) {
  offline.lostServer();
  let quote;
  try {
    quote = await offline.quote(job.order);
  } catch (error) {
    if (latest()) showError(error, { job });
    return;
  }
  if (!latest()) return;
  if (pending.of(quote.diner.id, job.key)) {
    quote.warning_details.push({ kind: "sale", code: "recent_sale", seconds: 0 });
  }
  job.quote = quote;
  show.renderQuote(job, isShort(job));
  show.renderOfflineQuote(quote);
  if (isDoubleScan(job)) return askDouble(job);
  state.phase = "quoted";
}

/**
 * Before anything else is sold to this person: send their unanswered sale again with its
 * key. The server answers the sale it made (or makes it now, for the person at the counter);
 * a refusal means nothing was sold. Then the new scan is quoted again, and asks first.
 */
async function resolvePending(kept, job) {
  state.phase = "busy";
  show.showBusy(S.resolving);
  let sale;
  try {
    sale = await counterApi.sell(kept.body, kept.key);
  } catch (error) {
    if (error.retryable) {
      showError(error, { retry: () => resolvePending(kept, job), job });
      return;
    }
    pending.drop(kept.key); // refused: it changed nothing
    return startQuote(job);
  }
  pending.drop(kept.key);
  recordSale(sale);
  startQuote(job);
}

// --- Selling -------------------------------------------------------------------------------

async function sell(job, payment = "account") {
  if (job.quote.offline) return sellOffline(job, payment);
  state.phase = "selling";
  const body = job.body || { ...job.order, payment };
  if (!job.attempted) pending.keep(job, body); // its outcome may be unknown from now on
  job.attempted = true;
  job.body = body; // every retry sends the same body with the same key
  show.renderSelling();
  let sale;
  try {
    sale = await counterApi.sell(body, job.key);
  } catch (error) {
    if (!error.retryable) pending.drop(job.key); // refused: nothing was sold
    showError(error, { retry: () => sell(job), job });
    return;
  }
  pending.drop(job.key);
  sold(sale, job);
}

/** Sold offline: kept in the queue (with the key made at the scan) until the server has it. */
async function sellOffline(job, payment) {
  state.phase = "selling";
  job.attempted = true;
  show.renderSelling();
  let sale;
  try {
    sale = await offline.sell(job, payment);
  } catch (error) {
    showError(error, { job });
    return;
  }
  sold(sale, job);
}

/** A sale this till made (now, or one resolved after its answer was lost), counted and shown. */
function recordSale(sale) {
  noteSale(sale);
  show.renderCount(state.count);
  $("void-open").disabled = false;
  show.renderLast(sale);
}

function sold(sale, job) {
  recordSale(sale);
  soldBalance = sale.balance_after_fen;
  show.renderSold(sale, job.receivedFen);
  if (till.isManager && sale.manual_reason) watchManual();
  finish("sold");
}

function confirmSale() {
  if (state.phase === "quoted" && !isShort(state.current)) sell(state.current);
}

/** Cash instead of the account: the cashier counts what was handed over, sees the change. */
function takeCash() {
  const job = state.current;
  if (state.phase !== "quoted") return;
  openCash(job.quote.pay_fen, (receivedFen) => {
    if (state.current !== job || state.phase !== "quoted") return;
    job.receivedFen = receivedFen;
    sell(job, "cash");
  });
}

function cancelSale() {
  if (state.phase === "quoted") finish("idle");
}

// --- Cash top-ups of the person on screen -------------------------------------------------

/** The person quoted: after the top-up they are quoted again, so the account may now pay. */
function topUpQuoted() {
  const job = state.current;
  if (state.phase !== "quoted") return;
  openTopup(job.quote.diner, job.quote.balance_fen, () => {
    if (state.current === job && state.phase === "quoted" && !job.attempted) startQuote(job);
  });
}

/** The person just sold to, still on screen. */
function topUpSold() {
  const sale = state.lastSale;
  if ($("sold").hidden || !sale) return;
  openTopup(sale.diner, soldBalance, (topup) => {
    soldBalance = topup.balance_fen;
    show.renderToppedUp(topup);
  });
}

// --- Asking before a second meal -----------------------------------------------------------

function askDouble(job) {
  state.phase = "asking";
  job.askedDouble = true;
  show.renderDouble(job.quote);
}

function answerDouble(sellAgain) {
  if (state.phase !== "asking") return;
  $("double").hidden = true;
  if (!sellAgain) return finish("idle");
  if (isShort(state.current)) state.phase = "quoted"; // the quote on screen offers cash
  else sell(state.current);
}

// --- The red screen ------------------------------------------------------------------------

/**
 * A full red screen that stays until the cashier answers it. A lost answer (network, 5xx)
 * can be retried with the same request and key; anything else ends the job it is about, or
 * (for an error about no job, e.g. a void) puts the counter back as it was.
 */
function showError(error, { retry = null, job = null } = {}) {
  if (error.code === "unauthenticated") {
    window.location.assign("/login?next=/counter");
    return;
  }
  const before = state.phase === "error" ? state.error.before : state.phase;
  state.error = {
    retry: error.retryable ? retry : null, job, before, reload: error.code === "csrf_failed",
  };
  state.phase = "error";
  const who = job && job.quote ? job.quote.diner.name : "";
  show.renderError(error, who, Boolean(state.error.retry), Boolean(state.error.retry && job));
}

/** Enter or the button: retry a lost answer, else end the job; then the queue moves on. */
function answerError(retry) {
  if (state.phase !== "error") return;
  const e = state.error;
  state.error = null;
  $("error").hidden = true;
  if (e.reload) return window.location.reload();
  state.phase = e.job ? "busy" : e.before;
  if (retry && e.retry) return e.retry();
  if (e.job) return finish("idle");
  pump();
}

// --- Voiding the last sale -----------------------------------------------------------------

/** Only while the counter is at rest: no sale of the queue is half done meanwhile. */
function openVoid() {
  const sale = state.lastSale;
  if (!sale || sale.voided || !sale.meal_id || !["idle", "sold"].includes(state.phase)) return;
  state.voidKey = uuid(); // one void, one key, kept for its retries
  $("void-who").textContent = `${sale.diner.name} · ${show.money(sale.pay_fen)}`;
  $("void").hidden = false;
}

async function voidLast(reason) {
  const sale = state.lastSale;
  $("void").hidden = true;
  try {
    await counterApi.voidMeal(sale.meal_id, reason, state.voidKey);
  } catch (error) {
    showError(error, { retry: () => voidLast(reason) });
    return;
  }
  noteVoid(sale);
  show.renderCount(state.count);
  show.renderVoided(sale);
  if (state.phase === "idle") show.showPanel("sold");
  if (till.isManager) watchManual();
}

/** A sale voided from the list of today's sales: counted, and shown if it was the last. */
function voidedFromList(meal) {
  const last = noteVoidOf(meal.meal_id);
  show.renderCount(state.count);
  if (last) show.renderVoided(last);
  if (till.isManager) watchManual();
}

// --- Today's count and the manager's list of sales without a card --------------------------

/** The server's count of the day; dropped if this till sold or voided meanwhile. */
async function recount() {
  const seen = state.changes;
  let day;
  try {
    day = await counterApi.dayCount(till.canteenId, state.today);
  } catch (_) {
    return; // the count stays as it was; the next recount tries again
  }
  if (seen === state.changes && day.date === state.today) {
    state.count = day.meals;
    show.renderCount(state.count);
  }
}

/** The manager's watch list: today's sales without a card, looked at every few seconds. */
async function watchManual() {
  try {
    show.renderManual(await counterApi.manualSales(till.canteenId, state.today));
  } catch (_) {
    // the list stays as it was; the next look tries again
  }
}

function recountWhenIdle() {
  if (!state.current && !state.queue.length) recount();
}

// --- Keys and focus ------------------------------------------------------------------------

/** The scan input keeps focus, so a USB scanner's keystrokes always land in it. */
function keepFocus() {
  if (show.dialogOpen() || document.activeElement === scan) return;
  scan.focus({ preventScroll: true });
}

/** A scanner types the payload then Enter; a bare Enter answers what is on the screen. */
function onScanKey(event) {
  if (event.key === "Escape") return onEscape();
  if (event.key !== "Enter") return;
  event.preventDefault();
  const payload = scan.value.trim();
  scan.value = "";
  if (payload) return enqueue({ card: payload });
  if (state.phase === "error") return answerError(true);
  if (state.phase === "asking") return answerDouble(false);
  if (state.phase === "quoted") return confirmSale();
}

function onEscape() {
  if (!$("void").hidden) $("void").hidden = true;
  else if (isCameraOpen()) closeCamera();
  else if (state.phase === "error") answerError(false);
  else if (state.phase === "asking") answerDouble(false);
  else cancelSale();
}

/** Keys typed while a button has focus still belong to the scanner: send them to the input. */
function onDocumentKey(event) {
  if (show.dialogOpen() || event.target === scan) return;
  if (event.key.length === 1 || event.key === "Enter" || event.key === "Escape") {
    scan.focus({ preventScroll: true });
    if (event.key === "Enter" || event.key === "Escape") {
      event.preventDefault();
      onScanKey(event);
    }
  }
}

// --- Wiring --------------------------------------------------------------------------------

function onClick(selector, handler) {
  document.addEventListener("click", (event) => {
    const target = event.target.closest(selector);
    if (target) handler(target, event);
  });
}

function startCamera() {
  openCamera((text) => enqueue({ card: text }), () => showError({ text: S.camera_failed }));
}

function wire() {
  scan.addEventListener("keydown", onScanKey);
  scan.addEventListener("blur", () => setTimeout(keepFocus, 0));
  document.addEventListener("keydown", onDocumentKey, true);
  document.addEventListener("click", () => setTimeout(keepFocus, 0));
  onClick("#confirm", confirmSale);
  onClick("#cash", takeCash);
  onClick("#q-topup", topUpQuoted);
  onClick("#s-topup", topUpSold);
  onClick("#cancel", cancelSale);
  onClick(".dish", (b) => pickDish(Number(b.dataset.id)));
  onClick("#error-ok", () => answerError(true));
  onClick("#error-give-up", () => answerError(false));
  onClick("#double-yes", () => answerDouble(true));
  onClick("#double-no", () => answerDouble(false));
  onClick("#void-open", openVoid);
  onClick(".void-reason", (b) => voidLast(b.dataset.reason));
  onClick("#void-close", () => { $("void").hidden = true; });
  onClick("#camera-open", startCamera);
  onClick("#camera-close", closeCamera);
  wireCash({ onClick, onClose: keepFocus });
  wireTopup({ onClick, onClose: keepFocus });
  wireSales({ onClick, onVoided: voidedFromList, onClose: keepFocus });
  wireFind({
    onClick,
    enqueue,
    showError: (error) => { keepFocus(); showError(error); },
    onClose: keepFocus,
  });
}

pending.onChange = (list) => show.renderPending(list.length);
offline.status.onChange = show.renderOffline;
wire();
show.renderCount(state.count);
show.renderPending(pending.list().length);
keepFocus();
const offlineOpened = offline
  .start({ user: till.user, canteenId: till.canteenId, timezone: till.timezone })
  .catch(() => {}); // no IndexedDB or WebCrypto here: the counter works online only
loadDishes();
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/counter/sw.js", { scope: "/counter" }).catch(() => {});
}
recount();
if (till.isManager) watchManual();
setInterval(recountWhenIdle, RECOUNT_MS);
setInterval(onClockTick, CLOCK_MS);
if (till.isManager) setInterval(watchManual, MANUAL_POLL_MS);
