// Trygg's service worker: the reporter's app opens and shows its checklists and phone list with no
// network. Registered by src/sw.rs; served at /sw.js with `Cache-Control: no-cache`, so the browser
// sees a new version of this file at once.
//
// What it does, and nothing more:
// - The reporter app is two wasm bundles, each with its own shell (index.html and the hashed
//   .js/.wasm/.css it names): the start bundle's (files at /) and the report bundle's (files
//   under /r/, shown for REPORT_PATHS, the phone list and the situation pages). Each is kept in a cache named after its kind and hashes:
//   `trygg-shell-start-<hashes>`, `trygg-shell-report-<hashes>` (its files' hashes and its page's
//   own, since the page carries its CSS inline), its index.html under the key
//   '/' or '/r/'. Both are filled at install, and again whenever a navigation brings an
//   index.html naming other hashes (a new deploy; this file does not change then). Only a
//   complete shell is used; older shells of a kind are deleted once a newer one is complete.
// - Navigations (outside /samordnare/ and /api/): network first; after NAV_TIMEOUT_MS without an
//   answer, or on a network or server error, the cached index.html of the bundle that shows the
//   path (each bundle routes by itself).
// - Hashed assets: cache first (they never change).
// - GET /api/content (every checklist and the phone list; the app also keeps it in localStorage),
//   /api/contacts and /api/checklists: network first, falling back to the last good answer.
// - Everything else under /api/ (reports, follow-up, coordinator data: sensitive) and everything
//   under /samordnare/ (the coordinator app) is never answered from, nor written to, a cache.
'use strict';

const SHELL_PREFIX = 'trygg-shell-';
// The report bundle's pages (src/app.rs REPORT_PATHS; the server's spa_index names them too).
const REPORT_PATHS = ['/rapport', '/kvitto', '/folj-upp', '/incheckning'];
// Per kind of shell: where its index.html is fetched at install, and its key in its cache.
const SHELLS = {
  start: { page: '/', key: '/' },
  report: { page: REPORT_PATHS[0], key: '/r/' },
};
const DATA_CACHE = 'trygg-data-v1';
const NAV_TIMEOUT_MS = 3000;
const DATA_TIMEOUT_MS = 4000;
// trunk's output names (the hash is a u64 in hex without leading zeros: 8-16 digits): `name-<hex>.js`, `name-<hex>_bg.wasm`, `name-<hex>.css`.
// The start bundle's files are at /, the report bundle's under /r/.
const HASHED = /^\/(?:r\/)?[^/?#]*-([0-9a-f]{8,16})(?:_bg)?\.(?:js|wasm|css)$/;
// In the page: quoted (the loader script's imports) or, as trunk's minified HTML writes attribute
// values, unquoted after `=` (`<link href=/main-….css …>`).
const HASHED_IN_HTML = /(?:["']|=)(\/(?:r\/)?[^"'?#/\s>=]*-[0-9a-f]{8,16}(?:_bg)?\.(?:js|wasm|css))(?=["'\s>])/g;

self.addEventListener('install', (event) => {
  event.waitUntil(
    Promise.all(
      Object.values(SHELLS).map(({ page }) => fetch(page, { cache: 'no-cache' }).then((res) => storeShell(res))),
    ).then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([DATA_CACHE]);
      for (const kind of Object.keys(SHELLS)) keep.add((await completeShells(kind))[0]);
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
    if (path === '/api/content' || path === '/api/contacts' || path === '/api/checklists') {
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

/** Which bundle shows a page: the report bundle its pages, the phone list and the situation pages
 * (a trailing '/' is ignored; crates/domain is_report_path), the start bundle all others. */
function shellKind(path) {
  const p = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return REPORT_PATHS.includes(p) || p === '/kontakter' || p.startsWith('/lage/') ? 'report' : 'start';
}

/** Network first for a page; its bundle's index.html when the network fails or is too slow. */
async function navigate(event) {
  let copy;
  const network = fetch(event.request).then((res) => {
    if (res.ok) copy = res.clone();
    return res;
  });
  // Whatever the network answers, even after the fallback was shown, may bring a new deploy.
  event.waitUntil(network.then(() => copy && storeShell(copy)).catch(() => {}));
  const cached = await cachedIndex(shellKind(new URL(event.request.url).pathname));
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

/** Keeps this index.html and every hashed file it names, unless that shell is already kept. The
 * shell's kind follows from where its files are: all under /r/ is the report bundle. */
const storing = new Map();
async function storeShell(indexResponse) {
  if (!indexResponse.ok || !(indexResponse.headers.get('content-type') || '').includes('text/html')) return;
  const html = await indexResponse.clone().text();
  const assets = [...new Set([...html.matchAll(HASHED_IN_HTML)].map((m) => m[1]))].sort();
  if (assets.length === 0) return; // not trunk's index.html
  const kind = assets.every((a) => a.startsWith('/r/')) ? 'report' : 'start';
  const { key } = SHELLS[kind];
  const prefix = `${SHELL_PREFIX}${kind}-`;
  // Named after its files' hashes and the page's own (its CSS is inline: a deploy may change
  // only the page), so any change to either is a new shell.
  const page = await shortHash(html);
  const name = prefix + [...new Set(assets.map((a) => HASHED.exec(a)[1])), page].join('-');
  if (!storing.has(name)) {
    storing.set(
      name,
      (async () => {
        const cache = await caches.open(name);
        if (await cache.match(key)) return;
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
          await cache.put(key, indexResponse); // last: a shell with its index.html is complete
        } catch (e) {
          await caches.delete(name);
          throw e;
        }
        // A complete newer shell replaces the older ones of its kind (this runs after install too).
        for (const old of await caches.keys()) {
          if (old.startsWith(prefix) && old !== name) await caches.delete(old);
        }
      })().finally(() => storing.delete(name)),
    );
  }
  return storing.get(name);
}

/** The first 8 bytes of the text's SHA-256, in hex. */
async function shortHash(text) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return [...digest.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Names of one kind's shell caches that hold its index.html, newest first (keys() is creation order). */
async function completeShells(kind) {
  const { key } = SHELLS[kind];
  const names = (await caches.keys()).filter((n) => n.startsWith(`${SHELL_PREFIX}${kind}-`)).reverse();
  const out = [];
  for (const n of names) if (await (await caches.open(n)).match(key)) out.push(n);
  return out;
}

async function cachedIndex(kind) {
  const [newest] = await completeShells(kind);
  return newest ? (await caches.open(newest)).match(SHELLS[kind].key) : undefined;
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
