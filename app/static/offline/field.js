// The field form: visits (with their observations) are saved to the outbox on this phone first,
// then sent whenever the server can be reached. Nothing here needs the network to capture.
import { signedInUser } from "./session.js";
import { dropItem, keepItem, outboxItems, sendOutbox } from "./outbox.js";

// After a failed attempt (no signal, a busy server), how long to wait before trying again by itself.
const RETRY_MS = 30000;
const TEXT_FIELDS = ["visited_on", "minutes", "purpose", "participants", "shared_notes", "internal_notes",
  "next_steps", "follow_up_on"];

const form = document.getElementById("visit-form");
const districtSelect = document.getElementById("district_id");
const schoolSelect = document.getElementById("school_id");
const supportsGroup = document.getElementById("supports");
const coObserversGroup = document.getElementById("co-observers");
const principalField = document.getElementById("principal-field");
const principalSelect = document.getElementById("principal_id");
const notesHint = document.getElementById("internal_notes-hint");
// Per district: {places, supports, kinds, default_place, default_kind}, the online form's own lists.
const choices = JSON.parse(document.getElementById("visit-choices").textContent);
const observations = document.getElementById("observations");
const addObservationButton = document.getElementById("add-observation");
const connection = document.getElementById("connection");
const message = document.getElementById("field-message");
const outboxList = document.getElementById("outbox-list");
const outboxEmpty = document.getElementById("outbox-empty");

let fixing = null; // the refused item being fixed: saving it again keeps its client UUID
let observationsAdded = 0; // only grows, so that ids of removed observations are never reused
let retryTimer = null;

navigator.serviceWorker?.register("/service-worker.js");

function announce(text) {
  message.textContent = text;
}

function today() {
  return new Date().toLocaleDateString("en-CA"); // YYYY-MM-DD in the phone's own time zone
}

function option(value, label) {
  const node = document.createElement("option");
  node.value = value;
  node.textContent = label;
  return node;
}

function checkboxChoice(name, value, label) {
  const node = element("label", null, "choice");
  const input = document.createElement("input");
  input.type = "checkbox";
  input.name = name;
  input.value = value;
  node.append(input, ` ${label}`);
  return node;
}

const supportChoice = (value, label) => checkboxChoice("support_ids", value, label);
const coObserverChoice = (value, label) => checkboxChoice("co_observer_ids", value, label);

// Only the chosen district's places, supports, co-observers and principals are offered, with the online form's
// default place; the internal notes' hint says who reads them there.
function showDistrict() {
  const offered = { places: [], supports: [], co_observers: [], principals: [], default_place: "", notes_audience: "",
    ...choices[districtSelect.value] };
  schoolSelect.replaceChildren(...offered.places.map(([value, label]) => option(value, label)));
  schoolSelect.value = offered.default_place;
  supportsGroup.querySelectorAll("label").forEach((node) => node.remove());
  supportsGroup.append(...offered.supports.map(([value, label]) => supportChoice(value, label)));
  supportsGroup.hidden = offered.supports.length === 0;
  coObserversGroup.querySelectorAll("label").forEach((node) => node.remove());
  coObserversGroup.append(...offered.co_observers.map(([value, label]) => coObserverChoice(value, label)));
  coObserversGroup.hidden = offered.co_observers.length === 0;
  principalSelect.replaceChildren(option("", "None"), ...offered.principals.map(([value, label]) => option(value, label)));
  principalField.hidden = offered.principals.length === 0;
  notesHint.textContent = offered.notes_audience ? `Read only by ${offered.notes_audience}.` : "";
}

// A value captured earlier that is no longer offered (a school moved, a support ended, a district unassigned)
// stays chosen, marked as such: the server says what to do with it, and nothing typed is dropped.
function keepChosen(select, value, label) {
  if (value === "" || [...select.options].some((o) => o.value === value)) return;
  select.append(option(value, `${label} (as captured, no longer offered)`));
}

function addObservation(rubricId = form.dataset.rubric) {
  observationsAdded += 1;
  const template = document.getElementById(`observation-template-${rubricId}`)
    ?? document.getElementById(`observation-template-${form.dataset.rubric}`);
  observations.insertAdjacentHTML("beforeend", template.innerHTML.replaceAll("__N__", observationsAdded));
  numberObservations();
  return observations.lastElementChild;
}

