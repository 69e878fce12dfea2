// The emulated slow phone of bench/tti.mjs and bench/first-paint.mjs: Lighthouse's "slow 4G"
// mobile profile (150 ms per request, 1.6 Mbit/s down, 750 kbit/s up) and CPU 4× slower,
// applied through CDP to a page. Lighthouse's own DevTools throttling would inflate the latency
// to 562.5 ms; these are its nominal values.
const KBIT = 1024; // Lighthouse: 1.6 "Mbps" = 1.6 * 1024 kbit/s
export const SLOW_4G = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1024 * KBIT) / 8,
  uploadThroughput: (750 * KBIT) / 8,
};
export const CPU_SLOWDOWN = 4;

/** A new page of `context` on the slow phone, with its CDP session. */
export async function slowPage(context) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  return { page, cdp };
}
