// The packet benchmark: serves the built site (dist/, `make build`), opens it as
// `?bench=packets` (the sandbox cluster with 50 packets in flight, see web/src/bench_packets.rs)
// in Debian's Chromium, waits for the measurement and prints it; --json prints the page's JSON,
// --screenshot=FILE saves the page while the packets fly.
//
//   node e2e/bench-packets.mjs [DIST_DIR] [--json] [--screenshot=FILE]
import { openPage } from './browser.mjs';
import { serve } from './static-server.mjs';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const args = process.argv.slice(2);
const screenshot = args.find((a) => a.startsWith('--screenshot='))?.slice('--screenshot='.length);
const dist = resolve(args.find((a) => !a.startsWith('--')) ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));

const server = await serve(dist);
const { browser, page, errors } = await openPage(`${server.url}?bench=packets`);
try {
  if (screenshot) {
    await page.waitForTimeout(2000);
    await page.screenshot({ path: screenshot });
  }
  await page.waitForSelector('body[data-state="done"]', { timeout: 60_000 });
  if (errors.length) throw new Error(`console errors: ${errors.join('\n')}`);
  const report = JSON.parse(await page.textContent('#json'));
  if (args.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    console.log(`${report.userAgent}\n`);
    console.log(`packets in flight: ${report.packets}`);
    console.log(`frames per second: ${report.fps} (goal 60 ${report.fps >= 58 ? 'ok' : 'UNDER'})`);
    console.log(`frame time: median ${report.medianFrameMs} ms, p95 ${report.p95FrameMs} ms`);
  }
} finally {
  await browser.close();
  await server.close();
}
