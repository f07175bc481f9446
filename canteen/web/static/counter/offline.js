/* The counter without the server (issue 17; docs/offline.md). While online it keeps a signed
 * snapshot of its canteen (GET /canteens/{id}/offline-snapshot), refreshed every few minutes;
 * when a quote finds no server, the scan is priced here from that snapshot by engine.js (the
 * server's engine, ported and proven alike), and the sale waits in a queue with the key made at
 * the scan and the time it was made. The waiting sales are sent in order (POST /offline-sales)
 * as soon as the server answers again; each is applied once however often it is sent.
 *
 * At rest (IndexedDB) the snapshot and the queue are encrypted with AES-GCM under a key the
 * browser derives from a secret the server gives this cashier only; the key is kept as a
 * non-extractable CryptoKey under the cashier's id, so another cashier's page neither finds nor
 * reads it. Past the snapshot's expiry, or over the per-sale or per-elder-per-day cap, an
 * account sale is refused offline: cash only, said on the screen. */
import { api, ApiError } from "/static/page.js";
import { inForce, price } from "./engine.js";

const DB_NAME = "canteen-counter";
const REFRESH_MS = 3 * 60 * 1000; // the snapshot, while online
const RETRY_MS = 15000; // sending the queue again while sales wait
const BATCH = 40; // sales per request: well under the server's body limit

const enc = new TextEncoder();
const dec = new TextDecoder();

const mine = { user: null, canteenId: null, timezone: "Asia/Shanghai" };
let db = null;
let key = null; // this cashier's AES-GCM CryptoKey
let snap = null; // the snapshot, decrypted, in memory only
let cards = new Map(); // payload hash -> card, live and revoked
let queued = []; // the waiting sales, decrypted: [{seq, sale, local}]
let sending = null;

/** What the screen shows: online or not, how many sales wait, and a refusal that stops them. */
export const status = { online: true, waiting: 0, stuck: "", expired: false, onChange: () => {} };

function changed() {
  status.waiting = queued.length;
  status.expired = Boolean(snap) && Date.now() > Date.parse(snap.expires_at);
  status.onChange(status);
}

// --- IndexedDB and the key --------------------------------------------------------------------

function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDb() {
  const request = indexedDB.open(DB_NAME, 1);
  request.onupgradeneeded = () => {
    const base = request.result;
    base.createObjectStore("keys");
    base.createObjectStore("snapshots");
    base.createObjectStore("queue", { keyPath: "seq", autoIncrement: true }).createIndex("owner", "owner");
  };
  return done(request);
}

function store(name, mode = "readonly") {
  return db.transaction(name, mode).objectStore(name);
}

const owner = () => `user:${mine.user}:canteen:${mine.canteenId}`;

async function keyFrom(secretHex) {
  const raw = new Uint8Array(secretHex.match(/../g).map((h) => parseInt(h, 16)));
  const base = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: enc.encode("counter-offline/v1") },
    base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"],
  );
}

async function seal(value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, enc.encode(JSON.stringify(value)));
  return { iv, data };
}

async function unseal(box) {
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv }, key, box.data);
  return JSON.parse(dec.decode(plain));
}

async function sha256Hex(text) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", enc.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

// --- The snapshot ------------------------------------------------------------------------------

function useSnapshot(value) {
  snap = value;
  cards = new Map();
  for (const card of snap.cards) cards.set(card.payload_sha256, { ...card, revoked: false });
  for (const card of snap.revoked) cards.set(card.payload_sha256, { ...card, revoked: true });
}

/** A fresh snapshot from the server, kept encrypted; false when the server did not answer. */
export async function refresh() {
  let fresh;
  try {
    fresh = await api("GET", `/canteens/${mine.canteenId}/offline-snapshot`);
  } catch (error) {
    if (error.status === 0) status.online = false;
    changed();
    return false;
  }
  status.online = true;
  const { seal_secret: secret, ...kept } = fresh;
  if (!key) {
    key = await keyFrom(secret);
    await done(store("keys", "readwrite").put(key, `user:${mine.user}`));
  }
  await done(store("snapshots", "readwrite").put(await seal(kept), owner()));
  useSnapshot(kept);
  changed();
  return true;
}

