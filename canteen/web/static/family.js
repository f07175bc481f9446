/* The family portal's two changes, made through page.js's API client (the session cookie and
 * the page's CSRF token, see canteen/web/family.py): opening an online top-up (then off to the
 * payment provider's page) and setting the low-balance threshold. Yuan typed by a person
 * become fen by string arithmetic only: no float ever holds money. */
import { ApiError, api, fen, words, yuan } from "/static/page.js";

(() => {
  const root = document.getElementById("family");
  if (!root) return;
  const tr = words(root);

  /** The call, as ``{ok, data}`` or ``{ok: false, message}`` in the family's words. */
  async function send(method, path, body) {
    try {
      return { ok: true, data: await api(method, path, { body }) };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const message = tr.has(error.code)
        ? tr(error.code) : tr("failed", { detail: error.detail || error.status });
      return { ok: false, message };
    }
  }

  function say(line, text, bad) {
    line.hidden = false;
    line.textContent = text;
    line.classList.toggle("bad", Boolean(bad));
  }

  const topup = document.getElementById("topup-form");
  if (topup) {
    const status = document.getElementById("topup-status");
    const buttons = topup.querySelectorAll("button");
    const start = async (amount) => {
      if (amount === null || amount < 100 || amount > 500000) {
        say(status, tr("bad_amount"), true);
        return;
      }
      buttons.forEach((b) => { b.disabled = true; });
      say(status, tr("working"));
      const result = await send("POST", `/diners/${topup.dataset.dinerId}/topup-intents`, { amount_fen: amount });
      if (result.ok) {
        window.location.assign(result.data.pay_url);
        return;
      }
      buttons.forEach((b) => { b.disabled = false; });
      say(status, result.message, true);
    };
    topup.querySelectorAll("button[data-yuan]").forEach((button) => {
      button.addEventListener("click", () => start(Number(button.dataset.yuan) * 100));
    });
    topup.addEventListener("submit", (event) => {
      event.preventDefault();
      start(fen(document.getElementById("amount").value));
    });
  }

  const threshold = document.getElementById("threshold-form");
  if (threshold) {
    const status = document.getElementById("threshold-status");
    threshold.addEventListener("submit", async (event) => {
      event.preventDefault();
      const amount = fen(document.getElementById("threshold").value);
      if (amount === null || amount > 100000) {
        say(status, tr("bad_threshold"), true);
        return;
      }
      say(status, tr("working"));
      const result = await send("PATCH", `/diners/${threshold.dataset.dinerId}/account`, { low_balance_fen: amount });
      if (result.ok) {
        document.getElementById("threshold").value = yuan(result.data.low_balance_fen);
        say(status, tr("saved"));
      } else {
        say(status, result.message, true);
      }
    });
  }
})();
