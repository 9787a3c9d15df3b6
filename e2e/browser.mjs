// Launches Debian's Chromium through playwright-core (no browser download) and collects the
// page's console errors, so every test can assert there were none.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A fresh browser and page; `errors` fills with console errors and page exceptions.
 *  `init`, if given, runs in the page before any of its scripts, on every load. */
export async function openPage(url, { init } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  return { browser, page, errors };
}
