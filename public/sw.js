// Trygg's service worker: the reporter's app opens and shows its checklists and phone list with no
// network. Registered by src/sw.rs; served at /sw.js with `Cache-Control: no-cache`, so the browser
// sees a new version of this file at once.
//
// What it does, and nothing more:
// - The app shell (index.html and the hashed .js/.wasm/.css it names) is kept in a cache named
//   after those hashes: `trygg-shell-<hashes>`. It is filled at install, and again whenever a
//   navigation brings an index.html naming other hashes (a new deploy; this file does not change
//   then). Only a complete shell is used; older shells are deleted once a newer one is complete.
// - Navigations (outside /samordnare/ and /api/): network first; after NAV_TIMEOUT_MS without an
//   answer, or on a network or server error, the cached index.html (the app routes by itself).
// - Hashed assets: cache first (they never change).
// - GET /api/contacts and GET /api/checklists*: network first, falling back to the last good answer.
// - Everything else under /api/ (reports, follow-up, coordinator data: sensitive) and everything
//   under /samordnare/ (the coordinator app) is never answered from, nor written to, a cache.
'use strict';

const SHELL_PREFIX = 'trygg-shell-';
const DATA_CACHE = 'trygg-data-v1';
const NAV_TIMEOUT_MS = 3000;
const DATA_TIMEOUT_MS = 4000;
// trunk's output names (the hash is a u64 in hex without leading zeros: 8-16 digits): `name-<hex>.js`, `name-<hex>_bg.wasm`, `name-<hex>.css`.
const HASHED = /^\/[^/?#]*-([0-9a-f]{8,16})(?:_bg)?\.(?:js|wasm|css)$/;
const HASHED_IN_HTML = /["'](\/[^"'?#/]*-[0-9a-f]{8,16}(?:_bg)?\.(?:js|wasm|css))["']/g;

self.addEventListener('install', (event) => {
  event.waitUntil(
    fetch('/', { cache: 'no-cache' })
      .then((res) => storeShell(res))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const shells = await completeShells();
      const keep = new Set([DATA_CACHE, shells[0]]);
      for (const name of await caches.keys()) {
        if (name.startsWith('trygg-') && !keep.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path.startsWith('/samordnare/') || path === '/samordnare') return;
  if (path.startsWith('/api/')) {
    if (path === '/api/contacts' || path === '/api/checklists' || path.startsWith('/api/checklists/')) {
      event.respondWith(networkFirst(req, DATA_CACHE, DATA_TIMEOUT_MS));
    }
    return; // any other API request goes to the network untouched
  }
  if (req.mode === 'navigate') {
    event.respondWith(navigate(event));
  } else if (HASHED.test(path)) {
    // Only the shell's own files are ever in the cache; anything else comes from the network.
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req)));
  }
});

/** Network first for a page; the shell's index.html when the network fails or is too slow. */
async function navigate(event) {
  let copy;
  const network = fetch(event.request).then((res) => {
    if (res.ok) copy = res.clone();
    return res;
  });
  // Whatever the network answers, even after the fallback was shown, may bring a new deploy.
  event.waitUntil(network.then(() => copy && storeShell(copy)).catch(() => {}));
  const cached = await cachedIndex();
  if (!cached) return network;
  try {
    const res = await withTimeout(network, NAV_TIMEOUT_MS);
    return res.status >= 500 ? cached : res;
  } catch {
    return cached;
  }
}

/** Network first for a public, non-personal API answer; the last good answer when offline. */
async function networkFirst(req, cacheName, timeoutMs) {
  const cache = await caches.open(cacheName);
  const network = fetch(req).then(async (res) => {
    if (res.ok) await cache.put(req, res.clone());
    return res;
  });
  const cached = await cache.match(req);
  if (!cached) return network;
  try {
    const res = await withTimeout(network, timeoutMs);
    return res.status >= 500 ? cached : res;
  } catch {
    return cached;
  }
}

/** Keeps this index.html and every hashed file it names, unless that shell is already kept. */
const storing = new Map();
async function storeShell(indexResponse) {
  if (!indexResponse.ok || !(indexResponse.headers.get('content-type') || '').includes('text/html')) return;
  const html = await indexResponse.clone().text();
  const assets = [...new Set([...html.matchAll(HASHED_IN_HTML)].map((m) => m[1]))].sort();
  if (assets.length === 0) return; // not trunk's index.html
  const name = SHELL_PREFIX + [...new Set(assets.map((a) => HASHED.exec(a)[1]))].join('-');
  if (!storing.has(name)) {
    storing.set(
      name,
      (async () => {
        const cache = await caches.open(name);
        if (await cache.match('/')) return;
        try {
          // A file already kept by an older shell is copied, not downloaded again.
          await Promise.all(
            assets.map(async (url) => {
              const kept = await caches.match(url);
              const res = kept || (await fetch(url));
              if (!res.ok) throw new Error(`${url}: ${res.status}`);
              await cache.put(url, res);
            }),
          );
          await cache.put('/', indexResponse); // last: a shell with '/' is complete
        } catch (e) {
          await caches.delete(name);
          throw e;
        }
        // A complete newer shell replaces the older ones (this runs after install too).
        for (const old of await caches.keys()) {
          if (old.startsWith(SHELL_PREFIX) && old !== name) await caches.delete(old);
        }
      })().finally(() => storing.delete(name)),
    );
  }
  return storing.get(name);
}

/** Names of the shell caches that hold an index.html, newest first (keys() is creation order). */
async function completeShells() {
  const names = (await caches.keys()).filter((n) => n.startsWith(SHELL_PREFIX)).reverse();
  const out = [];
  for (const n of names) if (await (await caches.open(n)).match('/')) out.push(n);
  return out;
}

async function cachedIndex() {
  const [newest] = await completeShells();
  return newest ? (await caches.open(newest)).match('/') : undefined;
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
