/* The counter's calls to the JSON API, each one line over page.js's client: a refusal or a lost
 * answer rejects with page.js's ApiError (``retryable`` when the same call, with the same key,
 * is worth sending again). */
import { allItems, api } from "/static/page.js";

const SALES_PAGE = 20; // rows of today's sales a screen shows before "more"

export const offerings = (canteenId) => allItems(`/canteens/${canteenId}/offerings`);

export const quote = (order) => api("POST", "/checkout/quote", { body: order });

/** A sale, with the key its job got when scanned: a retry never sells twice. */
export const sell = (body, key) => api("POST", "/meals", { body, key });

export const voidMeal = (mealId, reason, key) =>
  api("POST", `/meals/${mealId}/void`, { body: { reason }, key });

/** Cash paid into a diner's account, with the key its top-up got once: a resend credits once. */
export const topUp = (dinerId, amountFen, key) => api("POST", `/diners/${dinerId}/topups`, {
  body: { amount_fen: amountFen, method: "cash" }, key,
});

/** One page of the canteen's sales of a day, newest first: ``{items, next_cursor}``. */
export function salesPage(canteenId, date, cursor) {
  const more = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
  return api("GET", `/meals?canteen_id=${canteenId}&date=${date}&limit=${SALES_PAGE}${more}`);
}

export const lookup = (q) => api("GET", `/checkout/lookup?q=${encodeURIComponent(q)}`);

/** ``{meals, voided, manual}`` of the canteen's day, counted by the server. */
export const dayCount = (canteenId, date) =>
  api("GET", `/meals/count?canteen_id=${canteenId}&date=${date}`);

/** The day's live sales without the card (the manager's watch list). */
export async function manualSales(canteenId, date) {
  const meals = await allItems(`/meals?canteen_id=${canteenId}&date=${date}&manual=true`);
  return meals.filter((m) => !m.voided_at);
}
