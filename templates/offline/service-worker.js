// The field form's service worker: it keeps the form and its assets so that a lead can open it with no signal.
// Rendered by app/offline/views.py: VERSION changes whenever a cached asset does, which installs a new worker.
const VERSION = {{ version|tojson }};
const CACHE = `field-${VERSION}`;
const ASSETS = {{ assets|tojson }};
const FIELD_PAGE = {{ field_page|tojson }};
// On a weak signal the network may answer late or never: past this, the cached form is shown at once.
const NETWORK_PATIENCE_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(ASSETS);
    await storeFieldPage(cache, await fetch(FIELD_PAGE));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  // Older versions' caches hold assets that no longer match the pages.
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("field-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  // Writes (the outbox's POSTs), the session check and every other page go to the network untouched.
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === FIELD_PAGE) event.respondWith(fieldPage(event));
  else if (ASSETS.includes(url.pathname)) event.respondWith(asset(event.request));
});

// Only the signed-in form is kept: a redirect to the sign-in page must never be cached as the form.
async function storeFieldPage(cache, response) {
  if (response.ok && !response.redirected && response.type === "basic") {
    await cache.put(FIELD_PAGE, response.clone());
  }
  return response;
}

// The network's form when it answers in time (fresh schools and supports), else the cached one.
async function fieldPage(event) {
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(event.request).then((response) => storeFieldPage(cache, response));
  event.waitUntil(fromNetwork.catch(() => undefined));
  const cached = await cache.match(FIELD_PAGE);
  if (!cached) return fromNetwork;
  const late = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_PATIENCE_MS));
  return Promise.race([fromNetwork.catch(() => cached), late]);
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
