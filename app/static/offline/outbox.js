// The outbox: visits captured on this phone, kept in IndexedDB until the server has confirmed them.
// Each item is {client_uuid, state: "waiting" | "refused", saved_at, summary, visit, message, errors};
// `visit` is the body of POST /api/v1/visits, whose client_uuid makes a resend land once.

const DB_NAME = "field-outbox";
const STORE = "visits";
let opening = null;

function database() {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "client_uuid" });
    request.onsuccess = () => {
      // Another tab wiping the outbox (a sign-out) must not wait for this one to close.
      request.result.onversionchange = () => { request.result.close(); opening = null; };
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
  });
  return opening;
}

async function inStore(mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    // Resolve on commit, not on the request: only then is the item safe from a closed tab.
    transaction.oncomplete = () => resolve(request.result);
    transaction.onerror = () => reject(transaction.error);
  });
}

export const outboxItems = () => inStore("readonly", (store) => store.getAll());
export const keepItem = (item) => inStore("readwrite", (store) => store.put(item));
export const dropItem = (clientUuid) => inStore("readwrite", (store) => store.delete(clientUuid));
export const unsentCount = () => inStore("readonly", (store) => store.count());

// Everything this phone holds for the signed-in person: the outbox and the cached pages.
export async function clearFieldData() {
  if (opening) (await opening).close();
  opening = null;
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
  for (const name of await caches.keys()) {
    if (name.startsWith("field-")) await caches.delete(name);
  }
}

// What the server's answer means for an item:
// 200/201 confirmed (201 new, 200 already stored by an earlier attempt whose answer was lost): drop it.
// 401 the session ended: keep everything waiting until the person signs in again.
// 408/429/5xx the server could not take it now: keep it waiting, try later.
// any other 4xx refused (a school or support no longer in reach, a rule broken): keep it with the message.
function outcome(status) {
  if (status === 200 || status === 201) return "confirmed";
  if (status === 401) return "signed-out";
  if (status === 408 || status === 429 || status >= 500) return "later";
  return "refused";
}

let sending = null;

// Send every waiting item once, in the order captured. One run at a time per tab; the client UUID covers two tabs.
export function sendOutbox(owner) {
  sending ??= sendWaiting(owner).finally(() => { sending = null; });
  return sending;
}

async function sendWaiting(owner) {
  const report = { sent: 0, refused: 0, stopped: null };
  const waiting = (await outboxItems())
    .filter((item) => item.state === "waiting")
    .sort((a, b) => a.saved_at.localeCompare(b.saved_at));
  if (!waiting.length) return report;
  let session;
  try {
    // A fresh token from the live session: the cached page's would be stale, or another person's.
    const response = await fetch("/field/session", { cache: "no-store", headers: { Accept: "application/json" } });
    if (response.status === 401) return { ...report, stopped: "signed-out" };
    session = await response.json();
  } catch {
    return { ...report, stopped: "network" };
  }
  if (String(session.user_id) !== String(owner)) return { ...report, stopped: "signed-out" };
  for (const item of waiting) {
    let response;
    try {
      response = await fetch("/api/v1/visits", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": session.csrf_token },
        body: JSON.stringify(item.visit),
      });
    } catch {
      // No answer: the visit may or may not be stored; its client UUID makes the next attempt safe either way.
      return { ...report, stopped: "network" };
    }
    const result = outcome(response.status);
    if (result === "confirmed") {
      await dropItem(item.client_uuid);
      report.sent += 1;
    } else if (result === "refused") {
      const body = await response.json().catch(() => ({}));
      await keepItem({
        ...item, state: "refused",
        message: body.error?.message || `The server refused this visit (${response.status}).`,
        errors: body.error?.errors || {},
      });
      report.refused += 1;
    } else {
      return { ...report, stopped: result };
    }
  }
  return report;
}
