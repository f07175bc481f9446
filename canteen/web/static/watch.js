/* The watcher's phone page (/watch): each open case is handled with one tap of what was done
 * and a line of note, each case due a follow-up (回访) with a line of what it found. Both go to
 * the JSON API (POST /alerts/{id}/handle, /alerts/{id}/follow-up); on success the case says
 * so in place, and the page is read again so what the server now holds is what is shown. */
import { ApiError, api, words } from "/static/page.js";

(() => {
  const root = document.getElementById("watch");
  if (!root) return;
  const tr = words(root);

  function tell(card, text, bad) {
    const problem = card.querySelector(".problem");
    const result = card.querySelector(".result");
    problem.hidden = !bad;
    result.hidden = Boolean(bad) || !text;
    (bad ? problem : result).textContent = text || "";
  }

  async function send(form) {
    const card = form.closest(".case");
    const body = { note: form.elements.note.value.trim() };
    const handling = form.classList.contains("handle");
    if (handling) {
      const picked = form.querySelector('input[name="outcome"]:checked');
      if (!picked) { tell(card, tr("pick_outcome"), true); return; }
      body.outcome = picked.value;
    }
    if (!body.note) {
      tell(card, tr("need_note"), true);
      form.elements.note.focus();
      return;
    }
    const button = form.querySelector("button");
    button.disabled = true;
    tell(card, tr("working"));
    try {
      await api("POST", form.dataset.api, { body });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      button.disabled = false;
      const text = error.status === 0 ? tr("network")
        : error.status === 409 ? tr("already") : tr("failed", { detail: error.detail });
      tell(card, text, true);
      return;
    }
    form.hidden = true;
    tell(card, tr(handling ? "handled" : "followed_up"));
    card.classList.add("done-now");
    setTimeout(() => window.location.reload(), 1200);
  }

  for (const form of root.querySelectorAll("form[data-api]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(form);
    });
  }
})();
