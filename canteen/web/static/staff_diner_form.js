/* An elder's forms that need more than office.js: enrolment (the resident ID checked as it
 * is typed, by resident_id.js, the same rules as the server's), the record's edit (allergies
 * written in words become ``allergy:花生`` flags; a cleared input clears the field), and the
 * corrections of money (a refund, an admin's adjustment), each sent with one Idempotency-Key
 * for as long as the form is on screen, so a second click or a retry moves the money once. */
import { ApiError, api, uuid, words } from "/static/page.js";
import { clearErrors, explain, readForm, showErrors } from "/static/office_forms.js";
import { normalise, parse } from "/static/resident_id.js";

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

  /** A refusal's field errors in the page's words where it has them. */
  function worded(errors) {
    return errors.map((e) => {
      const key = `field_${(e.field || "").split(".")[0]}`;
      return { field: e.field, message: tr.has(key) ? tr(key) : e.message };
    });
  }

  function refused(form, error) {
    const found = worded(error.problem.errors || []);
    const byCode = JSON.parse(form.dataset.codeFields || "{}")[error.code];
    if (byCode && !found.length) found.push({ field: byCode, message: explain(error, tr) });
    const unplaced = showErrors(form, found, tr);
    say(form, found.length ? unplaced.join(" ") || tr("see_fields", { n: found.length })
      : explain(error, tr), true);
  }

  /** The form's body; ``whole``: every field of the record, so that a cleared input or an
   * unticked box clears it (a PATCH leaves out what it does not name). */
  function bodyOf(form, whole) {
    const read = readForm(form, tr);
    if (read.errors) return read;
    const data = read.data;
    const allergies = form.querySelector("[data-allergies]");
    if (allergies) {
      const written = allergies.value.split(/[,，、;；\n]+/).map((a) => a.trim()).filter(Boolean);
      data.dietary = [...(data.dietary || []), ...written.map((a) => `allergy:${a}`)];
    }
    if (whole) {
      for (const input of form.querySelectorAll("input[name], select[name]")) {
        if (input.name in data) continue;
        if (input.type === "checkbox") data[input.name] = [];
        else data[input.name] = input.dataset.kind === "int" ? null : "";
      }
    }
    const sign = form.querySelector("[data-sign]");
    if (sign && data.amount_fen) data.amount_fen *= Number(sign.value);
    return { data };
  }

  /** The inputs marked required that are empty, as errors in the page's words. */
  function missing(form) {
    return [...form.querySelectorAll("input[required][name]")]
      .filter((input) => !input.value.trim())
      .map((input) => ({ field: input.name, message: tr.has(`field_${input.name}`)
        ? tr(`field_${input.name}`) : tr("required") }));
  }

  async function submit(form, { method, whole, key, done }) {
    clearErrors(form);
    say(form, "");
    const empty = missing(form);
    const read = empty.length ? { errors: empty } : bodyOf(form, whole);
    if (read.errors) {
      showErrors(form, read.errors, tr);
      return;
    }
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    say(form, tr("working"));
    try {
      const answer = await api(method, form.dataset.api, { body: read.data, key: key && key() });
      say(form, tr("saved"));
      done(answer);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      refused(form, error);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  }

  // Enrolment: the ID number checked at every keystroke, the elder's record opened on success.
  const enrol = document.getElementById("enrol");
  if (enrol) {
    const input = enrol.elements.id_number;
    const line = document.getElementById("id-check");
    const check = () => {
      const typed = normalise(input.value);
      if (!typed) { line.textContent = ""; line.className = "id-check"; return null; }
      const found = parse(typed, enrol.dataset.today);
      if (found.ok) {
        line.textContent = tr("id_ok", {
          birth: found.birthDate, gender: tr(`gender_${found.gender}`), age: found.age,
        });
      } else {
        line.textContent = typed.length < 18 && /^[0-9]*$/.test(typed)
          ? tr("id_typed", { n: typed.length }) : tr(`id_${found.reason}`);
      }
      line.className = `id-check ${found.ok ? "good" : typed.length >= 18 ? "bad" : ""}`;
      return found;
    };
    input.addEventListener("input", check);
    enrol.addEventListener("submit", (event) => {
      event.preventDefault();
      const found = check();
      if (found && !found.ok) {
        clearErrors(enrol);
        line.textContent = ""; // said once, beside the field
        showErrors(enrol, [{ field: "id_number", message: tr(`id_${found.reason}`) }], tr);
        return;
      }
      submit(enrol, {
        method: "POST",
        whole: false,
        done: (diner) => { window.location.assign(`/staff/diners/${diner.id}?enrolled=1`); },
      });
    });
  }

  if (new URLSearchParams(window.location.search).has("enrolled")) {
    history.replaceState(null, "", window.location.pathname);
  }

  const edit = document.getElementById("edit");
  if (edit) {
    edit.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(edit, { method: "PATCH", whole: true, done: () => window.location.reload() });
    });
  }

  // A status change (with its reason), a family link: plain requests, but told in the page's
  // words and refused here when a required input is empty.
  for (const form of document.querySelectorAll("form.record")) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(form, {
        method: form.dataset.method || "POST",
        whole: false,
        done: () => window.location.reload(),
      });
    });
  }

  for (const form of document.querySelectorAll("form.money")) {
    let key = null;
    form.addEventListener("input", () => { key = null; }); // another amount: another correction
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      submit(form, {
        method: "POST",
        whole: false,
        key: () => { key = key || uuid(); return key; },
        done: () => window.location.reload(),
      });
    });
  }
})();
