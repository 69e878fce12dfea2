// The real build as the server sends it (issue 11): the CSP allows exactly the inline loader that
// trunk wrote into each reporter bundle's index.html (computed here from the served HTML, not from
// a file a test wrote), hashed files are cached for a year, and a hashed file that is not there
// (an old deploy's wasm) is a 404 in the error envelope, never the app's HTML marked immutable.
import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';

/** The bodies of the inline scripts of an HTML page (scripts with `src` need no hash). */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
}

function cspHash(body: string) {
  return `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`;
}

for (const [path, bundle] of [
  ['/', 'start'],
  ['/rapport', 'report'],
] as const) {
  test(`the CSP allows the ${bundle} bundle's own inline loader, and its hashed files are immutable`, async ({ request }) => {
    const res = await request.get(path);
    expect(res.status()).toBe(200);
    expect(res.headers()['cache-control']).toBe('no-cache');
    const html = await res.text();
    const scripts = inlineScripts(html);
    expect(scripts.length).toBeGreaterThan(0);
    const csp = res.headers()['content-security-policy'];
    for (const body of scripts) expect(csp).toContain(cspHash(body));
    expect(csp).not.toContain(cspHash(scripts[0] + ' '));

    const wasm = html.match(/['"](\/(?:r\/)?[^'"]+_bg\.wasm)['"]/)?.[1];
    expect(wasm).toBeTruthy();
    const file = await request.get(wasm!);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/wasm');
    expect(file.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    // The same name with another hash: an old deploy's file that is gone.
    const gone = wasm!.replace(/-([0-9a-f]{8,16})_bg\.wasm$/, (_, h: string) => `-${h === 'fedcba98' ? 'abcdef12' : 'fedcba98'}_bg.wasm`);
    const missing = await request.get(gone);
    expect(missing.status()).toBe(404);
    expect(missing.headers()['content-type']).toContain('application/json');
    expect(missing.headers()['cache-control'] ?? '').not.toContain('immutable');
    expect((await missing.json()).error.code).toBe('not_found');
  });
}
