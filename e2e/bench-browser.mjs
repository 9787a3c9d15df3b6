// The browser benchmark: serves the built benchmark page (dist-bench/, `make bench-browser`
// builds it in release), opens it in Debian's Chromium, waits for every figure and prints them
// as a table (median and min of one call, in ms) and, with --json, as the page's JSON;
// --screenshot=FILE saves the finished page (a screenshot taken by `chromium --screenshot`
// comes too early, or, with --virtual-time-budget, shows virtual times of 0).
//
//   node e2e/bench-browser.mjs [DIST_DIR] [--json] [--screenshot=FILE]
import { openPage } from './browser.mjs';
import { serve } from './static-server.mjs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const args = process.argv.slice(2);
const json = args.includes('--json');
const screenshot = args.find((a) => a.startsWith('--screenshot='))?.slice('--screenshot='.length);
const dist = resolve(args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist-bench'));

const server = await serve(dist);
const { browser, page, errors } = await openPage(server.url);
try {
  await page.waitForSelector('body[data-state]', { timeout: 300_000 });
  const state = await page.getAttribute('body', 'data-state');
  if (state !== 'done') throw new Error(`the benchmark page stopped: ${await page.textContent('#status')}`);
  if (errors.length) throw new Error(`console errors: ${errors.join('\n')}`);
  const report = JSON.parse(await page.textContent('#json'));
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  if (json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const ms = (v) => (v < 1 ? v.toFixed(4) : v.toFixed(2)).padStart(9);
    console.log(`${report.userAgent}\n`);
    console.log(`${'benchmark'.padEnd(42)}${'median ms'.padStart(10)}${'min ms'.padStart(10)}  goal`);
    for (const f of report.figures) {
      const goal = f.goalMs == null ? '' : `< ${f.goalMs} ms ${f.medianMs < f.goalMs ? 'ok' : 'OVER'}`;
      console.log(`${f.name.padEnd(42)} ${ms(f.medianMs)} ${ms(f.minMs)}  ${goal}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
