/* The office's points page (/staff/points): a manager (or the admin) records an exchange of a
 * volunteer's points for goods through POST /volunteers/{id}/points/redeem. One Idempotency-Key
 * per exchange, made when it is first sent and kept until it is done, so a double tap or a
 * resend after a lost answer takes the points once; a new exchange gets a new key. On success
 * the page reloads to show the table as the server now holds it. */
import { ApiError, api, uuid, words } from "/static/page.js";

(() => {
  const form = document.getElementById("redeem");
  if (!form) return;
  const tr = words(form);
  const status = form.querySelector(".status");
  const button = form.querySelector("button");
  const field = (name) => form.querySelector(`[name="${name}"]`);
  let key = null;

  function say(text, bad) {
    status.hidden = !text;
    status.textContent = text || "";
    status.classList.toggle("bad", Boolean(bad));
  }

  // Changing what is asked makes it another exchange, with a key of its own.
  form.addEventListener("input", () => { key = null; });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const who = field("user_id").value;
    const pointsText = field("points").value.trim();
    const item = field("item").value.trim();
    if (!who) { say(tr("pick"), true); field("user_id").focus(); return; }
    if (!/^\d{1,6}$/.test(pointsText) || Number(pointsText) < 1 || Number(pointsText) > 100000) {
      say(tr("bad_points"), true);
      field("points").focus();
      return;
    }
    if (!item) { say(tr("bad_item"), true); field("item").focus(); return; }
    key = key || uuid();
    button.disabled = true;
    say(tr("working"));
    try {
      const done = await api("POST", `/volunteers/${who}/points/redeem`, {
        body: { points: Number(pointsText), item }, key,
      });
      key = null;
      say(tr("done", { points: -done.points, item: done.item, balance: done.balance }));
      window.setTimeout(() => window.location.reload(), 1200);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      button.disabled = false;
      if (error.code === "insufficient_points") {
        say(tr("insufficient_points", { balance: error.problem.balance }), true);
      } else if (error.status === 0) {
        say(tr("network"), true);
      } else if (tr.has(error.code)) {
        say(tr(error.code), true);
      } else {
        say(tr("failed", { detail: error.detail || error.code }), true);
      }
    }
  });
})();