/** Open the store, read back this cashier's key, snapshot and queue, then keep them fresh. */
export async function start({ user, canteenId, timezone }) {
  Object.assign(mine, { user, canteenId, timezone });
  status.online = navigator.onLine;
  db = await openDb();
  key = (await done(store("keys").get(`user:${user}`))) || null;
  if (key) {
    const box = await done(store("snapshots").get(owner()));
    if (box) useSnapshot(await unseal(box));
    const boxes = await done(store("queue").index("owner").getAll(owner()));
    queued = await Promise.all(boxes.map(async (b) => ({ seq: b.seq, ...(await unseal(b.box)) })));
  }
  changed();
  window.addEventListener("online", () => { status.online = true; changed(); flush(); });
  window.addEventListener("offline", () => { status.online = false; changed(); });
  setInterval(() => { if (navigator.onLine) flush().then(refresh); }, REFRESH_MS);
  setInterval(() => { if (queued.length && navigator.onLine) flush(); }, RETRY_MS);
  if (navigator.onLine) flush().then(refresh); // the page does not wait for them
}

export const ready = () => snap !== null;

/** A call found no server: the screen says so until one answers again. */
export function lostServer() {
  status.online = false;
  changed();
}

/** The price list the snapshot holds, for the dish buttons when the server cannot be asked. */
export const offerings = () => (snap ? snap.offerings.map((o) => ({ ...o, active: true })) : null);

// --- Pricing a scan ----------------------------------------------------------------------------

function refusal(code) {
  return new ApiError(409, { code, detail: code });
}

function localDay(at) {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: mine.timezone, year: "numeric", month: "2-digit", day: "2-digit",
  }).format(at);
}

function scanned(text) {
  const at = text.indexOf("/q/");
  return (at >= 0 ? text.slice(at + 3) : text).trim().toUpperCase();
}

/** This diner's sales waiting here, and what they took: limit slots by rule, account money. */
function madeHere(dinerId, day) {
  const mineNow = queued.filter((q) => q.local.diner_id === dinerId);
  const usage = {};
  let accountToday = 0;
  let last = null;
  for (const { sale, local } of mineNow) {
    const sameDay = local.local_date === day;
    const sameMonth = local.local_date.slice(0, 7) === day.slice(0, 7);
    for (const rule of local.rules) {
      const used = (usage[rule] = usage[rule] || { today: 0, this_month: 0 });
      if (sameDay) used.today += 1;
      if (sameMonth) used.this_month += 1;
    }
    if (sameDay && sale.payment === "account") accountToday += sale.pay_fen;
    last = sale.made_at;
  }
  const spent = mineNow.reduce((sum, q) => sum + (q.sale.payment === "account" ? q.sale.pay_fen : 0), 0);
  return { usage, accountToday, spent, last };
}

function usageOn(diner, day, here) {
  const out = {};
  const sameDay = day === snap.local_date;
  const sameMonth = day.slice(0, 7) === snap.local_date.slice(0, 7);
  for (const [rule, used] of Object.entries(diner.usage)) {
    out[rule] = { today: sameDay ? used.today : 0, this_month: sameMonth ? used.this_month : 0 };
  }
  for (const [rule, used] of Object.entries(here.usage)) {
    const now = (out[rule] = out[rule] || { today: 0, this_month: 0 });
    now.today += used.today;
    now.this_month += used.this_month;
  }
  return out;
}

/** A quote as the server's quote looks, priced from the snapshot; or the refusal the server
 * would give (card_invalid, card_revoked, diner_inactive, unknown_offering). */
