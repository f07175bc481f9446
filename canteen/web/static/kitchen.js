/* The kitchen page (/kitchen): sends what was cooked to PUT
 * /canteens/{id}/kitchen-count/cooked through page.js's client, then shows the page again with
 * cooked, sold and left over. Everything else on the page is rendered by the server. */

import { api, ApiError, words } from "./page.js";

const root = document.getElementById("kitchen");
const t = words(root);
const form = document.getElementById("cooked-form");

function message(error) {
  if (!(error instanceof ApiError)) return t("failed");
  if (t.has(error.code)) return t(error.code);
  return error.detail || error.code;
}

async function record(event) {
  event.preventDefault();
  const status = document.getElementById("cooked-status");
  const button = form.querySelector("button[type=submit]");
  const cooked = [...form.querySelectorAll("input[name=portions]")].map((input) => ({
    offering_id: Number(input.dataset.offeringId),
    portions: Number(input.value),
  }));
  const { canteenId, date, meal } = root.dataset;
  button.disabled = true;
  status.classList.remove("error");
  status.textContent = t("saving");
  try {
    await api("PUT", `/canteens/${canteenId}/kitchen-count/cooked`, {
      body: { date, meal_type: meal, cooked },
    });
    status.textContent = t("saved");
    const target = `/kitchen?${new URLSearchParams({ date, meal, canteen: canteenId })}`;
    if (window.location.pathname + window.location.search === target) window.location.reload();
    else window.location.assign(target);
  } catch (error) {
    status.classList.add("error");
    status.textContent = message(error);
    button.disabled = false;
  }
}

if (form) form.addEventListener("submit", record);
