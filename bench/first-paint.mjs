// When each reporter page paints, asks for its wasm and mounts the app, on an emulated slow
// phone: the figures behind the loader's choice (Trunk.toml; ARCHITECTURE.md, "First paint").
// Run by bench/first-paint.sh; usable alone against a running server:
//   URL=http://127.0.0.1:8080 PAGES="/ /rapport /folj-upp" RUNS=5 node bench/first-paint.mjs
//
// Conditions as bench/tti.mjs: the slow phone of bench/slow-phone.mjs, 360×740 touch, a new browser per run (cold
// cache, service workers blocked). Figures, ms from navigation start, median of RUNS:
//   html   the page's responseEnd          wasm   the wasm request's start and its responseEnd
//   FCP    first-contentful-paint          mount  `main#main` holds its h1 (the app has mounted)
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { slowPage } from './slow-phone.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '../tests/e2e/package.json'));
const { chromium } = require('playwright-core');

const URL_ = process.env.URL;
const RUNS = Number(process.env.RUNS || 5);
const PAGES = (process.env.PAGES || '/ /rapport /folj-upp').split(' ');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!URL_) {
  console.error('URL must be set (bench/first-paint.sh does it)');
  process.exit(2);
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(pagePath) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, hasTouch: true, serviceWorkers: 'block' });
    const { page } = await slowPage(ctx);
    await page.addInitScript(() => {
      const seen = (window.__mount = { at: null });
      new MutationObserver(() => {
        if (seen.at === null && document.querySelector('main#main h1')) seen.at = performance.now();
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(URL_ + pagePath);
    await page.waitForFunction(() => window.__mount.at !== null, null, { timeout: 60_000 });
    return await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
      return {
        html: nav.responseEnd,
        fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime,
        wasmStart: wasm.startTime,
        wasmEnd: wasm.responseEnd,
        mount: window.__mount.at,
      };
    });
  } finally {
    await browser.close();
  }
}

console.log('| page | html | FCP | wasm requested | wasm received | app mounted |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const p of PAGES) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once(p));
  const f = (k) => `${median(runs.map((r) => r[k])).toFixed(0)} ms`;
  console.log(`| \`${p}\` | ${f('html')} | ${f('fcp')} | ${f('wasmStart')} | ${f('wasmEnd')} | ${f('mount')} |`);
}
