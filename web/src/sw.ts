/// <reference lib="webworker" />
// The app shell, cached so that a participant on hotel Wi-Fi can reload the page while the
// relay is unreachable and keep reading and typing (the document itself lives in IndexedDB).
const sw = self as unknown as ServiceWorkerGlobalScope;
// Both replaced at build time (vite.config.ts).
const PRECACHE: string[] = "__PRECACHE__" as unknown as string[];
const VERSION: string = "__VERSION__";
const CACHE = `crosswalk-shell-${VERSION}`;

sw.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => sw.skipWaiting()),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("crosswalk-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => sw.clients.claim()),
  );
});

function isAppRequest(url: URL): boolean {
  return url.origin === sw.location.origin && !/^\/(api|ws|metrics|healthz)(\/|$)/.test(url.pathname);
}

sw.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!isAppRequest(url)) return;
  if (request.mode === "navigate") {
    // Pages: the network first (a new build), the cached shell when offline.
    event.respondWith(fetch(request).catch(async () => (await caches.match("/", { cacheName: CACHE })) ?? Response.error()));
    return;
  }
  // Built assets have content hashes: the cache is always right for them.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request)));
});
