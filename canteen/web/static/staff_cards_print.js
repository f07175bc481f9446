/* Printing a batch of meal cards (/staff/cards/print): POST /api/v1/cards/print answers a
 * line per drawn page ({done, total}) and, last, the PDF in base64; the bar follows the lines
 * and the finished PDF is offered as a download (it never touches the server's disk again). */
import { ApiError, apiLines, words } from "/static/page.js";
import { clearErrors, explain, showErrors } from "/static/office_forms.js";

(() => {
  const root = document.getElementById("staff");
  const form = document.getElementById("print-batch");
  if (!root || !form) return;
  const tr = words(root);
  const bar = document.getElementById("print-progress");
  const count = document.getElementById("print-count");
  const status = form.querySelector(".status");
  const done = form.querySelector(".done");
  const link = document.getElementById("print-pdf");
  const button = form.querySelector("button");

  function showChoice() {
    const by = form.querySelector("input[name=by]:checked").value;
    for (const field of form.querySelectorAll("[data-by]")) {
      field.hidden = field.dataset.by !== by;
    }
  }

  function say(text, bad) {
    status.hidden = !text;
    status.textContent = text || "";
    status.classList.toggle("bad", Boolean(bad));
  }

  function body() {
    if (form.querySelector("input[name=by]:checked").value === "canteen") {
      const canteen = form.elements.canteen_id.value;
      return canteen ? { canteen_id: Number(canteen) } : {};
    }
    const ids = form.elements.diner_ids.value.split(/[^0-9]+/).filter(Boolean).map(Number);
    return ids.length ? { diner_ids: ids } : null;
  }

  function pdfOf(base64) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
  }

  function onLine(line) {
    if (line.error) throw new ApiError(500, line.error);
    bar.max = line.total;
    bar.value = line.done;
    count.textContent = tr("print_progress", { done: line.done, total: line.total });
    if (line.pdf_base64 === undefined) return;
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = pdfOf(line.pdf_base64);
    link.download = `cards-${new Date().toISOString().slice(0, 10)}.pdf`;
    document.getElementById("print-summary").textContent =
      tr("print_done", { cards: line.total, pages: line.pages });
    done.hidden = false;
    link.focus();
  }

  form.addEventListener("change", showChoice);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    done.hidden = true;
    const asked = body();
    if (asked === null) {
      showErrors(form, [{ field: "diner_ids", message: tr("print_no_ids") }], tr);
      return;
    }
    button.disabled = true;
    say(tr("print_working"));
    form.querySelector(".progress").hidden = false;
    bar.removeAttribute("value"); // indeterminate until the first line tells the total
    try {
      await apiLines("POST", "/cards/print", { body: asked, onLine });
      say("");
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      form.querySelector(".progress").hidden = true;
      const unplaced = showErrors(form, error.problem.errors || [], tr);
      say(tr.has(error.code) ? tr(error.code) : unplaced.join(" ") || explain(error, tr), true);
    } finally {
      button.disabled = false;
    }
  });
  showChoice();
})();
