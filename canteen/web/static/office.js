/* The office's change forms (users, a canteen's price list): each <form class="office"
 * data-api="/path"> sends its named inputs as JSON (office_forms.js reads them) by POST, or by
 * the method in data-method; a refusal is shown beside the inputs it names, or in the form's
 * status line. On success: data-reload reloads the page to show what the server now holds,
 * data-done is said in the status line, data-clear empties the inputs (a password). A form
 * with data-confirm asks first. data-code-fields puts a refusal's code beside a field
 * ({"code": "field"}); data-field-words says a field's refusal in the page's words
 * ({"field": "text"}) where the API's message is English. */
import { ApiError, api, words } from "/static/page.js";
import { clearErrors, explain, readForm, showErrors } from "/static/office_forms.js";

(() => {
  const root = document.getElementById("staff");
  if (!root) return;
  const tr = words(root);

  function say(form, text, bad) {
    const line = form.querySelector(".status");
    line.hidden = !text;
    line.textContent = text || "";
    line.classList.toggle("bad", Boolean(bad));
  }

  async function send(form) {
    clearErrors(form);
    say(form, "");
    const read = readForm(form, tr);
    if (read.errors) {
      showErrors(form, read.errors, tr);
      return;
    }
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    say(form, tr("working"));
    try {
      await api(form.dataset.method || "POST", form.dataset.api, { body: read.data });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      buttons.forEach((b) => { b.disabled = false; });
      const own = JSON.parse(form.dataset.fieldWords || "{}");
      const found = (error.problem.errors || [])
        .map((e) => (own[e.field] ? { ...e, message: own[e.field] } : e));
      const byCode = JSON.parse(form.dataset.codeFields || "{}")[error.code];
      if (byCode) found.push({ field: byCode, message: explain(error, tr) });
      const unplaced = showErrors(form, found, tr);
      say(form, found.length ? unplaced.join(" ") || tr("see_fields", { n: found.length })
        : explain(error, tr), true);
      return;
    }
    buttons.forEach((b) => { b.disabled = false; });
    say(form, form.dataset.done || tr("saved"));
    if (form.dataset.clear !== undefined) form.reset();
    if (form.dataset.reload !== undefined) window.location.reload();
  }

  for (const form of document.querySelectorAll("form.office[data-api]")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(form);
    });
  }
})();