function numberObservations() {
  [...observations.children].forEach((block, index) => {
    block.querySelector(".observation-number").textContent = index + 1;
  });
}

const valueOf = (id) => document.getElementById(id).value.trim() || null;

function observationFrom(block) {
  const field = (name) => block.querySelector(`[data-field="${name}"]`);
  const ratings = [...block.querySelectorAll(".look-for")].flatMap((group) => {
    const chosen = group.querySelector("input:checked");
    if (!chosen) return [];
    const evidence = group.querySelector("textarea").value.trim() || null;
    return [{ look_for_id: Number(group.dataset.lookFor), rating: Number(chosen.value), evidence }];
  });
  // Ratings this page could not show (a rubric version it no longer knows) go back as they were captured.
  const kept = JSON.parse(block.dataset.kept ?? "[]");
  return {
    rubric_id: Number(block.dataset.kept ? block.dataset.keptRubric : block.dataset.rubric), grade: field("grade").value,
    subject: field("subject").value.trim(), minutes: Number(field("minutes").value),
    feedback: field("feedback").value.trim() || null, ratings: [...ratings, ...kept],
  };
}

// The body of POST /api/v1/visits, exactly as the API takes it; captured_at is when it was first saved here.
function visitFromForm(clientUuid, capturedAt) {
  const visit = Object.fromEntries(TEXT_FIELDS.map((id) => [id, valueOf(id)]));
  return {
    ...visit,
    client_uuid: clientUuid,
    captured_at: capturedAt,
    district_id: Number(districtSelect.value),
    school_id: schoolSelect.value ? Number(schoolSelect.value) : null,
    minutes: Number(visit.minutes),
    kind: form.querySelector("input[name=kind]:checked").value,
    support_ids: [...supportsGroup.querySelectorAll("input:checked")].map((input) => Number(input.value)),
    co_observer_ids: [...coObserversGroup.querySelectorAll("input:checked")].map((input) => Number(input.value)),
    principal_id: principalSelect.value ? Number(principalSelect.value) : null,
    observations: [...observations.children].map(observationFrom),
  };
}

// Everything the item holds goes back into the form: no value is dropped, even one no longer offered.
function fillForm(item) {
  const { visit } = item;
  const labels = item.labels ?? {};
  keepChosen(districtSelect, String(visit.district_id), labels.district ?? "District");
  districtSelect.value = String(visit.district_id);
  showDistrict();
  keepChosen(schoolSelect, String(visit.school_id ?? ""), labels.place ?? "School");
  schoolSelect.value = String(visit.school_id ?? "");
  for (const id of TEXT_FIELDS) document.getElementById(id).value = visit[id] ?? "";
  const kind = form.querySelector(`input[name=kind][value="${visit.kind}"]`);
  if (kind) kind.checked = true;
  for (const id of visit.support_ids) {
    if (!supportsGroup.querySelector(`input[value="${id}"]`)) {
      const label = labels.supports?.[id] ?? "A support";
      supportsGroup.append(supportChoice(String(id), `${label} (as captured, no longer offered)`));
      supportsGroup.hidden = false;
    }
  }
  for (const input of supportsGroup.querySelectorAll("input")) input.checked = visit.support_ids.includes(Number(input.value));
  const coObserverIds = visit.co_observer_ids ?? []; // captured before co-observers were asked: none
  for (const id of coObserverIds) {
    if (!coObserversGroup.querySelector(`input[value="${id}"]`)) {
      coObserversGroup.append(coObserverChoice(String(id), `${labels.co_observers?.[id] ?? "A person"} (as captured, no longer offered)`));
      coObserversGroup.hidden = false;
    }
  }
  for (const input of coObserversGroup.querySelectorAll("input")) input.checked = coObserverIds.includes(Number(input.value));
  if (visit.principal_id != null) {
    keepChosen(principalSelect, String(visit.principal_id), labels.principal ?? "A principal");
    principalField.hidden = false;
  }
  principalSelect.value = String(visit.principal_id ?? "");
  observations.replaceChildren();
  for (const observation of visit.observations) fillObservation(addObservation(observation.rubric_id), observation);
}

