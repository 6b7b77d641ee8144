// What is typed into a form marked data-keep-typed stays on this device until the server has taken it.
// Sending writes it down; the next page settles it: a page saying the form was not taken (an ended session,
// a CSRF failure, a rate limit, the sign-in page; <meta name="form-not-taken">) keeps it, any other page
// (the saved record, or the form shown again with its errors and values) drops it. Opening the form again,
// as the same person, fills it back in. Passwords, files and CSRF tokens are never written down.
const PREFIX = "kept-form:";
const MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const SKIPPED = new Set(["csrf_token"]);

const owner = document.querySelector('meta[name="signed-in-user"]')?.content ?? "";
const notTaken = document.querySelector('meta[name="form-not-taken"]') !== null;

const keyFor = (who, where) => `${PREFIX}${who}:${where}`;
const here = () => location.pathname + location.search;

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key));
  } catch {
    return null;
  }
}

function keptKeys() {
  return Object.keys(localStorage).filter((key) => key.startsWith(PREFIX));
}

// Another person's forms never stay on the device once someone else signs in, nor anyone's after signing out.
export function forgetKeptForms(except = null) {
  for (const key of keptKeys()) if (except === null || !key.startsWith(keyFor(except, ""))) localStorage.removeItem(key);
}

function written(element) {
  return element.name && !SKIPPED.has(element.name) && !["password", "file", "submit", "button"].includes(element.type);
}

function fieldsOf(form) {
  return [...form.elements].filter(written).flatMap((element) => {
    if (element.type === "radio" || element.type === "checkbox") return element.checked ? [[element.name, element.value]] : [];
    if (element.type === "select-multiple") return [...element.selectedOptions].map((o) => [element.name, o.value]);
    return [[element.name, element.value]];
  });
}

// Puts every value back; returns the ones the form no longer has a place for, so that they can be shown.
function fill(form, fields) {
  const left = [...fields];
  const take = (name, value) => {
    const index = left.findIndex(([n, v]) => n === name && (value === undefined || v === value));
    return index < 0 ? null : left.splice(index, 1)[0];
  };
  for (const element of [...form.elements].filter(written)) {
    if (element.type === "radio" || element.type === "checkbox") {
      element.checked = take(element.name, element.value) !== null;
    } else if (element.type === "select-multiple") {
      for (const o of element.options) o.selected = take(element.name, o.value) !== null;
    } else {
      const found = take(element.name);
      if (found && element.tagName === "SELECT" && ![...element.options].some((o) => o.value === found[1])) {
        left.push(found); // a choice no longer offered: shown below rather than silently changed
      } else if (found) element.value = found[1];
    }
  }
  return left;
}

function notice(form, draft, left, key) {
  const box = document.createElement("div");
  box.className = "kept-notice";
  box.setAttribute("role", "status");
  const when = new Date(draft.sent_at).toLocaleString();
  const text = document.createElement("p");
  text.textContent = `What you typed here (sent ${when}) was not saved then. It is back in the form: check it and save.`;
  box.append(text);
  if (left.length) {
    const list = document.createElement("ul");
    for (const [name, value] of left) {
      const item = document.createElement("li");
      item.textContent = `${name.replaceAll("_", " ")}: ${value}`;
      list.append(item);
    }
    const intro = document.createElement("p");
    intro.textContent = "The form no longer has a place for these; copy what you need:";
    box.append(intro, list);
  }
  const clear = document.createElement("button");
  clear.type = "button";
  clear.className = "button button-secondary";
  clear.textContent = "Start again with an empty form";
  clear.addEventListener("click", () => {
    localStorage.removeItem(key);
    location.reload();
  });
  box.append(clear);
  form.before(box);
}

for (const key of keptKeys()) {
  const draft = read(key);
  if (!draft || Date.now() - draft.sent_at > MAX_AGE_MS) localStorage.removeItem(key);
  else if (draft.state === "sent") {
    if (notTaken) localStorage.setItem(key, JSON.stringify({ ...draft, state: "kept" }));
    else localStorage.removeItem(key);
  }
}

// A page showing its own errors already holds what was typed.
const showsErrors = document.querySelector(".error-summary, [aria-invalid='true']") !== null;
for (const form of document.querySelectorAll("form[data-keep-typed]")) {
  const key = keyFor(owner, here());
  const draft = read(key);
  if (draft?.state === "kept" && !showsErrors) notice(form, draft, fill(form, draft.fields), key);
  form.addEventListener("submit", () => {
    localStorage.setItem(key, JSON.stringify({ state: "sent", sent_at: Date.now(), fields: fieldsOf(form) }));
  });
}
