/* The found-elder parts of the family portal (/family/diners/{id}): the switch of the card's
 * found page (PUT /diners/{id}/found-page) and the replies to a finder
 * (POST /found-reports/{id}/messages), through page.js's API client. After a reply the page
 * is loaded again, so the thread shows what the server stored, escaped by the template. */
import { ApiError, api, words } from "/static/page.js";

(() => {
  const root = document.getElementById("found-switch");
  if (!root) return;
  const tr = words(root);

  function failed(error) {
    if (!(error instanceof ApiError)) throw error;
    return tr.has(error.code) ? tr(error.code) : tr("failed", { detail: error.detail || error.status });
  }

  const toggle = document.getElementById("found-toggle");
  const state = root.querySelector(".state");
  toggle.addEventListener("click", async () => {
    const enabled = root.dataset.enabled !== "true";
    toggle.disabled = true;
    try {
      const answer = await api("PUT", `/diners/${root.dataset.dinerId}/found-page`, { body: { enabled } });
      root.dataset.enabled = String(answer.enabled);
      state.textContent = tr(answer.enabled ? "on" : "off");
      toggle.textContent = tr(answer.enabled ? "turn_off" : "turn_on");
      toggle.classList.toggle("primary", !answer.enabled);
    } catch (error) {
      state.textContent = failed(error);
    } finally {
      toggle.disabled = false;
    }
  });

  document.querySelectorAll("form.found-reply").forEach((form) => {
    const line = form.querySelector(".status-line");
    const say = (text) => { line.hidden = false; line.textContent = text; };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = form.elements.body.value.trim();
      if (!body) { say(tr("empty")); return; }
      const button = form.querySelector("button");
      button.disabled = true;
      say(tr("working"));
      try {
        await api("POST", `/found-reports/${form.dataset.reportId}/messages`, { body: { body } });
        window.location.hash = `found-report-${form.dataset.reportId}`;
        window.location.reload();
      } catch (error) {
        say(failed(error));
        button.disabled = false;
      }
    });
  });
})();
