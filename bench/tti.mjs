// First-visit timings of the reporter's start page against a bare Leptos counter, in Debian's
// Chromium on an emulated slow phone. Run by bench/tti.sh, which builds both and serves each
// with the Trygg server; usable alone:
//   APP_URL=http://127.0.0.1:8080 COUNTER_URL=http://127.0.0.1:8081 RUNS=5 node bench/tti.mjs
//
// Conditions (Lighthouse's "slow 4G" mobile profile, applied through CDP to the page: bench/slow-phone.mjs):
//   Network.emulateNetworkConditions  latency 150 ms per request, download 1.6 Mbit/s
//     (1638.4 kbit/s = 204,800 B/s), upload 750 kbit/s (96,000 B/s); CPU throttling 4×
//     (Emulation.setCPUThrottlingRate); 360×740 viewport, touch. Lighthouse's own DevTools
//     throttling would inflate the latency to 562.5 ms; these are its nominal values.
//   Cold: every run starts a new browser (empty HTTP cache, no service worker).
//
// Figures (ms from navigation start, the page's performance.now()):
//   bytes        sum of CDP Network.loadingFinished encodedDataLength (headers + body as sent,
//                brotli) of the page's requests, until TTI and 1 s without a request in flight.
//                Requests the service worker makes itself after install (index.html, again from
//                the HTTP cache: assets) are not the page's and are not counted.
//   FCP          the first-contentful-paint entry. Before the wasm runs, the page shows nothing
//                (the body holds only <noscript>), so this is the app's first paint.
//   first render the animation frame after the app's content is in the DOM: Trygg: `main#main`
//                holds its `h1`; counter: its button exists.
//   TTI          time to interactive: as soon as the first role option exists, a probe queues a
//                task (like a tap would) that clicks the role option "healthcare" and then the
//                start page's "show" button; TTI is when the app's answer is in the DOM: the
//                "choose both" alert (#start-problem), which only the app's own submit handler
//                can produce (no phase is chosen on a fresh device). Counter: one click on its
//                button; TTI is when its text says "Clicked 1 times".
//   A "repeat visit" row (Trygg only) loads / again in the same browser once the service worker
//   controls it: the start page from the worker's cache, still on slow 4G. Its bytes are what
//   the page fetched past the worker (the worker's own network check of index.html not counted).
// Each figure is the median over RUNS (default 5) runs; app and counter runs alternate.
// TTI_DEBUG=1 lists every request of the page with its bytes on stderr.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { slowPage } from './slow-phone.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/e2e/package.json'));
const { chromium } = require('playwright-core');

const APP_URL = process.env.APP_URL;
const COUNTER_URL = process.env.COUNTER_URL;
const RUNS = Number(process.env.RUNS || 5);
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const RUN_TIMEOUT_MS = 90_000;

if (!APP_URL || !COUNTER_URL) {
  console.error('APP_URL and COUNTER_URL must be set (bench/tti.sh does it)');
  process.exit(2);
}

// Injected before any page script. Records firstRender, tti and errors on window.__tti.
const PROBE = () => {
  const r = (window.__tti = { firstRender: null, domReady: null, tti: null, clicked: null });
  let probing = false;
  const now = () => performance.now();
  const check = () => {
    const trygg = document.querySelector('main#main h1');
    const counter = !document.querySelector('main#main') && document.querySelector('body > button');
    if (r.domReady === null && (trygg || counter)) {
      r.domReady = now();
      requestAnimationFrame(() => (r.firstRender = now()));
    }
    if (r.clicked !== null && r.tti === null) {
      const answered = counter
        ? /Clicked 1 times/.test(counter.textContent)
        : document.getElementById('start-problem') !== null;
      if (answered) r.tti = now();
    }
    const role = document.querySelector('label[for="start-role-healthcare"]');
    if (!probing && (role || counter)) {
      probing = true;
      setTimeout(() => {
        r.clicked = now();
        if (counter) {
          counter.click();
        } else {
          role.click();
          document.querySelector('form.start-form button[type="submit"]').click();
        }
        check();
      }, 0);
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, characterData: true });
};

