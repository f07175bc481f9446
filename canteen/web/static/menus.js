/* A canteen's menus and order settings (staff_canteen.html): each day's form sends that day's
 * menu whole (PUT /canteens/{id}/menus/{date}: the ticked dishes of each meal, with the dish
 * names and allergens typed, split at commas or 、), and the settings form sends when orders
 * close for each meal and the delivery fee (PATCH /canteens/{id}: order_cutoffs as "HH:MM" or
 * "HH:MM the day before", delivery_fee_fen from yuan by string arithmetic). */
import { ApiError, api, fen, words } from "/static/page.js";

(() => {
  const root = document.getElementById("menus");
  if (!root) return;
  const tr = words(root);
  const canteen = root.dataset.canteenId;

  const list = (text) => text.split(/[,，、;；]/).map((s) => s.trim()).filter(Boolean);

  function say(form, text, bad) {
    const line = form.querySelector(".status");
    line.hidden = false;
    line.textContent = text;
    line.classList.toggle("bad", Boolean(bad));
  }

  function sentence(error) {
    const detail = (error.problem.errors || []).map((e) => e.message).join("; ") || error.detail;
    return tr.has(error.code) ? tr(error.code, { detail }) : tr("failed", { detail: detail || error.status });
  }

  async function send(form, method, path, body, after) {
    const button = form.querySelector("button");
    button.disabled = true;
    say(form, tr("working"));
    try {
      after(await api(method, path, { body }));
      say(form, tr("saved"));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      say(form, sentence(error), true);
    } finally {
      button.disabled = false;
    }
  }

  root.querySelectorAll("form.menu-form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const meals = {};
      form.querySelectorAll("fieldset[data-meal-type]").forEach((set) => {
        const served = [...set.querySelectorAll(".menu-line")]
          .filter((line) => line.querySelector("input[name=served]").checked)
          .map((line) => ({
            offering_id: Number(line.dataset.offeringId),
            dishes: list(line.querySelector("input[name=dishes]").value),
            allergens: list(line.querySelector("input[name=allergens]").value),
          }));
        if (served.length) meals[set.dataset.mealType] = served;
      });
      send(form, "PUT", `/canteens/${canteen}/menus/${form.dataset.date}`, { meals }, (menu) => {
        for (const items of Object.values(menu.meals)) {
          for (const item of items) { // the names as kept, one way of writing them
            const line = form.querySelector(`.menu-line[data-offering-id="${item.offering_id}"]`);
            line.querySelector("input[name=dishes]").value = item.dishes.join("、");
            line.querySelector("input[name=allergens]").value = item.allergens.join("、");
          }
        }
        const badges = form.closest("details").querySelector(".served");
        badges.replaceChildren();
        for (const [meal, items] of Object.entries(menu.meals)) {
          const legend = form.querySelector(`fieldset[data-meal-type="${meal}"] legend`);
          const badge = document.createElement("span");
          badge.className = "badge";
          badge.textContent = `${legend.textContent} ${items.length}`;
          badges.append(badge, " ");
        }
      });
    });
  });

  const settings = document.getElementById("order-settings-form");
  if (settings) {
    settings.addEventListener("submit", (event) => {
      event.preventDefault();
      const order_cutoffs = {};
      for (const row of settings.querySelectorAll("tr[data-meal]")) {
        const at = row.querySelector("input[name=at]").value;
        if (!/^\d\d:\d\d$/.test(at)) {
          say(settings, tr("bad_time"), true);
          return;
        }
        const before = row.querySelector("select[name=day_before]").value ? " the day before" : "";
        order_cutoffs[row.dataset.meal] = at + before;
      }
      const fee = fen(settings.querySelector("input[name=delivery_fee_fen]").value);
      if (fee === null || fee > 1000) {
        say(settings, tr("bad_fee"), true);
        return;
      }
      send(settings, "PATCH", `/canteens/${canteen}`, { order_cutoffs, delivery_fee_fen: fee }, () => {});
    });
  }
})();
