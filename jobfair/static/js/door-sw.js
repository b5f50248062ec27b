// The scanner's service worker (served at /scan/door-sw.js: its scope is /scan/): the
// scanner page and its static files answer with no network, so that a reload at a door
// without signal still scans. The page is asked of the network first (it holds the
// current form token and counts) and taken from the cache when the network fails;
// static files with a content hash in their name never change and come from the cache.
// Nothing else is touched: API calls fail as they would, and the page decides offline.
// The page itself fills the caches on its first visit (scanner.js); a signed-out page
// deletes them (app.js).
"use strict";

const PAGES = "jobfair-door-pages";
const STATIC = "jobfair-door-static";
const PAGE_WAIT_MS = 4000; // a network that does not answer is no network
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function fromNetworkThenCache(request, cacheName) {
  const network = fetch(request).then((response) => {
    if (response.ok && !response.redirected) {
      const copy = response.clone();
      caches.open(cacheName).then((cache) => cache.put(request, copy)).catch(() => null);
    }
    return response;
  });
  const slow = new Promise((resolve, reject) => setTimeout(reject, PAGE_WAIT_MS));
  return Promise.race([network, slow]).catch(() => caches.match(request, { ignoreVary: true })
    .then((cached) => cached || network));
}

function fromCacheThenNetwork(request) {
  return caches.match(request).then((cached) => cached || fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(STATIC).then((cache) => cache.put(request, copy)).catch(() => null);
    }
    return response;
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/")) {
    event.respondWith(HASHED.test(url.pathname) ? fromCacheThenNetwork(request)
      : fromNetworkThenCache(request, STATIC));
  } else if (request.mode === "navigate" && /^\/scan\/events\/\d+$/.test(url.pathname)) {
    event.respondWith(fromNetworkThenCache(request, PAGES));
  }
});
