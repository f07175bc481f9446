/* The office's forms (users, canteens, policies): a form's named inputs become a JSON body,
 * and a refusal's problem+json ``errors`` are shown beside the inputs they name, the first one
 * focused, as the screen reader hears it (aria-invalid, aria-describedby).
 *
 * An input's ``name`` is the API field it fills; a dotted name (``rules.0.when.min_age``) is
 * a path into the body, so a 422 that names ``rules.0.when.min_age`` finds that very input.
 * ``data-kind``: ``yuan`` (typed yuan -> integer fen by string arithmetic), ``int``, ``bool``
 * (a checkbox: true when ticked), ``json`` (a fixed value such as ``false``), ``list``
 * (comma-separated words); checkboxes that share a name
 * and carry a value make a list. Empty inputs are left out of the body. */
import { fen } from "/static/page.js";

/** The body of ``form`` as ``{data}``, or ``{errors: [{field, message}]}`` for what cannot be
 * read (an amount that is not one), in the page's words from ``tr``. */
export function readForm(form, tr) {
  const data = {};
  const errors = [];
  for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
    if (input.type === "file" || input.name === "csrf" || input.disabled) continue;
    const kind = input.dataset.kind;
    let value;
    if (input.type === "checkbox") {
      if (!input.checked) continue;
      if (kind === "bool") value = true;
      else {
        const item = kind === "int" ? Number(input.value) : input.value;
        const list = getPath(data, input.name) || [];
        list.push(item);
        setPath(data, input.name, list);
        continue;
      }
    } else {
      const text = input.value.trim();
      if (text === "") continue;
      if (kind === "yuan") {
        value = fen(text);
        if (value === null) { errors.push({ field: input.name, message: tr("bad_amount") }); continue; }
      } else if (kind === "int") {
        if (!/^\d{1,9}$/.test(text)) { errors.push({ field: input.name, message: tr("bad_number") }); continue; }
        value = Number(text);
      } else if (kind === "json") {
        value = JSON.parse(text);
      } else if (kind === "list") {
        value = text.split(/[\s,，、]+/).filter(Boolean);
      } else {
        value = text;
      }
    }
    setPath(data, input.name, value);
  }
  return errors.length ? { errors } : { data };
}

function steps(path) {
  return path.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function getPath(data, path) {
  return steps(path).reduce((at, step) => (at == null ? undefined : at[step]), data);
}

function setPath(data, path, value) {
  const parts = steps(path);
  let at = data;
  parts.slice(0, -1).forEach((step, i) => {
    if (at[step] == null) at[step] = typeof parts[i + 1] === "number" ? [] : {};
    at = at[step];
  });
  at[parts[parts.length - 1]] = value;
}

/** Hide every error shown beside the inputs of ``root``. */
export function clearErrors(root) {
  for (const slot of root.querySelectorAll(".field-error")) {
    slot.hidden = true;
    slot.textContent = "";
  }
  for (const input of root.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

/** Show each ``{field, message}`` beside its input (or the nearest enclosing slot: a rule's,
 * then the form's), focus the first, and return the messages no slot took. */
export function showErrors(root, errors, tr) {
  const unplaced = [];
  let first = null;
  errors.forEach((error, n) => {
    let field = error.field || "";
    let slot = null;
    while (!slot) {
      slot = root.querySelector(`.field-error[data-for="${CSS.escape(field)}"]`);
      if (slot || !field.includes(".")) break;
      field = field.slice(0, field.lastIndexOf("."));
    }
    const text = tr("field_problem", { message: error.message });
    if (!slot) { unplaced.push(error.field ? `${error.field}: ${text}` : text); return; }
    slot.hidden = false;
    slot.textContent = slot.textContent ? `${slot.textContent}；${text}` : text;
    slot.id = slot.id || `err-${Date.now()}-${n}`;
    const input = root.querySelector(`[name="${CSS.escape(error.field)}"]`)
      || slot.closest("label, fieldset, div")?.querySelector("input, select, textarea");
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", slot.id);
      first = first || input;
    }
  });
  if (first) first.focus();
  return unplaced;
}

/** The words for a refusal: the page's own for a known code, else its detail. */
export function explain(error, tr) {
  if (tr.has(error.code)) return tr(error.code);
  if (error.status === 0) return tr("network");
  return tr("failed", { detail: error.detail || error.code });
}
