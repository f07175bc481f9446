/* The policy draft (/staff/policies/new): rules added and removed in the form, the form read
 * into the policy document (office_forms.js), checked and simulated through
 * POST /policies/simulate, adopted through POST /policies; every refusal shown beside the
 * input it names. Enter runs the check, never the adoption. */
import { ApiError, api, words, yuan } from "/static/page.js";
import { clearErrors, explain, readForm, showErrors } from "/static/office_forms.js";

(() => {
  const root = document.getElementById("staff");
  const form = document.getElementById("policy-form");
  if (!root || !form) return;
  const tr = words(root);
  const rules = document.getElementById("rules");
  const template = document.getElementById("rule-template");
  const status = form.querySelector(".status");

  function say(text, bad) {
    status.hidden = !text;
    status.textContent = text || "";
    status.classList.toggle("bad", Boolean(bad));
  }

  /** Rule boxes numbered 0.. in order, their inputs and error slots named to match. */
  function renumber() {
    rules.querySelectorAll("fieldset.rule").forEach((box, i) => {
      box.dataset.index = i;
      box.querySelector(".rule-no").textContent = i + 1;
      for (const el of box.querySelectorAll("[name], [data-for]")) {
        const attr = el.hasAttribute("name") ? "name" : "data-for";
        el.setAttribute(attr, el.getAttribute(attr).replace(/^rules\.(\d+|__i__)/, `rules.${i}`));
      }
    });
  }

  document.getElementById("add-rule").addEventListener("click", () => {
    rules.appendChild(template.content.cloneNode(true));
    renumber();
    rules.lastElementChild.querySelector("input").focus();
  });
  rules.addEventListener("click", (event) => {
    if (!event.target.classList.contains("remove-rule")) return;
    event.target.closest("fieldset.rule").remove();
    renumber();
  });

  /** The draft as the API takes it, or null with the unreadable fields shown. */
  function draft() {
    clearErrors(form);
    say("");
    const read = readForm(form, tr);
    if (read.errors) {
      showErrors(form, read.errors, tr);
      return null;
    }
    read.data.rules = (read.data.rules || []).map((rule) => ({ when: {}, ...rule }));
    return read.data;
  }

  function refused(error) {
    if (!(error instanceof ApiError)) throw error;
    const found = error.problem.errors || [];
    const unplaced = showErrors(form, found, tr);
    const lead = found.length ? tr("see_fields", { n: found.length }) : explain(error, tr);
    say([lead, ...unplaced].join(" "), true);
  }

  function cell(row, text, cls) {
    const td = row.insertCell();
    td.textContent = text;
    if (cls) td.className = cls;
  }

  async function simulate() {
    const policy = draft();
    if (!policy) return;
    say(tr("working"));
    const body = {
      policy,
      from: document.getElementById("sim-from").value,
      to: document.getElementById("sim-to").value,
    };
    try {
      const r = await api("POST", "/policies/simulate", { body });
      say(tr("checked_ok"));
      const box = document.getElementById("sim-result");
      document.getElementById("sim-title").textContent = tr("sim_title", {
        start: r.from, end: r.to, n: r.meals,
        actual: yuan(r.actual_fen), simulated: yuan(r.simulated_fen),
      });
      const tbody = document.querySelector("#sim-table tbody");
      tbody.replaceChildren();
      for (const f of r.by_funder) {
        const row = tbody.insertRow();
        row.dataset.funder = f.funder;
        cell(row, tr(`funder_${f.funder}`));
        cell(row, `¥${yuan(f.actual_fen)}`, "num");
        cell(row, `¥${yuan(f.simulated_fen)}`, "num");
        cell(row, `${f.change_fen > 0 ? "+" : ""}${yuan(f.change_fen)}`, "num change");
      }
      const total = tbody.insertRow();
      total.className = "total";
      cell(total, tr("total"));
      cell(total, `¥${yuan(r.actual_fen)}`, "num");
      cell(total, `¥${yuan(r.simulated_fen)}`, "num");
      cell(total, `${r.change_fen > 0 ? "+" : ""}${yuan(r.change_fen)}`, "num change");
      box.hidden = false;
    } catch (error) {
      if (error instanceof ApiError && error.problem.errors) {
        for (const e of error.problem.errors) e.field = e.field.replace(/^policy\./, "");
      }
      refused(error);
    }
  }

  async function adopt() {
    const policy = draft();
    if (!policy) return;
    if (!window.confirm(tr("confirm_adopt", { date: policy.effective_from || "?" }))) return;
    say(tr("working"));
    try {
      const created = await api("POST", "/policies", { body: policy });
      window.location.assign(`/staff/policies?adopted=${created.id}`);
    } catch (error) {
      refused(error);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    simulate();
  });
  document.getElementById("adopt").addEventListener("click", adopt);
  const marked = form.querySelector(".field-error:not([hidden])");
  if (marked) marked.closest("label, fieldset, div").querySelector("input, select")?.focus();
})();