function fillObservation(block, observation) {
  for (const name of ["grade", "subject", "minutes", "feedback"]) {
    block.querySelector(`[data-field="${name}"]`).value = observation[name] ?? "";
  }
  const kept = [];
  for (const rating of observation.ratings) {
    const group = block.querySelector(`[data-look-for="${rating.look_for_id}"]`);
    const point = group?.querySelector(`input[value="${rating.rating}"]`);
    if (!point) { kept.push(rating); continue; }
    point.checked = true;
    group.querySelector("textarea").value = rating.evidence ?? "";
  }
  if (Number(block.dataset.rubric) !== observation.rubric_id || kept.length) {
    // A version this page no longer has: every rating is kept as captured and sent back with the visit.
    block.dataset.kept = JSON.stringify(observation.ratings);
    block.dataset.keptRubric = observation.rubric_id;
    block.querySelectorAll(".look-for").forEach((group) => group.remove());
    const note = block.querySelector(".kept-ratings");
    note.textContent = `${observation.ratings.length} ratings kept as captured, on a rubric version this page no longer shows.`;
    note.hidden = false;
  }
}

function clearForm() {
  const district = districtSelect.value;
  form.reset();
  observations.replaceChildren();
  districtSelect.value = district; // the next visit is most often in the same district
  document.getElementById("visited_on").value = today();
  showDistrict();
  fixing = null;
}

// What the form showed for the chosen ids, so that a fix can name a choice the page no longer offers.
function labelsOf() {
  const ticked = (group) => Object.fromEntries([...group.querySelectorAll("input:checked")]
    .map((input) => [input.value, input.parentElement.textContent.trim()]));
  return { district: districtSelect.selectedOptions[0].text, place: schoolSelect.selectedOptions[0].text,
    supports: ticked(supportsGroup), co_observers: ticked(coObserversGroup),
    principal: principalSelect.value ? principalSelect.selectedOptions[0].text : null };
}

