/* What the till holds: the canteen it sells at, the queue and the sale on screen, today's count,
 * the sales whose answer was lost (kept in localStorage until the server has answered), and the
 * recent-sale guard. No DOM here: counter.js shows what this holds through render.js. */

const root = document.getElementById("counter");

export const DOUBLE_SCAN_MS = 5000; // a second scan of one person within this asks first

/** The canteen and the user, as the server wrote them into the page's data-* attributes. */
export const till = {
  root,
  canteenId: Number(root.dataset.canteenId),
  isManager: root.dataset.manager === "1",
  username: root.dataset.username,
  cashierVoidMs: Number(root.dataset.cashierVoidMinutes) * 60000,
  timezone: root.dataset.timezone,
  mealWindows: JSON.parse(root.dataset.mealWindows),
  pendingKey: `canteen.counter.pending.${root.dataset.user}`,
  user: Number(root.dataset.user),
};

export const state = {
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
};

// --- Sales whose answer was lost: kept until the server has answered -----------------------

/** The kept sales of this user; ``pending.onChange`` is told of every change. */
export const pending = {
  onChange: () => {},

  list() {
    try {
      return JSON.parse(window.localStorage.getItem(till.pendingKey) || "[]");
    } catch (_) {
      return [];
    }
  },

  save(list) {
    window.localStorage.setItem(till.pendingKey, JSON.stringify(list));
    pending.onChange(list);
  },

  /** Before a sale is sent: from now on its outcome may be unknown. */
  keep(job, body) {
    const kept = pending.list().filter((p) => p.key !== job.key);
    kept.push({
      key: job.key, body, diner_id: job.quote.diner.id, name: job.quote.diner.name, at: Date.now(),
    });
    pending.save(kept);
  },

  /** The server answered this key (a sale, or a refusal that changed nothing). */
  drop(key) {
    pending.save(pending.list().filter((p) => p.key !== key));
  },

  /** This person's unanswered sale, other than the job's own. */
  of(dinerId, exceptKey) {
    return pending.list().find((p) => p.diner_id === dinerId && p.key !== exceptKey) || null;
  },
};

// --- The recent-sale guard and today's count ----------------------------------------------

/** The server warns of a sale moments ago, or this page knows this person was just sold a meal. */
export function isDoubleScan(job) {
  const recent = job.quote.warning_details.some((w) => w.kind === "sale");
  if (recent && !job.askedDouble) return true;
  const at = state.soldAt.get(job.quote.diner.id);
  return at !== undefined && job.scannedAt - at < DOUBLE_SCAN_MS;
}

/** Count a sale this till made (now, or one resolved after its answer was lost). */
export function noteSale(sale) {
  state.soldAt.set(sale.diner.id, Date.now());
  state.lastSale = sale;
  state.changes += 1;
  if (sale.local_date !== state.today) {
    state.today = sale.local_date; // the page stayed open past midnight
    state.count = 0;
  }
  if (state.count !== null) state.count += 1;
}

/** This till voided its last sale. */
export function noteVoid(sale) {
  sale.voided = true;
  state.changes += 1;
  if (state.count !== null) state.count -= 1;
}

/** A sale of the day voided from the list of today's sales: the count drops by one; when it
 * was this till's last sale, that is marked too (and returned, to be shown as voided). */
export function noteVoidOf(mealId) {
  const last = state.lastSale;
  if (last && last.meal_id === mealId) {
    noteVoid(last);
    return last;
  }
  state.changes += 1;
  if (state.count !== null) state.count -= 1;
  return null;
}

/** Whether this user may void ``meal``: a manager any live sale of the canteen, a cashier their
 * own within the minutes the server allows. The server decides; the page offers no more. */
export function mayVoid(meal) {
  if (meal.voided_at) return false;
  if (till.isManager) return true;
  return meal.sold_by === till.username && Date.now() - Date.parse(meal.at) < till.cashierVoidMs;
}

/** An account payment the balance cannot cover: no green confirm; cash, or a top-up first. */
export function isShort(job) {
  return job.quote.balance_after_fen < 0 || Boolean(job.quote.cash_only); // offline: cash only
}

// --- The canteen's day and its dishes ------------------------------------------------------

/** The date and HH:MM in the canteen's own time zone, whatever the till's clock zone. */
export function localNow() {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: till.timezone, year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date());
  const part = Object.fromEntries(parts.map((p) => [p.type, p.value]));
  return { date: `${part.year}-${part.month}-${part.day}`, time: `${part.hour}:${part.minute}` };
}

export function openMeal(time) {
  const open = ([, [start, end]]) => start <= time && time < end;
  const found = Object.entries(till.mealWindows).find(open);
  return found ? found[0] : "";
}

/** The open meal's active dishes in the order they were entered; between meals, all. */
export function dishesFor(meal) {
  const active = state.offerings.filter((o) => o.active).sort((a, b) => a.id - b.id);
  const now = active.filter((o) => o.meal_type === meal);
  return now.length ? now : active;
}

/** Offer the dishes of the meal open now; the first one is chosen until the cashier picks. */
export function chooseDishes() {
  state.meal = openMeal(localNow().time);
  state.dishes = dishesFor(state.meal);
  state.dishId = state.dishes.length ? state.dishes[0].id : null;
}

/** The order a scan (or a card's serial typed in, or a person found by hand) makes, with the
 * dish chosen now. Without a scan it carries the reason and the elder's answer. */
export function orderFor(who) {
  const order = { canteen_id: till.canteenId, offering_id: state.dishId };
  if (who.card !== undefined) return { ...order, card: who.card };
  const unscanned = { ...order, manual_reason: who.manual_reason, answer: who.answer };
  if (who.card_serial !== undefined) return { ...unscanned, card_serial: who.card_serial };
  return { ...unscanned, diner_id: who.diner_id };
}
