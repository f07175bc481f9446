/* The manager's planning page (/deliver/plan): make the day's run with the chosen deliverer
 * (POST /canteens/{id}/delivery-runs), and move a stop up or down (POST
 * /delivery-runs/{id}/order with every stop of the run in its new order). A move shows at
 * once and is taken back if the server refuses it. */

import { api, ApiError, words } from "./page.js";

const root = document.getElementById("plan");
const t = words(root);

function say(box, text, bad) {
  box.textContent = text;
  box.classList.toggle("bad", Boolean(bad));
}

function problemText(error) {
  if (!(error instanceof ApiError) || error.status === 0) return t("network");
  return error.code === "csrf_failed" ? t("csrf_failed") : error.detail || error.code;
}

const make = document.getElementById("make-run");
if (make) {
  make.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = make.querySelector("button");
    const status = make.querySelector(".status");
    button.disabled = true;
    say(status, t("working"));
    try {
      await api("POST", `/canteens/${root.dataset.canteenId}/delivery-runs`, {
        body: {
          date: root.dataset.date,
          meal_type: root.dataset.mealType,
          deliverer_user_id: Number(make.elements.deliverer_user_id.value),
        },
      });
      say(status, t("made"));
      window.location.reload();
    } catch (error) {
      say(status, problemText(error), true);
      button.disabled = false;
    }
  });
}

function renumber(list) {
  const items = Array.from(list.children);
  items.forEach((li, i) => {
    li.querySelector(".pos").textContent = String(i + 1);
    li.querySelector('[data-move="-1"]').disabled = i === 0;
    li.querySelector('[data-move="1"]').disabled = i === items.length - 1;
  });
}

async function move(li, by) {
  const list = li.parentElement;
  const section = li.closest("section.run");
  const status = section.querySelector(".status");
  const before = Array.from(list.children);
  const at = before.indexOf(li);
  const to = at + by;
  if (to < 0 || to >= before.length) return;
  if (by < 0) list.insertBefore(li, before[to]);
  else list.insertBefore(li, before[to].nextSibling);
  renumber(list);
  li.querySelector(`[data-move="${by}"]`).focus();
  list.querySelectorAll("button").forEach((b) => { b.disabled = true; });
  try {
    await api("POST", `/delivery-runs/${section.dataset.runId}/order`, {
      body: { stop_ids: Array.from(list.children, (item) => Number(item.dataset.stopId)) },
    });
    say(status, t("moved"));
  } catch (error) {
    list.replaceChildren(...before);
    say(status, problemText(error), true);
  } finally {
    renumber(list);
  }
}

for (const list of root.querySelectorAll(".plan-stops")) {
  renumber(list);
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-move]");
    if (button) move(button.closest("li"), Number(button.dataset.move));
  });
}