export async function quote(order) {
  if (!snap) throw refusal("offline_no_snapshot");
  if (!order.card) throw refusal("offline_card_only");
  const card = cards.get((await sha256Hex(scanned(order.card))).slice(0, 32));
  if (!card) throw refusal("offline_unknown_card");
  if (card.revoked) throw refusal("card_revoked");
  const diner = snap.diners.find((d) => d.id === card.diner_id);
  if (!diner || diner.status !== "active") throw refusal("diner_inactive");
  const dish = snap.offerings.find((o) => o.id === order.offering_id);
  if (!dish) throw refusal("unknown_offering");
  const now = new Date();
  const day = localDay(now);
  const policy = inForce(snap.policies, day);
  const here = madeHere(diner.id, day);
  const who = {
    age: diner.age, categories: diner.categories, disability_level: diner.disability_level,
    district: diner.district, street: diner.street,
  };
  const meal = {
    canteen_id: snap.canteen.id, canteen_district: snap.canteen.district,
    canteen_street: snap.canteen.street, meal_type: dish.meal_type, price_fen: dish.price_fen,
    tags: dish.tags,
  };
  const priced = policy
    ? price(policy, who, meal, usageOn(diner, day, here))
    : { price_fen: dish.price_fen, lines: [], operator_lines: [], limits_reached: [], subsidy_fen: 0, pay_fen: dish.price_fen };
  const balance = diner.balance_fen - here.spent;
  const details = priced.limits_reached.map((rule) => ({ kind: "limit", code: "subsidy_limit_reached", rule }));
  if (balance - priced.pay_fen < diner.low_balance_fen) details.push({ kind: "account", code: "low_balance" });
  const times = [...diner.meals_today.filter(() => day === snap.local_date), ...(here.last ? [here.last] : [])];
  const lastAt = times.length ? Math.max(...times.map((t) => Date.parse(t))) : null;
  const seconds = lastAt === null ? null : Math.max(0, Math.floor((now - lastAt) / 1000));
  const recent = seconds !== null && seconds <= snap.limits.recent_sale_seconds ? seconds : null;
  if (recent !== null) details.push({ kind: "sale", code: "recent_sale", seconds: recent });
  for (const flag of diner.dietary) details.push({ kind: "diet", code: flag });
  const cashOnly = accountRefusal(priced.pay_fen, here.accountToday, now);
  return {
    offline: true, cash_only: cashOnly, local_date: day, diner_id: diner.id,
    diner: { id: diner.id, name: diner.name, age: diner.age, categories: diner.categories, dietary: diner.dietary, status: diner.status },
    meal_type: dish.meal_type, price_fen: priced.price_fen, subsidies: priced.lines,
    subsidy_fen: priced.subsidy_fen, pay_fen: priced.pay_fen, balance_fen: balance,
    balance_after_fen: balance - priced.pay_fen, operator_subsidies: priced.operator_lines,
    warnings: [...new Set(details.map((w) => w.code))], warning_details: details,
    recent_sale_seconds: recent, offering_id: dish.id, card: order.card,
  };
}

/** Why an account sale cannot be made offline now ("" when it can): expiry, or a cap. */
function accountRefusal(payFen, accountToday, now) {
  if (now > Date.parse(snap.expires_at)) return "expired";
  if (payFen > snap.limits.sale_cap_fen) return "sale_cap";
  if (accountToday + payFen > snap.limits.day_cap_fen) return "day_cap";
  return "";
}

// --- Selling and sending -----------------------------------------------------------------------

/** The sale, kept (encrypted) in the queue with the key made at the scan; a receipt to show. */
export async function sell(job, payment) {
  const q = job.quote;
  if (payment === "account" && q.cash_only) throw refusal(`offline_${q.cash_only}`);
  const sale = {
    key: job.key.replace(/[^A-Za-z0-9_-]/g, ""), made_at: new Date().toISOString(), card: q.card,
    offering_id: q.offering_id, payment, price_fen: q.price_fen, pay_fen: q.pay_fen,
    subsidies: q.subsidies.map((l) => ({ rule: l.rule, amount_fen: l.amount_fen })),
    snapshot: {
      canteen_id: snap.canteen.id, issued_at: snap.issued_at, expires_at: snap.expires_at,
      digest: snap.digest, signature: snap.signature,
    },
  };
  const rules = [...q.subsidies, ...q.operator_subsidies].map((l) => l.rule);
  const local = { diner_id: q.diner_id, local_date: q.local_date, rules };
  const seq = await done(store("queue", "readwrite").add({ owner: owner(), box: await seal({ sale, local }) }));
  queued.push({ seq, sale, local });
  changed();
  const balanceAfter = payment === "account" ? q.balance_after_fen : q.balance_fen;
  return {
    ...q, offline: true, meal_id: null, payment, balance_after_fen: balanceAfter,
    at: sale.made_at, manual_reason: null,
  };
}

/** Send every waiting sale, oldest first, in batches; each batch's sales leave the queue only
 * once the server has answered for them. Stops at the first batch that gets no answer. */
export function flush() {
  if (!sending) sending = sendAll().finally(() => { sending = null; });
  return sending;
}

async function sendAll() {
  while (queued.length) {
    const batch = queued.slice(0, BATCH);
    try {
      await api("POST", "/offline-sales", {
        body: { canteen_id: mine.canteenId, sales: batch.map((q) => q.sale) },
      });
    } catch (error) {
      if (error.status === 0) status.online = false;
      else status.stuck = error.code || String(error.status);
      changed();
      return;
    }
    status.online = true;
    status.stuck = "";
    const tx = db.transaction("queue", "readwrite");
    for (const q of batch) tx.objectStore("queue").delete(q.seq);
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    queued = queued.slice(batch.length);
    changed();
  }
}
