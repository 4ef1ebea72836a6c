// Times the network map in headless Chromium: navigation to the first
// drawing (`data-app-map-state` set) and to the finished layout
// ("laid-out"). Usage: node scripts/bench-map.mjs URL [RUNS]
// (URL like http://127.0.0.1:8111/network/map). Each run is a fresh
// browser profile, so the layout is never taken from IndexedDB.
import { chromium } from 'playwright-core';

const url = process.argv[2];
const runs = Number(process.argv[3] ?? 3);
if (!url) {
  console.error('usage: node scripts/bench-map.mjs URL [RUNS]');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  for (let run = 1; run <= runs; run += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const start = Date.now();
    await page.goto(url);
    await page.waitForSelector('[data-app-map-state]', { timeout: 60000 });
    const drawn = Date.now() - start;
    await page.waitForSelector('[data-app-map-state="laid-out"]', { timeout: 180000 });
    const laidOut = Date.now() - start;
    console.log(`run ${run}: drawn ${(drawn / 1000).toFixed(2)} s, laid out ${(laidOut / 1000).toFixed(1)} s`);
    await context.close();
  }
} finally {
  await browser.close();
}
