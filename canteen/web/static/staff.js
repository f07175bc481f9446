/* The office's pages make their changes (a cost or grant, a claim's next step) through
 * page.js's API client (the session cookie and the page's CSRF token, see
 * canteen/web/staff.py). Every such change is a <form class="api" data-api="/path">: its named
 * fields become the JSON body (data-kind="yuan": typed yuan become fen by string arithmetic, no
 * float ever holds money; data-kind="int": a number), and on success the page reloads to show
 * what the server now holds. A form with data-idempotent sends one Idempotency-Key for as long
 * as the page lives, so a second click or a retry after a network failure records the entry
 * once. */
import { ApiError, api, fen, uuid, words, yuan } from "/static/page.js";

(() => {
  const root = document.getElementById("staff");
  if (!root) return;
  const tr = words(root);

  function body(form) {
    const out = {};
    for (const field of form.querySelectorAll("input[name], select[name], textarea[name]")) {
      const kind = field.dataset.kind;
      if (kind === "yuan") {
        const amount = fen(field.value);
        if (amount === null) return { error: tr("bad_amount"), field };
        out[field.name] = amount;
      } else if (kind === "int") {
        out[field.name] = Number(field.value);
      } else {
        out[field.name] = field.value;
      }
    }
    return { data: out };
  }

  function explain(error) {
    if (tr.has(error.code)) return tr(error.code);
    const fields = (error.problem.errors || []).map((e) => `${e.field}: ${e.message}`).join("; ");
    return tr("failed", { detail: fields || error.detail || error.status });
  }

  /** The form's change, as ``{ok}`` or ``{ok: false, problem, message}``. */
  async function send(form, data) {
    if (form.dataset.idempotent) form.dataset.key = form.dataset.key || uuid();
    try {
      await api("POST", form.dataset.api, { body: data, key: form.dataset.key });
      return { ok: true };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return { ok: false, problem: error.problem, message: explain(error) };
    }
  }

  function say(form, text, bad) {
    const line = form.querySelector(".status");
    line.hidden = false;
    line.textContent = text;
    line.classList.toggle("bad", Boolean(bad));
  }

  for (const form of document.querySelectorAll("form.api")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
      const found = body(form);
      if (found.error) {
        say(form, found.error, true);
        found.field.focus();
        return;
      }
      const buttons = form.querySelectorAll("button");
      buttons.forEach((b) => { b.disabled = true; });
      say(form, tr("working"));
      let result = await send(form, found.data);
      // A claim paid at another amount than claimed: the server asks, the office confirms.
      const problem = result.problem || {};
      if (problem.code === "amount_mismatch" && window.confirm(tr("amount_mismatch_confirm", {
        claimed: yuan(problem.claimed_fen),
        paid: yuan(problem.amount_fen),
        difference: yuan(problem.difference_fen),
      }))) {
        result = await send(form, { ...found.data, confirm: true });
      }
      if (result.ok) {
        say(form, tr("saved"));
        window.location.reload();
        return;
      }
      buttons.forEach((b) => { b.disabled = false; });
      say(form, result.message, true);
    });
  }

  // The books' form: only the categories of the chosen kind (cost or grant) can be picked.
  const kind = document.getElementById("entry-kind");
  const category = document.getElementById("entry-category");
  if (kind && category) {
    const show = () => {
      for (const group of category.querySelectorAll("optgroup")) {
        const mine = group.dataset.kind === kind.value;
        group.hidden = !mine;
        group.disabled = !mine;
      }
      const chosen = category.selectedOptions[0];
      if (!chosen || chosen.parentElement.dataset.kind !== kind.value) {
        category.value = category.querySelector(`optgroup[data-kind="${kind.value}"] option`).value;
      }
    };
    kind.addEventListener("change", show);
    show();
  }
})();
