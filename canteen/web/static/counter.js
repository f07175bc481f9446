/* The cashier's page (收银台). See canteen/web/counter.py for what the server hands over.
 *
 * Everything about money comes from the JSON API: the page only shows what the API answers,
 * so a price or subsidy change never needs a new page. The CSP forbids inline scripts, so the
 * page's words arrive as JSON in data-strings and the canteen in other data-* attributes.
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
 * Today's count: loaded from GET /meals (every page, voided meals left out) when the page
 * opens and again every minute while the counter is idle, so other tills' sales show up; in
 * between, this page adds its own sales and takes off its voids at once.
 *
 * The dishes offered are the open meal's (by the canteen's meal windows in its own time zone,
 * looked at again every half minute, since the page stays open all day); outside every window,
 * all active dishes. This only chooses the buttons: the API prices whatever dish is sent.
 */
"use strict";

(() => {
  const DOUBLE_SCAN_MS = 5000; // a second scan of one person within this asks first
  const RECOUNT_MS = 60000;
  const CLOCK_MS = 30000;
  const REQUEST_TIMEOUT_MS = 15000;
  const CAMERA_FRAME_MS = 150;
  const MANUAL_POLL_MS = 15000; // a manager sees a sale without the card within this

  const root = document.getElementById("counter");
  const S = JSON.parse(root.dataset.strings);
  const tr = canteenPage.words(root); // a string of the page's language, {placeholders} filled
  const { CSRF, yuan } = canteenPage;
  const CANTEEN = Number(root.dataset.canteenId);
  const IS_MANAGER = root.dataset.manager === "1";
  const PENDING_KEY = `canteen.counter.pending.${root.dataset.user}`;
  const TIMEZONE = root.dataset.timezone;
  const MEAL_WINDOWS = JSON.parse(root.dataset.mealWindows);
  const $ = (id) => document.getElementById(id);
  const scan = $("scan");

  const state = {
    offerings: [], // the canteen's whole price list
    meal: null, // the meal window open now, or "" between meals
    dishes: null, // the buttons; null until the price list has loaded, and scans wait for it
    dishId: null,
    queue: [],
    current: null,
    phase: "idle", // idle | busy | quoted | selling | asking | error | sold
    today: root.dataset.today,
    count: null,
    changes: 0, // bumped by each sale and void, so a recount that overlapped one is dropped
    soldAt: new Map(), // diner id -> when this page last sold them a meal
    lastSale: null,
    error: null, // what the red screen is about: {retry, job, before, reload}
    voidKey: null,
    camera: null,
  };

  // --- Words and money ---------------------------------------------------------------------


  function money(fen) {
    return tr("money", { v: yuan(fen) });
  }

  function reasonText(code) {
    return S[`reason_${code}`] || code;
  }

  /** Diet flags and account warnings in words; an unknown flag shows as it is. */
  function warningText(code) {
    if (code.startsWith("allergy:")) return tr("diet_allergy", { x: code.slice(8) });
    return S[`diet_${code}`] || S[`warn_${code}`] || code;
  }

  function uuid() {
    // randomUUID needs a secure context; a till on plain http in a LAN still gets a key.
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    const b = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  }

  // --- Sales whose answer was lost: kept until the server has answered ---------------------

  function pendingSales() {
    try {
      return JSON.parse(window.localStorage.getItem(PENDING_KEY) || "[]");
    } catch (_) {
      return [];
    }
  }

  function savePending(list) {
    window.localStorage.setItem(PENDING_KEY, JSON.stringify(list));
    renderPending();
  }

  /** Before a sale is sent: from now on its outcome may be unknown. */
  function keepPending(job, body) {
    const kept = pendingSales().filter((p) => p.key !== job.key);
    kept.push({
      key: job.key, body, diner_id: job.quote.diner.id, name: job.quote.diner.name, at: Date.now(),
    });
    savePending(kept);
  }

  /** The server answered this key (a sale, or a refusal that changed nothing). */
  function dropPending(key) {
    savePending(pendingSales().filter((p) => p.key !== key));
  }

  function pendingFor(dinerId, exceptKey) {
    return pendingSales().find((p) => p.diner_id === dinerId && p.key !== exceptKey) || null;
  }

  function renderPending() {
    const n = pendingSales().length;
    $("pending").hidden = n === 0;
    $("pending").textContent = tr("pending", { n });
  }

  // --- The API -----------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem.code);
      this.status = status;
      this.problem = problem;
      this.code = problem.code;
    }

    /** Worth the same request again: the answer was lost, or the server failed. */
    get retryable() {
      return this.status === 0 || this.status >= 500;
    }
  }

  /** One call with the session cookie and CSRF token; a problem+json answer throws ApiError. */
  async function api(method, path, body, key) {
    const headers = { Accept: "application/json", "X-CSRF-Token": CSRF };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key) headers["Idempotency-Key"] = key;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    let response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method, headers, credentials: "same-origin", signal: abort.signal,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (_) {
      throw new ApiError(0, { code: "network" });
    } finally {
      clearTimeout(timer);
    }
    const data = await response.json().catch(() => null);
    if (response.ok) return data;
    const fallback = response.status >= 500 ? "server" : `http_${response.status}`;
    throw new ApiError(response.status, data && data.code ? data : { code: fallback });
  }

  /** Every item of a list endpoint, following next_cursor. */
  async function allItems(path) {
    const items = [];
    let cursor = null;
    do {
      const sep = path.includes("?") ? "&" : "?";
      const more = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const page = await api("GET", `${path}${sep}limit=500${more}`);
      items.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return items;
  }

  // --- Showing things ----------------------------------------------------------------------

  const PANELS = ["idle", "busy", "quote", "sold"];

  function showPanel(name) {
    PANELS.forEach((id) => { $(id).hidden = id !== name; });
  }

  function showBusy(text) {
    $("busy-text").textContent = text;
    showPanel("busy");
  }

  function fill(list, items, render) {
    list.replaceChildren(...items.map(render));
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function initial(name) {
    return Array.from(name || "?")[0];
  }

  function renderCount() {
    $("count").textContent = tr("today", { n: state.count === null ? "–" : state.count });
  }

  function renderQueue() {
    const n = state.queue.length;
    $("queue").hidden = n === 0;
    $("queue").textContent = tr("queue", { n });
  }

  /** The breakdown belongs on the receipt, folded away, never on the screen the queue sees. */
  function renderReceipt(table, data) {
    const rows = [[S.price, money(data.price_fen)]];
    data.subsidies.forEach((line) => rows.push([line.label, `-${money(line.amount_fen)}`]));
    rows.push([S.subsidy, money(data.subsidy_fen)], [S.pay, money(data.pay_fen)]);
    rows.push([S.balance_after, money(data.balance_after_fen)]);
    if (data.meal_id) rows.push([S.meal_no, String(data.meal_id)]);
    if (data.manual_reason) rows.push([S.no_card, reasonText(data.manual_reason)]);
    fill(table, rows, ([label, value]) => {
      const tr_ = el("tr");
      tr_.append(el("th", label), el("td", value));
      return tr_;
    });
    table.closest("details").open = false;
  }

  /** An account payment the balance cannot cover: no green confirm; cash, or a top-up first. */
  function isShort(job) {
    return job.quote.balance_after_fen < 0;
  }

  function renderQuote(job) {
    const q = job.quote;
    $("q-initial").textContent = initial(q.diner.name);
    $("q-name").textContent = q.diner.name;
    $("q-manual").hidden = !job.who.manual_reason;
    fill($("q-warnings"), q.warnings, (code) => {
      const diet = !["low_balance", "subsidy_limit_reached", "recent_sale"].includes(code);
      return el("li", warningText(code), diet ? "warn diet" : "warn account");
    });
    $("q-pay").textContent = money(q.pay_fen);
    $("q-subsidy").textContent = money(q.subsidy_fen);
    $("q-after").textContent = money(q.balance_after_fen);
    renderReceipt($("q-receipt"), q);
    const short = isShort(job);
    $("confirm").disabled = short;
    $("confirm").classList.toggle("short", short);
    $("confirm").textContent = short ? S.short : S.confirm;
    $("cash").hidden = !short;
    $("q-short").hidden = !short;
    $("q-short").textContent = short ? tr("short_hint", { amount: money(q.pay_fen) }) : "";
    $("q-hint").hidden = short;
    showPanel("quote");
  }

  /** The last sale stays in view while the queue moves on to the next person. */
  function renderLast(sale) {
    const what = sale.voided
      ? tr("voided", { amount: money(sale.pay_fen) })
      : `${S.sold} ${money(sale.pay_fen)} · ${S.balance} ${money(sale.balance_after_fen)}`;
    $("last").textContent = tr("last", { name: sale.diner.name, what });
    $("last").hidden = false;
  }

  function renderSold(sale) {
    $("s-initial").textContent = initial(sale.diner.name);
    $("s-name").textContent = sale.diner.name;
    $("s-pay").textContent = money(sale.pay_fen);
    $("s-balance").textContent = money(sale.balance_after_fen);
    $("s-voided").hidden = true;
    renderReceipt($("s-receipt"), sale);
    showPanel("sold");
  }

  // --- Dishes ------------------------------------------------------------------------------

  /** The date and HH:MM in the canteen's own time zone, whatever the till's clock zone. */
  function localNow() {
    const parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: TIMEZONE, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date());
    const part = Object.fromEntries(parts.map((p) => [p.type, p.value]));
    return { date: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}` };
  }

  function openMeal(time) {
    const open = ([, [start, end]]) => start <= time && time < end;
    const found = Object.entries(MEAL_WINDOWS).find(open);
    return found ? found[0] : "";
  }

  /** The open meal's active dishes in the order they were entered; between meals, all. */
  function dishesFor(meal) {
    const active = state.offerings.filter((o) => o.active).sort((a, b) => a.id - b.id);
    const now = active.filter((o) => o.meal_type === meal);
    return now.length ? now : active;
  }

  function renderDishes() {
    const box = $("dishes");
    if (!state.dishes.length) {
      box.replaceChildren(el("p", S.no_dishes, "no-dishes"));
      return;
    }
    fill(box, state.dishes, (dish) => {
      const button = el("button", undefined, "dish");
      button.type = "button";
      button.dataset.id = dish.id;
      button.setAttribute("aria-pressed", String(dish.id === state.dishId));
      button.append(
        el("span", dish.name, "dish-name"), el("span", money(dish.price_fen), "dish-price"),
      );
      return button;
    });
  }

  /** Offer the dishes of the meal open now; the first one is chosen until the cashier picks. */
  function offerDishes() {
    state.meal = openMeal(localNow().time);
    state.dishes = dishesFor(state.meal);
    state.dishId = state.dishes.length ? state.dishes[0].id : null;
    renderDishes();
  }

  async function loadDishes() {
    try {
      state.offerings = await allItems(`/canteens/${CANTEEN}/offerings`);
    } catch (error) {
      if (!error.retryable) state.offerings = []; // scans then say there is nothing to sell
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
      renderCount();
      recountWhenIdle();
    }
    if (state.dishes && !state.current && openMeal(now.time) !== state.meal) offerDishes();
  }

  /** Picking a dish applies to the next scans, and re-prices the person on screen. */
  function pickDish(id) {
    state.dishId = id;
    renderDishes();
    const job = state.current;
    if (job && !job.attempted && ["busy", "quoted"].includes(state.phase)) {
      job.order = orderFor(job.who);
      job.key = uuid();
      startQuote(job);
    }
  }

  // --- Scans: the queue --------------------------------------------------------------------

  function orderFor(who) {
    const order = { canteen_id: CANTEEN, offering_id: state.dishId };
    if (who.card !== undefined) return { ...order, card: who.card };
    return {
      ...order, diner_id: who.diner_id, manual_reason: who.manual_reason, answer: who.answer,
    };
  }

  /** A scan (or a person found by hand) joins the queue; it is never dropped or merged. */
  function enqueue(who) {
    state.queue.push({ who, key: uuid(), scannedAt: Date.now(), attempted: false });
    renderQueue();
    pump();
  }

  function pump() {
    if (state.current || !state.queue.length || state.phase === "error" || !state.dishes) return;
    const job = state.queue.shift();
    renderQueue();
    state.current = job;
    job.order = orderFor(job.who);
    startQuote(job);
  }

  /** The current job is done (sold, refused or given up): on to the next in the queue. */
  function finish(panel) {
    state.current = null;
    state.phase = panel === "sold" ? "sold" : "idle";
    if (panel !== "sold") showPanel("idle");
    pump();
  }

  async function startQuote(job) {
    if (state.dishId === null) return showError({ text: S.no_dishes }, { job });
    state.phase = "busy";
    showBusy(S.quoting);
    const asked = (job.asked = (job.asked || 0) + 1);
    const latest = () => state.current === job && job.asked === asked; // a newer dish won
    let quote;
    try {
      quote = await api("POST", "/checkout/quote", job.order);
    } catch (error) {
      if (latest()) showError(error, { retry: () => startQuote(job), job });
      return;
    }
    if (!latest()) return;
    job.quote = quote;
    const kept = pendingFor(quote.diner.id, job.key);
    if (kept) return resolvePending(kept, job);
    renderQuote(job);
    if (isDoubleScan(job)) return askDouble(job);
    state.phase = "quoted";
  }

  /** The server says (recent_sale) or this page knows this person was just sold a meal. */
  function isDoubleScan(job) {
    if (job.quote.warnings.includes("recent_sale") && !job.askedDouble) return true;
    const at = state.soldAt.get(job.quote.diner.id);
    return at !== undefined && job.scannedAt - at < DOUBLE_SCAN_MS;
  }

  /**
   * Before anything else is sold to this person: send their unanswered sale again with its
   * key. The server answers the sale it made (or makes it now, for the person at the counter);
   * a refusal means nothing was sold. Then the new scan is quoted again, and asks first.
   */
  async function resolvePending(kept, job) {
    state.phase = "busy";
    showBusy(S.resolving);
    let sale;
    try {
      sale = await api("POST", "/meals", kept.body, kept.key);
    } catch (error) {
      if (error.retryable) {
        showError(error, { retry: () => resolvePending(kept, job), job });
        return;
      }
      dropPending(kept.key); // refused: it changed nothing
      return startQuote(job);
    }
    dropPending(kept.key);
    recordSale(sale);
    startQuote(job);
  }

  // --- Selling -----------------------------------------------------------------------------

  async function sell(job, payment = "account") {
    state.phase = "selling";
    const body = job.body || { ...job.order, payment };
    if (!job.attempted) keepPending(job, body); // its outcome may be unknown from now on
    job.attempted = true;
    job.body = body; // every retry sends the same body with the same key
    $("confirm").disabled = true;
    $("cash").disabled = true;
    $("confirm").textContent = S.selling;
    let sale;
    try {
      sale = await api("POST", "/meals", body, job.key);
    } catch (error) {
      if (!error.retryable) dropPending(job.key); // refused: nothing was sold
      showError(error, { retry: () => sell(job), job });
      return;
    }
    dropPending(job.key);
    sold(job, sale);
  }

  /** Count a sale this till made (now, or one resolved after its answer was lost). */
  function recordSale(sale) {
    state.soldAt.set(sale.diner.id, Date.now());
    state.lastSale = sale;
    state.changes += 1;
    if (sale.local_date !== state.today) {
      state.today = sale.local_date; // the page stayed open past midnight
      state.count = 0;
    }
    if (state.count !== null) state.count += 1;
    renderCount();
    $("void-open").disabled = false;
    renderLast(sale);
  }

  function sold(job, sale) {
    recordSale(sale);
    $("cash").disabled = false;
    renderSold(sale);
    renderLast(sale);
    if (IS_MANAGER && sale.manual_reason) recount();
    finish("sold");
  }

  function confirmSale() {
    if (state.phase === "quoted" && !isShort(state.current)) sell(state.current);
  }

  function takeCash() {
    if (state.phase === "quoted") sell(state.current, "cash");
  }

  function cancelSale() {
    if (state.phase === "quoted") finish("idle");
  }

  // --- Asking before a second meal ---------------------------------------------------------

  function askDouble(job) {
    state.phase = "asking";
    job.askedDouble = true;
    const seconds = job.quote.recent_sale_seconds;
    $("double-title").textContent = seconds === null || seconds === undefined
      ? S.double_title : tr("recent_title", { n: seconds });
    $("double-who").textContent = `${job.quote.diner.name} · ${S.pay} ${money(job.quote.pay_fen)}`;
    $("double").hidden = false;
  }

  function answerDouble(sellAgain) {
    if (state.phase !== "asking") return;
    $("double").hidden = true;
    if (!sellAgain) return finish("idle");
    if (isShort(state.current)) state.phase = "quoted"; // the quote on screen offers cash
    else sell(state.current);
  }

  // --- The red screen ----------------------------------------------------------------------

  function errorText(error) {
    if (error.text) return error.text;
    const p = error.problem || {};
    if (p.code === "insufficient_balance") {
      return tr("err_insufficient_balance", { amount: money(p.shortfall_fen || 0) });
    }
    if (p.code === "csrf_failed") return S.csrf_failed;
    if (error.status >= 500) return S.err_server;
    return S[`err_${p.code}`] || tr("err_other", { code: p.code || error.status });
  }

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
    $("error-text").textContent = errorText(error);
    $("error-who").textContent = job && job.quote ? job.quote.diner.name : "";
    $("error-ok").textContent = state.error.retry ? S.retry : S.dismiss;
    $("error-give-up").hidden = !(state.error.retry && job);
    $("error").hidden = false;
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

  // --- Voiding the last sale ---------------------------------------------------------------

  /** Only while the counter is at rest: no sale of the queue is half done meanwhile. */
  function openVoid() {
    const sale = state.lastSale;
    if (!sale || sale.voided || !["idle", "sold"].includes(state.phase)) return;
    state.voidKey = uuid(); // one void, one key, kept for its retries
    $("void-who").textContent = `${sale.diner.name} · ${money(sale.pay_fen)}`;
    $("void").hidden = false;
  }

  async function voidLast(reason) {
    const sale = state.lastSale;
    $("void").hidden = true;
    try {
      await api("POST", `/meals/${sale.meal_id}/void`, { reason }, state.voidKey);
    } catch (error) {
      showError(error, { retry: () => voidLast(reason) });
      return;
    }
    sale.voided = true;
    state.changes += 1;
    if (state.count !== null) state.count -= 1;
    renderCount();
    $("void-open").disabled = true;
    renderLast(sale);
    $("s-voided").textContent = tr("voided", { amount: money(sale.pay_fen) });
    $("s-voided").hidden = false;
    if (state.phase === "idle") showPanel("sold");
    if (IS_MANAGER) recount();
  }

  // --- Today's count and the manager's list of sales without a card ------------------------

  async function recount() {
    const seen = state.changes;
    let meals;
    try {
      meals = await allItems(`/meals?canteen_id=${CANTEEN}&date=${state.today}`);
    } catch (_) {
      return; // the count stays as it was; the next recount tries again
    }
    const live = meals.filter((m) => !m.voided_at);
    if (seen === state.changes) {
      state.count = live.length;
      renderCount();
    }
    if (IS_MANAGER) renderManual(live.filter((m) => m.manual_reason));
  }

  /** The manager's watch list: today's sales without a card, looked at every few seconds. */
  async function watchManual() {
    try {
      const path = `/meals?canteen_id=${CANTEEN}&date=${state.today}&manual=true`;
      renderManual((await allItems(path)).filter((m) => !m.voided_at));
    } catch (_) {
      // the list stays as it was; the next look tries again
    }
  }

  function renderManual(meals) {
    const rows = meals.map((m) => {
      const time = new Date(m.at).toLocaleTimeString("en-GB", {
        timeZone: TIMEZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      });
      const reason = reasonText(m.manual_reason);
      return `${time} ${m.diner_name} · ${reason} · ${money(m.pay_fen)} · ${S.seller} ${m.sold_by}`;
    });
    fill($("manual-list"), rows.length ? rows : [S.none], (text) => el("li", text));
  }

  function recountWhenIdle() {
    if (!state.current && !state.queue.length) recount();
  }

  // --- Finding a person by hand ------------------------------------------------------------

  const find = { dialog: $("find"), diner: null, reason: null };

  function openFind() {
    find.diner = find.reason = null;
    $("find-q").value = "";
    $("find-answer").value = "";
    $("find-results").replaceChildren();
    document.querySelectorAll(".reason").forEach((b) => b.setAttribute("aria-pressed", "false"));
    $("find-sell").disabled = true;
    find.dialog.showModal();
    $("find-q").focus();
  }

  function closeFind() {
    if (find.dialog.open) find.dialog.close();
    keepFocus();
  }

  async function search(event) {
    event.preventDefault();
    const q = $("find-q").value.trim();
    if (!q) return;
    let page;
    try {
      page = await api("GET", `/checkout/lookup?q=${encodeURIComponent(q)}`);
    } catch (error) {
      closeFind();
      showError(error);
      return;
    }
    find.diner = null;
    renderFound(page.items);
  }

  function renderFound(diners) {
    if (!diners.length) {
      $("find-results").replaceChildren(el("li", S.search_none, "none"));
      return;
    }
    fill($("find-results"), diners, (d) => {
      const button = el("button", undefined, "person");
      button.type = "button";
      button.dataset.id = d.id;
      button.dataset.name = d.name;
      button.setAttribute("aria-pressed", "false");
      button.append(
        el("span", d.name, "person-name"),
        el("span", tr("age", { n: d.age }), "person-id"),
      );
      const li = el("li");
      li.append(button);
      return li;
    });
    updateFindSell();
  }

  function pickIn(selector, button) {
    document.querySelectorAll(selector).forEach((b) => {
      b.setAttribute("aria-pressed", String(b === button));
    });
  }

  function findAnswer() {
    return $("find-answer").value.trim();
  }

  /** A person, a reason, and the 4 characters the elder said: then the quote asks the server. */
  function updateFindSell() {
    $("find-sell").disabled = !(find.diner && find.reason && findAnswer().length === 4);
  }

  function sellFound() {
    if (!find.diner || !find.reason || findAnswer().length !== 4) return;
    const who = {
      diner_id: find.diner.id, manual_reason: find.reason, name: find.diner.name,
      answer: findAnswer(),
    };
    closeFind();
    enqueue(who);
  }

  // --- The camera --------------------------------------------------------------------------

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });
  }

  /** The browser's own QR reader where there is one, else jsQR, fetched only now. */
  async function qrReader() {
    if ("BarcodeDetector" in window) {
      const formats = await window.BarcodeDetector.getSupportedFormats().catch(() => []);
      if (formats.includes("qr_code")) {
        const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return async (video) => ((await detector.detect(video))[0] || {}).rawValue || null;
      }
    }
    if (!window.jsQR) await loadScript("/static/vendor/jsQR.js");
    return frameReader();
  }

  function frameReader() {
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    return async (video) => {
      const scale = Math.min(1, 640 / (video.videoWidth || 1));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      if (!canvas.width || !canvas.height) return null;
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const options = { inversionAttempts: "attemptBoth" };
      const code = window.jsQR(image.data, image.width, image.height, options);
      return code ? code.data : null;
    };
  }

  async function openCamera() {
    if (state.camera) return;
    $("camera").hidden = false;
    const camera = { stream: null, timer: null };
    state.camera = camera;
    try {
      camera.stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" }, audio: false,
      });
      const video = $("camera-video");
      video.srcObject = camera.stream;
      await video.play();
      watch(camera, video, await qrReader());
    } catch (_) {
      closeCamera();
      showError({ text: S.camera_failed });
    }
  }

  function watch(camera, video, read) {
    const tick = async () => {
      if (state.camera !== camera) return;
      const text = await read(video).catch(() => null);
      if (text && state.camera === camera) {
        closeCamera();
        enqueue({ card: text });
        return;
      }
      camera.timer = setTimeout(tick, CAMERA_FRAME_MS);
    };
    tick();
  }

  function closeCamera() {
    const camera = state.camera;
    state.camera = null;
    $("camera").hidden = true;
    if (!camera) return;
    clearTimeout(camera.timer);
    if (camera.stream) camera.stream.getTracks().forEach((track) => track.stop());
    $("camera-video").srcObject = null;
  }

  // --- Keys and focus ----------------------------------------------------------------------

  /** The scan input keeps focus, so a USB scanner's keystrokes always land in it. */
  function keepFocus() {
    if (find.dialog.open || document.activeElement === scan) return;
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
    else if (state.camera) closeCamera();
    else if (state.phase === "error") answerError(false);
    else if (state.phase === "asking") answerDouble(false);
    else cancelSale();
  }

  /** Keys typed while a button has focus still belong to the scanner: send them to the input. */
  function onDocumentKey(event) {
    if (find.dialog.open || event.target === scan) return;
    if (event.key.length === 1 || event.key === "Enter" || event.key === "Escape") {
      scan.focus({ preventScroll: true });
      if (event.key === "Enter" || event.key === "Escape") {
        event.preventDefault();
        onScanKey(event);
      }
    }
  }

  // --- Wiring ------------------------------------------------------------------------------

  function onClick(selector, handler) {
    document.addEventListener("click", (event) => {
      const target = event.target.closest(selector);
      if (target) handler(target, event);
    });
  }

  function wire() {
    scan.addEventListener("keydown", onScanKey);
    scan.addEventListener("blur", () => setTimeout(keepFocus, 0));
    document.addEventListener("keydown", onDocumentKey, true);
    document.addEventListener("click", () => setTimeout(keepFocus, 0));
    onClick("#confirm", confirmSale);
    onClick("#cash", takeCash);
    onClick("#cancel", cancelSale);
    onClick(".dish", (b) => pickDish(Number(b.dataset.id)));
    onClick("#error-ok", () => answerError(true));
    onClick("#error-give-up", () => answerError(false));
    onClick("#double-yes", () => answerDouble(true));
    onClick("#double-no", () => answerDouble(false));
    onClick("#void-open", openVoid);
    onClick(".void-reason", (b) => voidLast(b.dataset.reason));
    onClick("#void-close", () => { $("void").hidden = true; });
    onClick("#camera-open", openCamera);
    onClick("#camera-close", closeCamera);
    wireFind();
  }

  function wireFind() {
    onClick("#find-open", openFind);
    onClick("#find-close", closeFind);
    onClick("#find-sell", sellFound);
    onClick(".person", (b) => {
      find.diner = { id: Number(b.dataset.id), name: b.dataset.name };
      pickIn(".person", b);
      updateFindSell();
    });
    onClick(".reason", (b) => {
      find.reason = b.dataset.reason;
      pickIn(".reason", b);
      updateFindSell();
    });
    $("find-form").addEventListener("submit", search);
    $("find-answer").addEventListener("input", updateFindSell);
    find.dialog.addEventListener("close", keepFocus);
  }

  wire();
  renderCount();
  renderPending();
  keepFocus();
  loadDishes();
  recount();
  setInterval(recountWhenIdle, RECOUNT_MS);
  setInterval(onClockTick, CLOCK_MS);
  if (IS_MANAGER) setInterval(watchManual, MANUAL_POLL_MS);
})();
