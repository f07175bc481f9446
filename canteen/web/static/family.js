/* The family portal's two changes, made through the JSON API with the session cookie and the
 * page's CSRF token (see canteen/web/family.py): opening an online top-up (then off to the
 * payment provider's page) and setting the low-balance threshold. Yuan typed by a person
 * become fen by string arithmetic only: no float ever holds money. */
"use strict";

(() => {
  const root = document.getElementById("family");
  if (!root) return;
  const tr = canteenPage.words(root);
  const { CSRF, fen, yuan } = canteenPage;

  async function api(method, path, body) {
    let response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        headers: { "Content-Type": "application/json", "X-CSRF-Token": CSRF },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch (err) {
      return { ok: false, message: tr("network") };
    }
    const data = await response.json().catch(() => ({}));
    if (response.ok) return { ok: true, data };
    const message = tr.has(data.code) ? tr(data.code) : tr("failed", { detail: data.detail || response.status });
    return { ok: false, message };
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
      const result = await api("POST", `/diners/${topup.dataset.dinerId}/topup-intents`, { amount_fen: amount });
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
      const result = await api("PATCH", `/diners/${threshold.dataset.dinerId}/account`, { low_balance_fen: amount });
      if (result.ok) {
        document.getElementById("threshold").value = yuan(result.data.low_balance_fen);
        say(status, tr("saved"));
      } else {
        say(status, result.message, true);
      }
    });
  }
})();