function summaryOf(visit) {
  const place = schoolSelect.selectedOptions[0].text;
  const district = districtSelect.selectedOptions[0].text;
  const count = visit.observations.length;
  const seen = count ? ` · ${count} observation${count === 1 ? "" : "s"}` : "";
  return `${place}, ${district} · ${visit.visited_on} · ${visit.purpose}${seen}`;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const clientUuid = fixing?.client_uuid ?? crypto.randomUUID();
  const savedAt = fixing?.saved_at ?? new Date().toISOString();
  const visit = visitFromForm(clientUuid, savedAt);
  const summary = summaryOf(visit);
  await keepItem({ client_uuid: clientUuid, state: "waiting", saved_at: savedAt, summary, visit, labels: labelsOf() });
  clearForm();
  announce(`Saved on this phone: ${summary}. Waiting to send.`);
  await showOutbox();
  if (navigator.onLine) send();
});

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function button(text, onClick) {
  const node = element("button", text, "button button-secondary");
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

const FIELD_LABELS = { district_id: "District", school_id: "Where", visited_on: "Date", minutes: "Minutes",
  kind: "Kind of visit", purpose: "Purpose", support_ids: "Supports served", co_observer_ids: "Co-observers",
  principal_id: "Principal coached", follow_up_on: "Follow-up date" };

// The API names fields as dotted paths ("observations.0.minutes"): say them as the form does.
function fieldLabel(path) {
  const [first, index, ...rest] = path.split(".");
  if (first !== "observations") return FIELD_LABELS[path] ?? path.replaceAll("_", " ");
  const what = rest.filter((part) => Number.isNaN(Number(part))).join(" ").replaceAll("_", " ");
  return `Observation ${Number(index) + 1}${what ? `, ${what}` : ""}`;
}

function itemView(item) {
  const row = element("li", null, `outbox-item outbox-${item.state}`);
  row.append(element("p", item.summary, "outbox-summary"));
  if (item.state === "waiting") {
    row.append(element("p", "Waiting to send", "outbox-state"));
    return row;
  }
  row.append(element("p", `Refused: ${item.message}`, "outbox-state error"));
  const problems = Object.entries(item.errors || {});
  if (problems.length) {
    const list = element("ul");
    for (const [field, messages] of problems) list.append(element("li", `${fieldLabel(field)}: ${messages.join(" ")}`));
    row.append(list);
  }
  const actions = element("p", null, "actions");
  actions.append(
    button("Fix and save again", () => fix(item)),
    button("Discard", () => discard(item)),
  );
  row.append(actions);
  return row;
}

function fix(item) {
  fillForm(item);
  fixing = item;
  announce(`Fixing: ${item.summary}. Save the visit again to send it.`);
  districtSelect.focus();
}

async function discard(item) {
  if (!window.confirm(`Discard this visit? It has not reached the server.\n${item.summary}`)) return;
  await dropItem(item.client_uuid);
  announce(`Discarded: ${item.summary}.`);
  await showOutbox();
}

async function showOutbox() {
  const items = (await outboxItems()).sort((a, b) => a.saved_at.localeCompare(b.saved_at));
  outboxList.replaceChildren(...items.map(itemView));
  outboxEmpty.hidden = items.length > 0;
  const waiting = items.filter((item) => item.state === "waiting").length;
  const refused = items.length - waiting;
  // The same counts as the list below ("Not sent yet"): what will go by itself, and what the server refused.
  const parts = [navigator.onLine ? "Online" : "Offline"];
  if (waiting || !refused) parts.push(waiting ? `${waiting} waiting to send` : "nothing waiting");
  if (refused) parts.push(`${refused} refused: fix or discard ${refused === 1 ? "it" : "them"} below`);
  connection.textContent = parts.join(" · ");
}

const STOPPED = {
  network: "No answer from the server: trying again shortly.",
  later: "The server could not take them now: trying again shortly.",
  "signed-out": "Sign in again to send what is waiting.",
};

async function send() {
  clearTimeout(retryTimer);
  const report = await sendOutbox(signedInUser);
  await showOutbox();
  const said = [];
  if (report.sent) said.push(`Sent ${report.sent} visit${report.sent === 1 ? "" : "s"}.`);
  if (report.refused) said.push(`The server refused ${report.refused}: see why below.`);
  if (report.stopped) said.push(STOPPED[report.stopped]);
  if (said.length) announce(said.join(" "));
  if (report.stopped === "network" || report.stopped === "later") retryTimer = setTimeout(send, RETRY_MS);
}

districtSelect.addEventListener("change", showDistrict);
addObservationButton?.addEventListener("click", () => {
  addObservation().querySelector("select").focus();
});
// The look-for of the version in use that a look-for of an earlier version was carried into, if any.
function carriedInto(lookForId) {
  const current = document.getElementById(`observation-template-${form.dataset.rubric}`).content;
  const earlier = new Map([...document.querySelectorAll("template")].flatMap((t) =>
    [...t.content.querySelectorAll(".look-for")].map((g) => [g.dataset.lookFor, g.dataset.carriedFrom])));
  for (const group of current.querySelectorAll(".look-for")) {
    for (let id = group.dataset.lookFor; id; id = earlier.get(id)) if (id === String(lookForId)) return group.dataset.lookFor;
  }
  return null;
}

// A capture rated on a version retired before it was made: its ratings move to the look-fors they were carried
// into; any without one stay listed in the new block, so that nothing typed disappears.
function moveToCurrentVersion(block) {
  const captured = observationFrom(block);
  const moved = { ...captured, rubric_id: Number(form.dataset.rubric), ratings: [] };
  const notCarried = [];
  for (const rating of captured.ratings) {
    const into = carriedInto(rating.look_for_id);
    if (into) moved.ratings.push({ ...rating, look_for_id: Number(into) });
    else notCarried.push(rating);
  }
  const fresh = addObservation();
  block.replaceWith(fresh);
  numberObservations();
  fillObservation(fresh, moved);
  if (notCarried.length) {
    const note = fresh.querySelector(".kept-ratings");
    note.textContent = "Not in the version in use, as you rated them: " + notCarried
      .map((r) => `look-for ${r.look_for_id}: ${r.rating}${r.evidence ? ` (${r.evidence})` : ""}`).join("; ");
    note.hidden = false;
  }
  fresh.querySelector("select").focus();
}

observations.addEventListener("click", (event) => {
  const move = event.target.closest(".move-to-current");
  if (move) {
    moveToCurrentVersion(move.closest(".observation"));
    return;
  }
  const remove = event.target.closest(".remove-observation");
  if (!remove) return;
  remove.closest(".observation").remove();
  numberObservations();
  addObservationButton.focus();
});
document.getElementById("send-now").addEventListener("click", send);
window.addEventListener("online", send);
window.addEventListener("offline", showOutbox);

clearForm();
await showOutbox();
if (navigator.onLine) send();