async function measure(page, cdp, url) {
  let bytes = 0;
  let inFlight = 0;
  let last = Date.now();
  const viaWorker = new Set();
  const started = new Set();
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, e.request.url);
    if (!started.has(e.requestId)) inFlight++;
    started.add(e.requestId);
    last = Date.now();
  });
  cdp.on('Network.responseReceived', (e) => {
    if (e.response.fromServiceWorker) viaWorker.add(e.requestId);
  });
  const done = (e) => {
    if (started.delete(e.requestId)) inFlight--;
    if (e.encodedDataLength && !viaWorker.has(e.requestId)) bytes += e.encodedDataLength;
    if (process.env.TTI_DEBUG) {
      console.error(`  ${urls.get(e.requestId)} ${e.encodedDataLength ?? 'failed'}${viaWorker.has(e.requestId) ? ' (worker)' : ''}`);
    }
    last = Date.now();
  };
  cdp.on('Network.loadingFinished', done);
  cdp.on('Network.loadingFailed', done);

  await page.goto(url, { waitUntil: 'commit', timeout: RUN_TIMEOUT_MS });
  await page.waitForFunction(() => window.__tti && window.__tti.tti !== null && window.__tti.firstRender !== null, null, {
    timeout: RUN_TIMEOUT_MS,
    polling: 100,
  });
  while (inFlight > 0 || Date.now() - last < 1000) await new Promise((r) => setTimeout(r, 100));
  const t = await page.evaluate(() => ({
    ...window.__tti,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  }));
  return { bytes, fcp: t.fcp, firstRender: t.firstRender, tti: t.tti };
}

async function run(url, { repeat = false } = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'sv-SE' });
    await context.addInitScript(PROBE);
    const first = await slowPage(context);
    const cold = await measure(first.page, first.cdp, url);
    if (!repeat) return { cold };
    // Wait until the service worker has installed the shell and controls a page of this origin.
    await first.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
      }
    });
    await first.page.close();
    const second = await slowPage(context);
    const warm = await measure(second.page, second.cdp, url);
    const controlled = await second.page.evaluate(() => navigator.serviceWorker.controller !== null);
    if (!controlled) throw new Error('repeat visit was not controlled by the service worker');
    return { cold, warm };
  } finally {
    await browser.close();
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const rows = { app: [], counter: [], warm: [] };
for (let i = 0; i < RUNS; i++) {
  const a = await run(APP_URL, { repeat: true });
  rows.app.push(a.cold);
  rows.warm.push(a.warm);
  const c = await run(COUNTER_URL);
  rows.counter.push(c.cold);
  const fmt = (x) => `${(x.bytes / 1000).toFixed(1)} KB, FCP ${x.fcp?.toFixed(0)}, render ${x.firstRender.toFixed(0)}, TTI ${x.tti.toFixed(0)}`;
  console.error(`run ${i + 1}/${RUNS}: trygg ${fmt(a.cold)} | repeat ${fmt(a.warm)} | counter ${fmt(c.cold)}`);
}

const line = (name, xs) => {
  const m = (k) => median(xs.map((x) => x[k]));
  const range = (k) => `${Math.min(...xs.map((x) => x[k])).toFixed(0)}–${Math.max(...xs.map((x) => x[k])).toFixed(0)}`;
  return `| ${name} | ${(m('bytes') / 1000).toFixed(1)} KB | ${m('fcp').toFixed(0)} ms | ${m('firstRender').toFixed(0)} ms | ${m('tti').toFixed(0)} ms (${range('tti')}) |`;
};
console.log('| page | transferred | first contentful paint | first render | time to interactive (min–max) |');
console.log('|---|---:|---:|---:|---:|');
console.log(line('Trygg start page, first visit', rows.app));
console.log(line('Trygg start page, repeat visit (service worker)', rows.warm));
console.log(line('bare Leptos counter, first visit (ceiling)', rows.counter));
